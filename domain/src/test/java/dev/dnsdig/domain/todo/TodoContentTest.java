package dev.dnsdig.domain.todo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dnsdig.domain.InvalidValueException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Tests of {@link TodoContent}: the title, description and due-date rules, counted in code points. */
class TodoContentTest {
    private static final String TITLE_RULE = "title must be 1-200 characters after trimming and not blank";
    private static final String DESCRIPTION_RULE = "description must be at most 2000 characters";
    private static final String DUE_RULE = "dueAt must be between 1970-01-01 and 9999-12-31";
    /** One code point, two UTF-16 units. */
    private static final String EMOJI = "\uD83D\uDE00";
    private static final Instant DUE = Instant.parse("2025-06-01T12:00:00Z");

    private static TodoContent titled(String title) {
        return new TodoContent(title, "", false, Optional.empty());
    }

    private static TodoContent described(String description) {
        return new TodoContent("t", description, false, Optional.empty());
    }

    private static TodoContent due(Instant dueAt) {
        return new TodoContent("t", "", false, Optional.of(dueAt));
    }

    private static void assertRejected(String field, String message, Runnable construction, String label) {
        InvalidValueException e = assertThrows(InvalidValueException.class, construction::run, label);
        assertEquals(field, e.field(), label);
        assertEquals(message, e.getMessage(), label);
    }

    // ---- title

    @Test
    void theTitleIsTrimmed() {
        assertEquals("Buy milk", titled("  Buy milk \t\n").title());
        assertEquals("Buy  some   milk", titled(" Buy  some   milk ").title(), "inner spaces stay");
        assertEquals("x", titled("\u2003x\u3000").title(), "Unicode white space is trimmed too");
    }

    @Test
    void oneAndTwoHundredCharactersAreAccepted() {
        assertEquals("a", titled("a").title());
        assertEquals("x".repeat(200), titled("x".repeat(200)).title());
        assertEquals("x".repeat(200), titled("   " + "x".repeat(200) + "   ").title(), "the length counts after trimming");
    }

    @Test
    void emptyBlankAndTooLongTitlesAreRejectedNamingTheRule() {
        for (String bad : List.of("", " ", "   ", "\t\n", "\u2003\u3000", "x".repeat(201), " " + "x".repeat(201) + " ")) {
            assertRejected("title", TITLE_RULE, () -> titled(bad), "'" + bad + "'");
        }
    }

    @Test
    void loneSurrogatesAreRejectedInTitleAndDescription() {
        assertRejected("title", "title must be valid Unicode text (it has a lone surrogate)", () -> titled("a\ud83d"), "high");
        assertRejected("description", "description must be valid Unicode text (it has a lone surrogate)",
                () -> new TodoContent("a", "\ude00b", false, Optional.empty()), "low");
        assertEquals("\ud83d\ude00", titled("\ud83d\ude00").title(), "a pair is one character");
    }

    @Test
    void titlesOfOnlyNoBreakOrZeroWidthSpacesAreBlankToo() {
        for (String bad : List.of("\u00a0", "\u200b", "\u00a0\u200b\u00a0", "\u2060", "\ufeff")) {
            assertRejected("title", TITLE_RULE, () -> titled(bad), "'" + bad + "'");
        }
        assertEquals("\u00a0a", titled("\u00a0a").title(), "a visible character makes it a title");
    }

    @Test
    void lengthsCountCodePointsNotUtf16Units() {
        String twoHundredEmoji = EMOJI.repeat(200);
        assertEquals(400, twoHundredEmoji.length(), "the premise: two UTF-16 units each");

        assertEquals(twoHundredEmoji, titled(twoHundredEmoji).title());
        assertEquals(EMOJI, titled(EMOJI).title(), "a single emoji is one character");
        assertRejected("title", TITLE_RULE, () -> titled(EMOJI.repeat(201)), "201 emoji");
    }

    @Test
    void aNullTitleIsRequired() {
        assertRejected("title", "title is required", () -> titled(null), "null");
    }

    @Test
    void checkTitleIsTheSameRuleAndReturnsTheTrimmedTitle() {
        assertEquals("Plan", TodoContent.checkTitle(" Plan "));
        assertRejected("title", TITLE_RULE, () -> TodoContent.checkTitle(" "), "blank");
        assertRejected("title", TITLE_RULE, () -> TodoContent.checkTitle("y".repeat(TodoContent.TITLE_MAX + 1)), "201");
    }

    // ---- description

    @Test
    void theDescriptionMayBeEmptyAndIsKeptAsWritten() {
        assertEquals("", described("").description());
        assertEquals("  two\nlines  ", described("  two\nlines  ").description(), "not trimmed");
    }

    @Test
    void theDescriptionIsAtMostTwoThousandCodePoints() {
        assertEquals(2000, described("d".repeat(2000)).description().length());
        assertEquals(EMOJI.repeat(2000), described(EMOJI.repeat(2000)).description(), "4000 UTF-16 units are 2000 characters");

        assertRejected("description", DESCRIPTION_RULE, () -> described("d".repeat(2001)), "2001");
        assertRejected("description", DESCRIPTION_RULE, () -> described(EMOJI.repeat(2001)), "2001 emoji");
    }

    @Test
    void aNullDescriptionIsRejected() {
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> described(null));

        assertEquals("description", e.field());
    }

    // ---- due date

    @Test
    void theDueDateIsOptional() {
        assertEquals(Optional.empty(), titled("t").dueAt());
        assertEquals(Optional.of(DUE), due(DUE).dueAt());
        assertThrows(NullPointerException.class, () -> new TodoContent("t", "", false, null));
    }

    @Test
    void theDueDateBoundsAreInclusive() {
        assertEquals(Optional.of(TodoContent.DUE_MIN), due(Instant.parse("1970-01-01T00:00:00Z")).dueAt());
        assertEquals(Optional.of(TodoContent.DUE_MAX), due(Instant.parse("9999-12-31T23:59:59.999Z")).dueAt());
    }

    @Test
    void dueDatesOutsideTheBoundsAreRejected() {
        List<Instant> outside = new ArrayList<>(List.of(
                TodoContent.DUE_MIN.minusMillis(1),
                TodoContent.DUE_MIN.minusNanos(1),
                Instant.parse("1969-07-20T20:17:00Z"),
                TodoContent.DUE_MAX.plusMillis(1),
                Instant.parse("+10000-01-01T00:00:00Z"),
                Instant.MIN,
                Instant.MAX));
        for (Instant bad : outside) {
            assertRejected("dueAt", DUE_RULE, () -> due(bad), bad.toString());
        }
    }

    @Test
    void theDueDateKeepsWholeMilliseconds() {
        TodoContent content = due(Instant.parse("2025-06-01T12:00:00.123456789Z"));

        assertEquals(Optional.of(Instant.parse("2025-06-01T12:00:00.123Z")), content.dueAt());
        assertEquals(content, due(Instant.parse("2025-06-01T12:00:00.123Z")), "equal to what a store reads back");
    }

    // ---- the whole

    @Test
    void titledIsANewOpenTodoWithoutDescriptionOrDueDate() {
        TodoContent content = TodoContent.titled("  Call Bob ");

        assertEquals(new TodoContent("Call Bob", "", false, Optional.empty()), content);
        assertFalse(content.completed());
    }

    @Test
    void contentsAreEqualByValueAfterTrimming() {
        assertEquals(new TodoContent("a", "b", true, Optional.of(DUE)), new TodoContent(" a ", "b", true, Optional.of(DUE)));
        assertFalse(new TodoContent("a", "b", true, Optional.of(DUE)).equals(new TodoContent("a", "b", false, Optional.of(DUE))));
        assertFalse(new TodoContent("a", "b", true, Optional.of(DUE)).equals(new TodoContent("a", "b ", true, Optional.of(DUE))));
    }
}
