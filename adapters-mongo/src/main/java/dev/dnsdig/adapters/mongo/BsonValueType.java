package dev.dnsdig.adapters.mongo;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Map;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;
import org.h2.mvstore.type.ObjectDataType;

/**
 * How the embedded store keeps a collection's values in its H2 file: documents as BSON, anything else as H2's default
 * type does. The default writes a document with Java serialization, class descriptors and all, once per value: under
 * authenticated lookups that was an eighth of the server's CPU (writing pages, and reading them back to compact the
 * file). Values written by the default type before are still read.
 */
final class BsonValueType extends BasicDataType<Object> {
    /** Never a tag of H2's {@link ObjectDataType}, whose tags end below 128: what follows is a BSON document. */
    static final byte BSON = (byte) 0xF0;

    private final ObjectDataType others = new ObjectDataType();

    @Override
    public Object[] createStorage(int size) {
        return new Object[size];
    }

    @Override
    public int getMemory(Object value) {
        return value instanceof Document document ? estimate(document) : others.getMemory(value);
    }

    @Override
    public void write(WriteBuffer buffer, Object value) {
        if (value instanceof Document document) {
            ByteBuf bson = Unpooled.buffer(256);
            try {
                BsonEncoder.encodeDocument(document, bson);
            } catch (RuntimeException notBson) {
                // a value the wire never carries: kept as the default type keeps it
                bson.release();
                others.write(buffer, value);
                return;
            }
            try {
                buffer.put(BSON).putVarInt(bson.readableBytes());
                buffer.put(bson.nioBuffer());
            } finally {
                bson.release();
            }
            return;
        }
        others.write(buffer, value);
    }

    @Override
    public Object read(ByteBuffer buffer) {
        if (buffer.get(buffer.position()) != BSON) {
            return others.read(buffer);
        }
        buffer.get();
        int length = DataUtils.readVarInt(buffer);
        ByteBuffer bson = buffer.slice(buffer.position(), length);
        buffer.position(buffer.position() + length);
        return BsonDecoder.decodeBson(Unpooled.wrappedBuffer(bson));
    }

    /**
     * Roughly the document's size in BSON, as H2's default type estimates a value by its serialized size: H2 splits
     * pages and bounds its cache by these numbers (a heap-size estimate, several times larger, made pages of two or
     * three documents and measured slower).
     */
    static int estimate(Object value) {
        return switch (value) {
            case Map<?, ?> map -> {
                int size = 5;
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    size += 2 + String.valueOf(entry.getKey()).length() + estimate(entry.getValue());
                }
                yield size;
            }
            case Collection<?> list -> {
                int size = 5;
                for (Object item : list) {
                    size += 4 + estimate(item);
                }
                yield size;
            }
            case String text -> 5 + text.length();
            case byte[] bytes -> 5 + bytes.length;
            case null -> 0;
            default -> 8;
        };
    }
}
