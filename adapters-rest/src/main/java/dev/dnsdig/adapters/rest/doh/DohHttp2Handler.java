package dev.dnsdig.adapters.rest.doh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.util.ReferenceCountUtil;
import java.util.HashMap;
import java.util.Map;

/**
 * An HTTP/2 connection's requests, read from its frames: each stream's headers and body become one request for
 * {@link DohRequests}, its answer a headers frame and a data frame. Frames rather than a child channel and an HTTP/1.1
 * codec per stream: that machinery, made and torn down for every query, was most of the listener's work per request.
 */
final class DohHttp2Handler extends ChannelInboundHandlerAdapter {
    private static final System.Logger LOG = System.getLogger(DohHttp2Handler.class.getName());
    /**
     * Body bytes one connection may have waiting at once, all its streams together: 100 streams of a full 64 KiB
     * each would hold 6.5 MB per connection. Beyond it a stream is refused (REFUSED_STREAM: not processed, the client
     * may send it again); real DNS queries are a few hundred bytes.
     */
    static final int MAX_BUFFERED = 256 * 1024;

    private final DohRequests requests;
    /** The streams whose body is still arriving. */
    private final Map<Http2FrameStream, Body> bodies = new HashMap<>();
    private int buffered;
    private String peer;

    DohHttp2Handler(DohRequests requests) {
        this.requests = requests;
    }

    /** A request whose body is being read; {@code content} null once it grew too large (its rest is dropped). */
    private static final class Body {
        final FullHttpRequest head;
        CompositeByteBuf content;

        Body(FullHttpRequest head, CompositeByteBuf content) {
            this.head = head;
            this.content = content;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        try {
            switch (message) {
                case Http2HeadersFrame headers -> headers(ctx, headers);
                case Http2DataFrame data -> data(ctx, data);
                case Http2ResetFrame reset -> drop(reset.stream());
                default -> {
                    // settings, pings, window updates, GOAWAY: the codec has done what they ask
                }
            }
        } finally {
            ReferenceCountUtil.release(message);
        }
    }

    private void headers(ChannelHandlerContext ctx, Http2HeadersFrame frame) {
        Body body = bodies.get(frame.stream());
        if (body != null) {
            // trailers end the body; their fields mean nothing to DNS
            if (frame.isEndStream()) {
                finish(ctx, frame.stream(), body);
            }
            return;
        }
        Http2Headers headers = frame.headers();
        HttpHeaders fields = new DefaultHttpHeaders(false); // HPACK decoding validated them
        for (Map.Entry<CharSequence, CharSequence> header : headers) {
            if (header.getKey().length() > 0 && header.getKey().charAt(0) != ':') {
                fields.add(header.getKey(), header.getValue());
            }
        }
        CharSequence method = headers.method();
        CharSequence path = headers.path();
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1,
                HttpMethod.valueOf(method == null ? "GET" : method.toString()), path == null ? "/" : path.toString(),
                Unpooled.EMPTY_BUFFER, fields, new DefaultHttpHeaders(false));
        if (frame.isEndStream()) {
            answer(ctx, frame.stream(), request);
        } else {
            bodies.put(frame.stream(), new Body(request, ctx.alloc().compositeBuffer()));
        }
    }

    private void data(ChannelHandlerContext ctx, Http2DataFrame frame) {
        // the client may send as much again: its window is given back whether the bytes are kept or dropped
        if (frame.initialFlowControlledBytes() > 0) {
            ctx.write(new DefaultHttp2WindowUpdateFrame(frame.initialFlowControlledBytes()).stream(frame.stream()));
        }
        Body body = bodies.get(frame.stream());
        if (body == null) {
            return; // a stream already answered (too large) or reset
        }
        if (body.content != null) {
            int bytes = frame.content().readableBytes();
            if (body.content.readableBytes() + bytes > DohProtocol.MAX_MESSAGE) {
                release(body);
                write(ctx, frame.stream(), requests.tooLarge(body.head));
            } else if (buffered + bytes > MAX_BUFFERED) {
                drop(frame.stream());
                ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.REFUSED_STREAM).stream(frame.stream()));
                return;
            } else {
                body.content.addComponent(true, frame.content().retain());
                buffered += bytes;
            }
        }
        if (frame.isEndStream()) {
            finish(ctx, frame.stream(), body);
        }
    }

    private void finish(ChannelHandlerContext ctx, Http2FrameStream stream, Body body) {
        bodies.remove(stream);
        if (body.content != null) {
            buffered -= body.content.readableBytes();
            answer(ctx, stream, body.head.replace(body.content)); // released there
        }
    }

    /** Lets go of what a body held. */
    private void release(Body body) {
        if (body.content != null) {
            buffered -= body.content.readableBytes();
            body.content.release();
            body.content = null;
        }
    }

    private void answer(ChannelHandlerContext ctx, Http2FrameStream stream, FullHttpRequest request) {
        try {
            requests.handle(request, peer(ctx), response -> {
                if (ctx.executor().inEventLoop()) {
                    write(ctx, stream, response.message());
                } else {
                    ctx.executor().execute(() -> write(ctx, stream, response.message()));
                }
            });
        } finally {
            request.release();
        }
    }

    private static void write(ChannelHandlerContext ctx, Http2FrameStream stream, FullHttpResponse response) {
        Http2Headers headers = new DefaultHttp2Headers(false).status(response.status().codeAsText());
        for (Map.Entry<String, String> header : response.headers()) {
            headers.add(header.getKey().toLowerCase(java.util.Locale.ROOT), header.getValue());
        }
        ByteBuf content = response.content();
        boolean empty = !content.isReadable();
        ctx.write(new DefaultHttp2HeadersFrame(headers, empty).stream(stream));
        if (empty) {
            content.release();
        } else {
            ctx.write(new DefaultHttp2DataFrame(content, true).stream(stream));
        }
        ctx.flush();
    }

    private void drop(Http2FrameStream stream) {
        Body body = bodies.remove(stream);
        if (body != null) {
            release(body);
        }
    }

    private String peer(ChannelHandlerContext ctx) {
        if (peer == null) {
            peer = DohHandler.peer(ctx.channel());
        }
        return peer;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        bodies.values().forEach(this::release);
        bodies.clear();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // a broken frame or a reset connection: the connection ends, the server goes on
        LOG.log(System.Logger.Level.DEBUG, () -> "DoH connection closed: " + cause);
        ctx.close();
    }
}
