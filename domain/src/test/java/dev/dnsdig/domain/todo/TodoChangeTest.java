package dev.dnsdig.domain.todo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dnsdig.domain.InvalidValueException;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Tests of {@link TodoChange}: a merge patch of a todo's content, field by field, re-validated. */
class TodoChangeTest {
    private static final Instant DUE = Instant.parse("2025-06-01T12:00:00Z");
    private static final Instant LATER = Instant.parse("2025-07-01T08:30:00Z");
    private static final TodoContent BEFORE = new TodoContent("Buy milk", "two litres", false, Optional.of(DUE));

    private static TodoChange title(String title) {
        return new TodoChange(Optional.of(title), Optional.empty(), Optional.empty(), Optional.empty());
    }

    private static TodoChange description(String description) {
        return new TodoChange(Optional.empty(), Optional.of(description), Optional.empty(), Optional.empty());
    }

    private static TodoChange completed(boolean completed) {
        return new TodoChange(Optional.empty(), Optional.empty(), Optional.of(completed), Optional.empty());
    }

    private static TodoChange dueAt(Optional<Instant> dueAt) {
        return new TodoChange(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(dueAt));
    }

    @Test
    void noChangeLeavesEverything() {
        assertEquals(BEFORE, TodoChange.none().applyTo(BEFORE));
        assertEquals(new TodoChange(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()), TodoChange.none());
    }

    @Test
    void theTitleAloneIsReplaced() {
        assertEquals(new TodoContent("Buy bread", "two litres", false, Optional.of(DUE)), title("Buy bread").applyTo(BEFORE));
    }

    @Test
    void theDescriptionAloneIsReplaced() {
        assertEquals(new TodoContent("Buy milk", "", false, Optional.of(DUE)), description("").applyTo(BEFORE));
        assertEquals(new TodoContent("Buy milk", "oat", false, Optional.of(DUE)), description("oat").applyTo(BEFORE));
    }

    @Test
    void completedAloneIsReplacedBothWays() {
        TodoContent done = completed(true).applyTo(BEFORE);

        assertEquals(new TodoContent("Buy milk", "two litres", true, Optional.of(DUE)), done);
        assertEquals(BEFORE, completed(false).applyTo(done));
    }

    @Test
    void theDueDateIsLeftAloneReplacedOrRemoved() {
        assertEquals(Optional.of(DUE), completed(true).applyTo(BEFORE).dueAt(), "left alone");
        assertEquals(new TodoContent("Buy milk", "two litres", false, Optional.of(LATER)), dueAt(Optional.of(LATER)).applyTo(BEFORE));
        assertEquals(new TodoContent("Buy milk", "two litres", false, Optional.empty()), dueAt(Optional.empty()).applyTo(BEFORE));
        TodoContent undated = dueAt(Optional.empty()).applyTo(BEFORE);
        assertEquals(Optional.of(LATER), dueAt(Optional.of(LATER)).applyTo(undated).dueAt(), "a due date can be added");
    }

    @Test
    void everyFieldAtOnce() {
        TodoChange all = new TodoChange(Optional.of("Sell milk"), Optional.of("one litre"), Optional.of(true),
                Optional.of(Optional.of(LATER)));

        assertEquals(new TodoContent("Sell milk", "one litre", true, Optional.of(LATER)), all.applyTo(BEFORE));
    }

    @Test
    void theOriginalIsUntouched() {
        title("Other").applyTo(BEFORE);

        assertEquals("Buy milk", BEFORE.title());
    }

    @Test
    void theResultIsValidatedAgain() {
        assertEquals("Trimmed", title("  Trimmed  ").applyTo(BEFORE).title());

        InvalidValueException blank = assertThrows(InvalidValueException.class, () -> title("   ").applyTo(BEFORE));
        assertEquals("title", blank.field());
        InvalidValueException longTitle = assertThrows(InvalidValueException.class,
                () -> title("x".repeat(TodoContent.TITLE_MAX + 1)).applyTo(BEFORE));
        assertEquals("title", longTitle.field());
        InvalidValueException longDescription = assertThrows(InvalidValueException.class,
                () -> description("d".repeat(TodoContent.DESCRIPTION_MAX + 1)).applyTo(BEFORE));
        assertEquals("description", longDescription.field());
        InvalidValueException ancient = assertThrows(InvalidValueException.class,
                () -> dueAt(Optional.of(Instant.parse("1969-12-31T23:59:59Z"))).applyTo(BEFORE));
        assertEquals("dueAt", ancient.field());
    }

    @Test
    void everyComponentIsRequired() {
        assertThrows(NullPointerException.class, () -> new TodoChange(null, Optional.empty(), Optional.empty(), Optional.empty()));
        assertThrows(NullPointerException.class, () -> new TodoChange(Optional.empty(), null, Optional.empty(), Optional.empty()));
        assertThrows(NullPointerException.class, () -> new TodoChange(Optional.empty(), Optional.empty(), null, Optional.empty()));
        assertThrows(NullPointerException.class, () -> new TodoChange(Optional.empty(), Optional.empty(), Optional.empty(), null));
    }
}
