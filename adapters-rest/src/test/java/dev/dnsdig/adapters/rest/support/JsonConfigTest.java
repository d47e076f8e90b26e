package dev.dnsdig.adapters.rest.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.dnsdig.adapters.rest.problem.ProblemMappers;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Jackson's own limits, the second line behind the body limit: what gets past it cannot make Jackson work unbounded. */
class JsonConfigTest {

    private static ByteArrayInputStream stream(String json) {
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aDocumentOverOneMebibyteIsRefusedAsA413Problem() throws Exception {
        // Jackson checks the length as it loads each buffer, so it notices a few KiB past the limit
        String big = "{\"a\":1" + " ".repeat(2 << 20) + "}";
        StreamConstraintsException e = assertThrows(StreamConstraintsException.class,
                () -> JsonConfig.MAPPER.readTree(stream(big)));
        Response response = new ProblemMappers.UnfitJson().toResponse(e);
        assertEquals(413, response.getStatus());
        assertEquals("application/problem+json", response.getMediaType().toString());
        // just under it parses: the size is what was refused
        assertEquals(1, JsonConfig.MAPPER.readTree(stream("{\"a\":1" + " ".repeat((1 << 20) - 8) + "}")).get("a").asInt());
    }

    @Test
    void nestingDeeperThan32IsRefused() throws Exception {
        assertThrows(StreamConstraintsException.class,
                () -> JsonConfig.MAPPER.readTree(stream("[".repeat(33) + "]".repeat(33))));
        // 32 levels are fine: the 33rd is what was refused
        assertEquals(1, JsonConfig.MAPPER.readTree(stream("[".repeat(32) + "]".repeat(32))).size());
    }
}
