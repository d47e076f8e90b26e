package dev.dnsdig.adapters.rest.doh;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * Hands an HTTP/1.1 connection's requests to {@link DohRequests} one after another, so that pipelined requests are
 * answered in their order, and writes the answers back. (HTTP/2 connections: {@link DohHttp2Handler}.)
 */
final class DohHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final System.Logger LOG = System.getLogger(DohHandler.class.getName());
    /** Pipelined HTTP/1.1 requests held before the connection is read no further until they are answered. */
    private static final int MAX_WAITING = 16;

    private final DohRequests requests;
    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
    private boolean busy;

    DohHandler(DohRequests requests) {
        super(false); // released here once answered: the request outlives channelRead0 while waiting
        this.requests = requests;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (busy) {
            waiting.add(request);
            if (waiting.size() >= MAX_WAITING) {
                ctx.channel().config().setAutoRead(false);
            }
            return;
        }
        handle(ctx, request);
    }

    private void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        busy = true;
        try {
            requests.handle(request, peer(ctx.channel()), response -> {
                if (ctx.executor().inEventLoop()) {
                    write(ctx, response);
                } else {
                    ctx.executor().execute(() -> write(ctx, response));
                }
            });
        } finally {
            request.release();
        }
    }

    private void write(ChannelHandlerContext ctx, DohRequests.Response response) {
        if (response.close()) {
            response.message().headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response.message()).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.writeAndFlush(response.message());
        busy = false;
        FullHttpRequest next = waiting.poll();
        if (next != null) {
            handle(ctx, next);
        } else if (!ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /** The client's address. */
    static String peer(Channel connection) {
        return connection.remoteAddress() instanceof InetSocketAddress address && address.getAddress() != null
                ? address.getAddress().getHostAddress() : String.valueOf(connection.remoteAddress());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        waiting.forEach(FullHttpRequest::release);
        waiting.clear();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, () -> "DoH request channel closed: " + cause);
        ctx.close();
    }
}
