package dev.dnsdig.bootstrap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@code .env} file ({@code KEY=value} lines, {@code #} comments, optional quotes and {@code export})
 * and lays the real environment over it: a variable set in the environment always wins.
 */
public final class EnvFile {
    private EnvFile() {
    }

    public static Map<String, String> merged(Path file, Map<String, String> environment) {
        Map<String, String> values = new HashMap<>();
        if (Files.isRegularFile(file)) {
            try {
                values.putAll(parse(Files.readAllLines(file, StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new Config.Invalid(List.of(file + ": cannot be read: " + e.getMessage()));
            }
        }
        values.putAll(environment);
        return values;
    }

    static Map<String, String> parse(List<String> lines) {
        Map<String, String> values = new HashMap<>();
        for (String raw : lines) {
            String line = (raw.startsWith("\uFEFF") ? raw.substring(1) : raw).strip(); // editors on Windows add a BOM
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring("export ".length()).strip();
            }
            int equals = line.indexOf('=');
            if (equals <= 0) {
                continue;
            }
            String key = line.substring(0, equals).strip();
            String value = line.substring(equals + 1).strip();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                    || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            } else {
                int comment = value.indexOf(" #");
                value = comment >= 0 ? value.substring(0, comment).strip() : value;
            }
            values.put(key, value);
        }
        return values;
    }
}
