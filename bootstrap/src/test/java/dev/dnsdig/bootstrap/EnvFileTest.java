package dev.dnsdig.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvFileTest {

    @TempDir
    Path dir;

    // --- parse -------------------------------------------------------------------------------------------------

    @Test
    void commentsAndBlankLinesAreSkipped() {
        Map<String, String> values = EnvFile.parse(List.of(
                "# a comment",
                "",
                "   ",
                "  # an indented comment with KEY=value in it",
                "A=1",
                "#B=2"));

        assertEquals(Map.of("A", "1"), values);
    }

    @Test
    void keyValueLinesAreStripped() {
        assertEquals(Map.of("A", "1", "B", "two words", "C", "a=b=c"), EnvFile.parse(List.of(
                "A=1",
                "  B =  two words  ",
                "C=a=b=c")));
    }

    @Test
    void exportPrefixIsDropped() {
        assertEquals(Map.of("A", "1", "B", "2"), EnvFile.parse(List.of("export A=1", "  export   B = 2")));
    }

    @Test
    void quotedValuesLoseTheirQuotesAndKeepEverythingInside() {
        Map<String, String> values = EnvFile.parse(List.of(
                "DOUBLE=\"a=b;c # not a comment \"",
                "SINGLE='[::1]:5301 # still not'",
                "EMPTY_DOUBLE=\"\"",
                "EMPTY_SINGLE=''",
                "MIXED=\"it's\""));

        assertEquals(Map.of(
                "DOUBLE", "a=b;c # not a comment ",
                "SINGLE", "[::1]:5301 # still not",
                "EMPTY_DOUBLE", "",
                "EMPTY_SINGLE", "",
                "MIXED", "it's"), values);
    }

    @Test
    void unbalancedQuotesAreKeptAsTheyAre() {
        assertEquals(Map.of("A", "\"open", "B", "close'", "C", "\"", "D", "'a\""), EnvFile.parse(List.of(
                "A=\"open",
                "B=close'",
                "C=\"",
                "D='a\"")));
    }

    @Test
    void trailingCommentAfterASpaceEndsAnUnquotedValue() {
        Map<String, String> values = EnvFile.parse(List.of(
                "PORT=8081 # the admin port",
                "PROVIDERS=local=127.0.0.1:5301,[::1]:5301   # two # signs",
                "HASH=abc#def"));

        assertEquals(Map.of("PORT", "8081", "PROVIDERS", "local=127.0.0.1:5301,[::1]:5301", "HASH", "abc#def"), values);
    }

    @Test
    void linesWithoutAKeyAndEqualsSignAreIgnored() {
        assertEquals(Map.of("A", "1"), EnvFile.parse(List.of(
                "JUST_A_WORD",
                "export",
                "export NOTHING",
                "=value without key",
                "A=1")));
    }

    @Test
    void anEmptyValueIsKeptEmpty() {
        assertEquals(Map.of("A", ""), EnvFile.parse(List.of("A=")));
    }

    @Test
    void theLastOfRepeatedKeysWins() {
        assertEquals(Map.of("A", "3"), EnvFile.parse(List.of("A=1", "A=2", "export A=3")));
    }

    // --- merged ------------------------------------------------------------------------------------------------

    @Test
    void environmentOverridesTheFileAndBothContribute() throws IOException {
        Path file = dir.resolve(".env");
        Files.writeString(file, """
                # local settings
                DNSDIG_HTTP_PORT=9000
                export DNSDIG_DNS_TIMEOUT_MS=1500 # faster
                DNSDIG_HTTP_HOST='::1'
                """);

        Map<String, String> merged = EnvFile.merged(file, Map.of("DNSDIG_HTTP_PORT", "9001", "HOME", "/root"));

        assertEquals(Map.of(
                "DNSDIG_HTTP_PORT", "9001",
                "DNSDIG_DNS_TIMEOUT_MS", "1500",
                "DNSDIG_HTTP_HOST", "::1",
                "HOME", "/root"), merged);
    }

    @Test
    void anEmptyEnvironmentValueStillOverridesTheFile() throws IOException {
        Path file = dir.resolve(".env");
        Files.writeString(file, "DNSDIG_HTTP_PORT=9000\n");

        assertEquals(Map.of("DNSDIG_HTTP_PORT", ""), EnvFile.merged(file, Map.of("DNSDIG_HTTP_PORT", "")));
    }

    @Test
    void aMissingFileIsFine() {
        Map<String, String> environment = Map.of("DNSDIG_HTTP_PORT", "9001");

        assertEquals(environment, EnvFile.merged(dir.resolve("no-such.env"), environment));
        assertEquals(Map.of(), EnvFile.merged(dir.resolve("missing/also/.env"), Map.of()));
    }

    @Test
    void aDirectoryNamedLikeTheFileIsIgnored() throws IOException {
        Path directory = Files.createDirectory(dir.resolve(".env"));

        assertEquals(Map.of("A", "1"), EnvFile.merged(directory, Map.of("A", "1")));
    }

    @Test
    void aFileThatCannotBeDecodedIsAConfigurationProblemNamingTheFile() throws IOException {
        Path file = dir.resolve(".env");
        Files.write(file, new byte[] {'A', '=', (byte) 0xC3, (byte) 0x28, '\n'}); // not UTF-8

        Config.Invalid invalid = assertThrows(Config.Invalid.class, () -> EnvFile.merged(file, Map.of()));

        assertEquals(1, invalid.problems().size(), invalid::getMessage);
        assertTrue(invalid.problems().get(0).startsWith(file + ": cannot be read"), invalid::getMessage);
    }

    @Test
    void theFileIsReadAsUtf8AndCrLfLineEndsAreAccepted() throws IOException {
        Path file = dir.resolve(".env");
        Files.write(file, "A=caf\u00e9\r\nB=2\r\n".getBytes(StandardCharsets.UTF_8));

        assertEquals(Map.of("A", "caf\u00e9", "B", "2"), EnvFile.merged(file, Map.of()));
    }

    @Test
    void mergedDoesNotChangeTheEnvironmentMap() throws IOException {
        Path file = dir.resolve(".env");
        Files.writeString(file, "FROM_FILE=1\n");
        Map<String, String> environment = new java.util.HashMap<>(Map.of("A", "1"));

        Map<String, String> merged = EnvFile.merged(file, environment);

        assertEquals(Map.of("A", "1"), environment);
        assertEquals(Map.of("A", "1", "FROM_FILE", "1"), merged);
    }
}
