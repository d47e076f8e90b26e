package dev.dnsdig.adapters.rest.doh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.adapters.rest.observe.RequestLog;
import dev.dnsdig.adapters.rest.ratelimit.TrustedProxies;
import dev.dnsdig.application.port.in.AnswerDnsMessage;
import dev.dnsdig.domain.dns.DomainName;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.handler.codec.http2.Http2WindowUpdateFrame;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP/2 side of the DoH listener frame by frame, on Netty's embedded channel (the listener over real TLS is in
 * bootstrap's DohListenerTest): what a connection may hold of request bodies, and what happens beyond it.
 */
class DohHttp2HandlerTest {
    /** Every query is malformed to this use case: each answer is a 400 problem, made at once. */
    private static final AnswerDnsMessage MALFORMED = new AnswerDnsMessage() {
        @Override
        public Answer answer(byte[] message) {
            return new Answer.Malformed("not a query: " + message.length + " octets");
        }

        @Override
        public Answer answer(DomainName name, int type, boolean checkingDisabled, boolean dnssecOk) {
            throw new AssertionError("not asked by name here");
        }
    };

    /**
     * What the handler writes, from whichever thread. EmbeddedChannel's loop says every thread is in it, so the answers
     * of the virtual threads are written from them, at once, while this thread reads: its own outbound queue is not
     * made for that, and lost a frame now and then (CI saw stream 3's headers missing, its body there).
     */
    private final java.util.Queue<Object> out = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private final EmbeddedChannel connection = new EmbeddedChannel(new io.netty.channel.ChannelOutboundHandlerAdapter() {
        @Override
        public void write(io.netty.channel.ChannelHandlerContext ctx, Object frame, io.netty.channel.ChannelPromise promise) {
            out.add(frame);
            promise.setSuccess();
        }
    }, new DohHttp2Handler(new DohRequests(MALFORMED,
            Optional.empty(), (policy, caller, requests) -> {
                throw new AssertionError("no limit configured");
            }, TrustedProxies.none(), new RequestLog(Optional.empty()), 100)));

    @AfterEach
    void close() {
        out.forEach(ReferenceCountUtil::release);
        connection.finishAndReleaseAll();
    }

    private record Stream(int id) implements Http2FrameStream {
        @Override
        public Http2Stream.State state() {
            return Http2Stream.State.OPEN;
        }
    }

    private void post(Stream stream, int bytes, boolean end) {
        if (bytes < 0) {
            connection.writeInbound(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().method("POST").path("/dns-query")
                    .scheme("https").add("content-type", "application/dns-message"), false).stream(stream));
            return;
        }
        connection.writeInbound(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(new byte[bytes]), end).stream(stream));
    }

    /** The frames written so far, after the virtual threads' answers have come back to the channel. */
    private List<Http2StreamFrame> written(int answers) throws InterruptedException {
        List<Http2StreamFrame> frames = new ArrayList<>();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (frames.stream().filter(f -> f instanceof Http2HeadersFrame).count() < answers) {
            assertTrue(System.nanoTime() < deadline, "answers written: " + frames);
            Thread.sleep(5);
            connection.runPendingTasks();
            for (Object frame; (frame = out.poll()) != null; ) {
                frames.add((Http2StreamFrame) frame);
                ReferenceCountUtil.release(frame);
            }
        }
        for (Object frame; (frame = out.poll()) != null; ) {
            frames.add((Http2StreamFrame) frame);
            ReferenceCountUtil.release(frame);
        }
        return frames;
    }

    private static String status(List<Http2StreamFrame> frames, int stream) {
        return frames.stream().filter(f -> f instanceof Http2HeadersFrame && f.stream().id() == stream)
                .map(f -> ((Http2HeadersFrame) f).headers().status().toString()).findFirst().orElse("none");
    }

    @Test
    void beyondWhatAConnectionMayHoldAStreamIsRefusedAndTheOthersAnswered() throws Exception {
        // four bodies of 60,000 octets wait (240,000), a fifth would pass 256 KiB
        for (int id = 1; id <= 9; id += 2) {
            post(new Stream(id), -1, false);
            post(new Stream(id), 60_000, false);
        }
        List<Http2StreamFrame> refused = new ArrayList<>();
        for (Object frame; (frame = out.poll()) != null; ) {
            refused.add((Http2StreamFrame) frame);
        }
        List<Http2ResetFrame> resets = refused.stream().filter(f -> f instanceof Http2ResetFrame)
                .map(f -> (Http2ResetFrame) f).toList();
        assertEquals(1, resets.size(), refused::toString);
        assertEquals(9, resets.getFirst().stream().id());
        assertEquals(Http2Error.REFUSED_STREAM.code(), resets.getFirst().errorCode());
        assertEquals(5, refused.stream().filter(f -> f instanceof Http2WindowUpdateFrame).count(),
                "every octet received is given back to the client's window");

        for (int id = 1; id <= 7; id += 2) {
            post(new Stream(id), 0, true);
        }
        List<Http2StreamFrame> answered = written(4);
        for (int id = 1; id <= 7; id += 2) {
            assertEquals("400", status(answered, id), "stream " + id);
        }
        // all of it let go: a new stream of the same size is taken again
        post(new Stream(11), -1, false);
        post(new Stream(11), 60_000, true);
        assertEquals("400", status(written(1), 11));
    }

    @Test
    void aBodyOverTheLargestDnsMessageIsA413AndTheRestIsDropped() throws Exception {
        Stream stream = new Stream(3);
        post(stream, -1, false);
        post(stream, 40_000, false);
        post(stream, 40_000, false);
        List<Http2StreamFrame> frames = written(1);
        assertEquals("413", status(frames, 3));
        assertTrue(frames.stream().anyMatch(f -> f instanceof Http2DataFrame data && data.isEndStream()),
                "the problem document ends the stream");
        post(stream, 40_000, true); // dropped: no second answer
        connection.runPendingTasks();
        connection.flushOutbound(); // HTTP/2's codec flushes at the end of each read; this channel has none
        Object more = out.poll();
        assertTrue(more instanceof Http2WindowUpdateFrame, "only the window given back: " + more);
        ReferenceCountUtil.release(more);
    }
}
