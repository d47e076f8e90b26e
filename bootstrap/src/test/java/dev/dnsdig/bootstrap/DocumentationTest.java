package dev.dnsdig.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Keeps the README and .env.example true: every variable the code reads is documented with its default. */
class DocumentationTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void readmeTableNamesEveryVariable() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        for (Config.Variable variable : Config.Variable.values()) {
            assertTrue(readme.contains("| `" + variable.name() + "` |"), variable + " missing from the README's table");
        }
        assertTrue(readme.contains("./dnsdig run") && readme.contains("./dnsdig test"), "the two commands");
    }

    @Test
    void envExampleGivesEveryDefaultAndParsesToTheDefaults() throws Exception {
        Map<String, String> example = EnvFile.parse(Files.readAllLines(ROOT.resolve(".env.example")));
        for (Config.Variable variable : Config.Variable.values()) {
            assertEquals(variable.defaultValue(), example.get(variable.name()), variable.name());
        }
        assertEquals(Config.Variable.values().length, example.size(), "no undocumented extras");
        assertEquals(Config.from(Map.of()), Config.from(example));
    }

    @Test
    void ciRunsTheReadmesTestCommand() throws Exception {
        assertTrue(Files.readString(ROOT.resolve(".ci/run")).contains("./dnsdig test"));
    }
}
