package dev.dnsdig.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;

/** {@link AsyncLogHandler}: every line written in order once flushed, none written twice, overflow dropped and counted. */
class AsyncLogHandlerTest {

    private static LogRecord record(String message) {
        LogRecord record = new LogRecord(Level.INFO, message);
        record.setLoggerName("test");
        return record;
    }

    @Test
    void everyLineIsWrittenInOrderByFlush() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AsyncLogHandler handler = new AsyncLogHandler(out, 10_000);
        handler.setFormatter(new JsonLogFormatter());
        for (int i = 0; i < 5_000; i++) {
            handler.publish(record("line " + i));
        }
        handler.flush();

        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(5_000, lines.size());
        for (int i = 0; i < lines.size(); i++) {
            assertTrue(lines.get(i).contains("\"message\":\"line " + i + "\""), lines.get(i));
        }
        handler.close();
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfBlockingTheCaller() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        // a log destination that hangs until released, like a full pipe
        OutputStream stuck = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                written.write(b, off, len);
            }
        };
        AsyncLogHandler handler = new AsyncLogHandler(stuck, 10);
        handler.setFormatter(new SimpleFormatter());
        long started = System.nanoTime();
        for (int i = 0; i < 10_000; i++) {
            handler.publish(record("x" + "y".repeat(100_000 / 10_000) + i)); // the buffer fills, the writer hangs
        }
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertTrue(handler.dropped() > 9_000, "dropped " + handler.dropped());
        assertTrue(tookMillis < 5_000, "publishing must not wait for the stuck writer: " + tookMillis + " ms");
        release.countDown();
        handler.close();
        assertTrue(written.toString(StandardCharsets.UTF_8).contains("log lines dropped"), "the loss is reported");
    }
}
