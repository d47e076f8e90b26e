package dev.dnsdig.adapters.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.ObjectDataType;
import org.junit.jupiter.api.Test;

/** How the embedded store writes a collection's values: documents as BSON, other values and old ones as H2 does. */
class BsonValueTypeTest {
    private static Document lookup() {
        Document provider = new Document("name", "knot").append("elapsedMicros", 1234L).append("status", "NOERROR");
        return new Document("_id", new ObjectId()).append("userId", "01JABCDEF").append("name", "www.dnsdig.test.")
                .append("type", 1).append("at", Instant.parse("2026-11-21T22:00:00.123Z")).append("ratio", 0.5)
                .append("cached", true).append("comment", null).append("provider", provider)
                .append("answers", new ArrayList<>(List.of("192.0.2.10", "192.0.2.11")));
    }

    private static ByteBuffer written(BsonValueType type, Object value) {
        WriteBuffer buffer = new WriteBuffer();
        type.write(buffer, value);
        return buffer.getBuffer().flip();
    }

    @Test
    void aDocumentIsWrittenAsBsonAndReadBackEqual() {
        BsonValueType type = new BsonValueType();
        Document document = lookup();
        ByteBuffer bytes = written(type, document);

        assertEquals(BsonValueType.BSON, bytes.get(0));
        Object read = type.read(bytes);
        assertEquals(document, read);
        assertEquals(0, bytes.remaining(), "exactly the value was read");
    }

    @Test
    void valuesWrittenByH2sDefaultTypeAreStillRead() {
        Document document = lookup();
        WriteBuffer old = new WriteBuffer();
        new ObjectDataType().write(old, document);
        ByteBuffer bytes = old.getBuffer().flip();

        assertNotEquals(BsonValueType.BSON, bytes.get(0));
        assertEquals(document, new BsonValueType().read(bytes));
    }

    @Test
    void otherValuesAndDocumentsBsonCannotHoldAreKeptAsTheDefaultKeepsThem() {
        BsonValueType type = new BsonValueType();
        for (Object value : List.of(42L, "an id", new Document("link", URI.create("https://dnsdig.test/")))) {
            ByteBuffer bytes = written(type, value);
            assertNotEquals(BsonValueType.BSON, bytes.get(0), value::toString);
            assertEquals(value, type.read(bytes));
        }
    }

    @Test
    void aPageOfValuesIsReadInOrder() {
        BsonValueType type = new BsonValueType();
        Object[] page = {lookup(), 7L, lookup()};
        WriteBuffer buffer = new WriteBuffer();
        type.write(buffer, page, page.length);
        Object[] read = new Object[page.length];
        type.read(buffer.getBuffer().flip(), read, read.length);
        assertEquals(List.of(page), List.of(read));
    }

    @Test
    void theMemoryEstimateGrowsWithTheDocument() {
        BsonValueType type = new BsonValueType();
        Document small = new Document("_id", 1);
        Document large = lookup().append("text", "x".repeat(10_000));
        assertTrue(type.getMemory(large) > 10_000, () -> "estimate " + type.getMemory(large));
        assertTrue(type.getMemory(small) < type.getMemory(lookup()));
    }
}
