package dev.dnsdig.bootstrap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;
import java.util.regex.Pattern;

/**
 * Writes each log record as one JSON object on one line: time, level, logger, message, the members of a record whose
 * one parameter is a map (the access log's fields), and the error with its stack trace.
 */
final class JsonLogFormatter extends Formatter {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Credentials that could still reach a message, say in a library's exception text: a bearer or basic credential
     * and anything shaped like a JWT. A second line of defence; our own code never logs them.
     */
    private static final Pattern CREDENTIALS = Pattern.compile(
            "(?i)\\b(bearer|basic)\\s+[A-Za-z0-9._~+/=-]+|\\beyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*");

    @Override
    public String format(LogRecord record) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", record.getInstant().toString());
        line.put("level", record.getLevel().getName());
        line.put("logger", record.getLoggerName());
        Object[] parameters = record.getParameters();
        if (parameters != null && parameters.length == 1 && parameters[0] instanceof Map<?, ?> fields) {
            line.put("message", redact(record.getMessage()));
            fields.forEach((name, value) -> line.putIfAbsent(String.valueOf(name), value));
        } else {
            line.put("message", redact(formatMessage(record)));
        }
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            line.put("error", redact(trace.toString()));
        }
        return write(line);
    }

    private static String write(Map<String, Object> line) {
        try {
            return JSON.writeValueAsString(line) + System.lineSeparator();
        } catch (JsonProcessingException e) {
            // a field Jackson cannot write: keep the line, lose that field's structure (strings always write)
            line.replaceAll((name, value) -> value instanceof String || value instanceof Number ? value : String.valueOf(value));
            return write(line);
        }
    }

    static String redact(String text) {
        return text == null ? null : CREDENTIALS.matcher(text).replaceAll(match ->
                match.group(1) != null ? match.group(1) + " ***" : "***");
    }
}
