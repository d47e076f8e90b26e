package dev.dnsdig.bootstrap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;
import java.util.regex.Pattern;

/**
 * Writes each log record as one JSON object on one line: time, level, logger, message, the members of a record whose
 * one parameter is a map (the access log's fields), and the error with its stack trace. Strings, numbers and booleans
 * are written here directly (one access line per request: building a map for Jackson cost a tenth of a lookup's
 * time); any other value goes through Jackson.
 */
final class JsonLogFormatter extends Formatter {
    /** Made on first use: few lines need it, and building it first thing cost ~50 ms of every start. */
    private static final class Jackson {
        static final ObjectMapper JSON = new ObjectMapper();
    }

    /**
     * Credentials that could still reach a message, say in a library's exception text: a bearer or basic credential
     * and anything shaped like a JWT. A second line of defence; our own code never logs them.
     */
    private static final Pattern CREDENTIALS = Pattern.compile(
            "(?i)\\b(bearer|basic)\\s+[A-Za-z0-9._~+/=-]+|\\beyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*");
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    @Override
    public String format(LogRecord record) {
        StringBuilder line = new StringBuilder(256).append('{');
        member(line, "time", record.getInstant().toString());
        member(line, "level", record.getLevel().getName());
        member(line, "logger", record.getLoggerName());
        Object[] parameters = record.getParameters();
        if (parameters != null && parameters.length == 1 && parameters[0] instanceof Map<?, ?> fields) {
            member(line, "message", redact(record.getMessage()));
            fields.forEach((name, value) -> {
                String key = String.valueOf(name);
                if (!RESERVED.contains(key)) { // the line's own members win
                    member(line, key, value);
                }
            });
        } else {
            member(line, "message", redact(formatMessage(record)));
        }
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            member(line, "error", redact(trace.toString()));
        }
        return line.append('}').append(System.lineSeparator()).toString();
    }

    private static final java.util.Set<String> RESERVED = java.util.Set.of("time", "level", "logger", "message", "error");

    private static void member(StringBuilder line, String name, Object value) {
        if (line.length() > 1) {
            line.append(',');
        }
        string(line, name);
        line.append(':');
        switch (value) {
            case null -> line.append("null");
            case String text -> string(line, text);
            case Integer number -> line.append(number.intValue());
            case Long number -> line.append(number.longValue());
            case Double number when Double.isFinite(number) -> line.append(number.doubleValue());
            case Boolean bool -> line.append(bool.booleanValue());
            default -> line.append(jackson(value));
        }
    }

    /** A JSON string literal: quotes, backslashes and every control character escaped (RFC 8259 section 7). */
    static void string(StringBuilder line, String text) {
        line.append('"');
        int plain = plainPrefix(text);
        line.append(text, 0, plain); // in one piece: most values need no escape at all (ids, routes, times)
        for (int i = plain; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> line.append("\\\"");
                case '\\' -> line.append("\\\\");
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                case '\t' -> line.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) { // line separators would split the line for some readers
                        line.append("\\u").append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF])
                                .append(HEX[c >> 4 & 0xF]).append(HEX[c & 0xF]);
                    } else {
                        line.append(c);
                    }
                }
            }
        }
        line.append('"');
    }

    /** How many chars at the start of {@code text} need no escape. */
    private static int plainPrefix(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\' || c == 0x2028 || c == 0x2029) {
                return i;
            }
        }
        return text.length();
    }

    private static String jackson(Object value) {
        try {
            return Jackson.JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            // a value Jackson cannot write: keep the line, lose that value's structure (strings always write)
            StringBuilder text = new StringBuilder();
            string(text, String.valueOf(value));
            return text.toString();
        }
    }

    static String redact(String text) {
        if (text == null || !mayHoldCredential(text)) {
            return text;
        }
        return CREDENTIALS.matcher(text).replaceAll(match ->
                match.group(1) != null ? match.group(1) + " ***" : "***");
    }

    /** A quick scan that rules out most lines before the pattern, which costs more than formatting the line. */
    private static boolean mayHoldCredential(String text) {
        for (int i = 0; i + 3 <= text.length(); i++) {
            char c = (char) (text.charAt(i) | 0x20); // ASCII lower case
            if ((text.startsWith("eyJ", i))
                    || (c == 'b' && (text.regionMatches(true, i, "bearer", 0, 6) || text.regionMatches(true, i, "basic", 0, 5)))) {
                return true;
            }
        }
        return false;
    }
}
