package dev.dnsdig.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** Every record becomes one line of JSON, with credentials masked even where a library put them in a message. */
class JsonLogFormatterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final JsonLogFormatter formatter = new JsonLogFormatter();

    private JsonNode format(LogRecord record) throws Exception {
        String line = formatter.format(record);
        assertTrue(line.endsWith(System.lineSeparator()) && line.indexOf('\n') == line.length() - 1, line);
        return JSON.readTree(line);
    }

    @Test
    void aMapParameterBecomesMembersOfTheLine() throws Exception {
        LogRecord record = new LogRecord(Level.INFO, "GET /v1/todos/{id} 200");
        record.setLoggerName("dnsdig.access");
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("route", "/v1/todos/{id}");
        fields.put("status", 200);
        fields.put("level", "not this one");
        record.setParameters(new Object[] {fields});
        JsonNode line = format(record);
        assertEquals("GET /v1/todos/{id} 200", line.get("message").asText());
        assertEquals("/v1/todos/{id}", line.get("route").asText());
        assertEquals(200, line.get("status").asInt());
        assertEquals("INFO", line.get("level").asText(), "a field never overwrites the record's own");
        assertEquals("dnsdig.access", line.get("logger").asText());
    }

    @Test
    void messagesAreFormattedAndErrorsCarryTheirStackOnTheSameLine() throws Exception {
        LogRecord record = new LogRecord(Level.WARNING, "key {0} ignored\nsecond line");
        record.setParameters(new Object[] {"k1"});
        record.setThrown(new IllegalStateException("broken"));
        JsonNode line = format(record);
        assertEquals("key k1 ignored\nsecond line", line.get("message").asText());
        assertTrue(line.get("error").asText().startsWith("java.lang.IllegalStateException: broken"), line.toString());
        assertTrue(line.get("error").asText().contains("at dev.dnsdig.bootstrap.JsonLogFormatterTest"), line.toString());
    }

    @Test
    void credentialsInAMessageOrErrorAreMasked() throws Exception {
        String jwt = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1In0.c2lnbmF0dXJl";
        LogRecord record = new LogRecord(Level.SEVERE, "sent Authorization: Bearer abc.def-ghi and basic dXNlcjpwYXNz, token " + jwt);
        record.setThrown(new IllegalArgumentException("bad token " + jwt));
        String line = formatter.format(record);
        assertFalse(line.contains("abc.def-ghi") || line.contains("dXNlcjpwYXNz") || line.contains(jwt), line);
        JsonNode parsed = JSON.readTree(line);
        assertEquals("sent Authorization: Bearer *** and basic ***, token ***", parsed.get("message").asText());
        assertTrue(parsed.get("error").asText().startsWith("java.lang.IllegalArgumentException: bad token ***"));
    }

    @Test
    void aFieldJacksonCannotWriteIsKeptAsText() throws Exception {
        LogRecord record = new LogRecord(Level.INFO, "odd");
        record.setParameters(new Object[] {Map.of("thing", new Object() {
            @Override
            public String toString() {
                return "the thing";
            }
        })});
        assertEquals("the thing", format(record).get("thing").asText());
    }

    @Test
    void everyCharacterThatNeedsEscapingIsEscapedAndReadsBackTheSame() throws Exception {
        StringBuilder all = new StringBuilder("quote \" backslash \\ slash / emoji \uD83D\uDE00 separators \u2028\u2029 ");
        for (char c = 0; c < 0x20; c++) {
            all.append(c);
        }
        String text = all.toString();
        LogRecord record = new LogRecord(Level.INFO, "m");
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("text", text);
        fields.put("long", Long.MAX_VALUE);
        fields.put("double", 12.5);
        fields.put("flag", true);
        fields.put("nothing", null);
        fields.put("list", java.util.List.of(1, "two"));
        record.setParameters(new Object[] {fields});
        JsonNode line = format(record);
        assertEquals(text, line.get("text").asText());
        assertEquals(Long.MAX_VALUE, line.get("long").asLong());
        assertEquals(12.5, line.get("double").asDouble());
        assertTrue(line.get("flag").asBoolean());
        assertTrue(line.get("nothing").isNull());
        assertEquals("[1,\"two\"]", line.get("list").toString());
    }
}
