package dev.dnsdig.adapters.rest.doh;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;

/**
 * The dedicated DNS-over-HTTPS listener: RFC 8484 {@code /dns-query} only, over TLS with HTTP/2 (ALPN) or HTTP/1.1,
 * on Netty. The API's listeners serve {@code /dns-query} too, through Jersey and Grizzly's HTTP/2, whose cost per
 * request capped DoH at a seventh of unbound's rate on this hardware (a bare Grizzly HTTP/2 handler included); Netty's
 * HTTP/2 codec measured several times unbound's. The event loops only parse and write: the DNS work and the rate-limit
 * count (a database round trip with a shared store) run on virtual threads.
 */
public final class DohListener implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DohListener.class.getName());
    /** How long a connection may stay without a frame in either direction before it is closed. */
    static final Duration IDLE = Duration.ofSeconds(60);
    /** Concurrent streams a client may open on one HTTP/2 connection (unbound's default too). */
    static final int MAX_STREAMS = 100;

    /**
     * Where to listen and with what: the key material for TLS, and the connections the server admits in all
     * ({@link Connections}, shared with its other listeners).
     */
    public record Settings(String host, int port, KeyManagerFactory keys, java.util.List<String> tlsProtocols) {
    }

    /** The server's bound on open connections, shared by every listener: one more is closed as it arrives. */
    public interface Connections {
        /** A connection arrived: false when it must be closed at once. {@link #closed} follows either way. */
        boolean opened();

        void closed();
    }

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel server;
    private final ChannelGroup open;
    private final DohRequests requests;

    private DohListener(EventLoopGroup boss, EventLoopGroup workers, Channel server, ChannelGroup open, DohRequests requests) {
        this.boss = boss;
        this.workers = workers;
        this.server = server;
        this.open = open;
        this.requests = requests;
    }

    /** Listens now; {@code requests} answers what arrives. */
    public static DohListener start(Settings settings, DohRequests requests, Connections connections) {
        SslContext tls = tls(settings);
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, Thread.ofPlatform().name("doh-accept").factory(),
                NioIoHandler.newFactory());
        // one event loop per core: they never block, so more would only take turns
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(),
                Thread.ofPlatform().name("doh-io-", 0).factory(), NioIoHandler.newFactory());
        ChannelGroup open = new DefaultChannelGroup("doh", GlobalEventExecutor.INSTANCE);
        try {
            Channel server = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            channel.closeFuture().addListener(closed -> connections.closed());
                            if (!connections.opened()) {
                                channel.close();
                                return;
                            }
                            open.add(channel);
                            channel.pipeline().addLast(tls.newHandler(channel.alloc()),
                                    // answers come from virtual threads one by one: written together, they share
                                    // TLS records and system calls instead of taking one each
                                    new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true),
                                    new IdleStateHandler(0, 0, IDLE.toSeconds(), TimeUnit.SECONDS),
                                    new CloseWhenIdle(), new Negotiation(requests));
                        }
                    })
                    .bind(new InetSocketAddress(settings.host(), settings.port())).syncUninterruptibly().channel();
            return new DohListener(boss, workers, server, open, requests);
        } catch (Throwable e) { // a failed bind arrives as the checked BindException, thrown unchecked
            boss.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** TLS 1.3 and 1.2 with HTTP/2's cipher suites (RFC 9113 appendix A), h2 preferred by ALPN, HTTP/1.1 beside it. */
    private static SslContext tls(Settings settings) {
        try {
            return SslContextBuilder.forServer(settings.keys()).sslProvider(SslProvider.JDK)
                    .protocols(settings.tlsProtocols())
                    .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS for the DNS-over-HTTPS listener: " + e.getMessage(), e);
        }
    }

    /** After the TLS handshake: the HTTP version ALPN chose (HTTP/1.1 for a client that offered none). */
    private static final class Negotiation extends ApplicationProtocolNegotiationHandler {
        private final DohRequests requests;

        Negotiation(DohRequests requests) {
            super(ApplicationProtocolNames.HTTP_1_1);
            this.requests = requests;
        }

        @Override
        protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
            ChannelPipeline pipeline = ctx.pipeline();
            if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                // the path is a header here: room for the longest one, which then gets its 414 problem
                pipeline.addLast(Http2FrameCodecBuilder.forServer()
                                .initialSettings(Http2Settings.defaultSettings().maxConcurrentStreams(MAX_STREAMS)
                                        .maxHeaderListSize(DohRequests.MAX_URI + DohRequests.MAX_HEADERS))
                                .build(),
                        new DohHttp2Handler(requests));
            } else {
                pipeline.addLast(new HttpServerCodec(new HttpDecoderConfig()
                                .setMaxInitialLineLength(DohRequests.MAX_URI + 64).setMaxHeaderSize(DohRequests.MAX_HEADERS)),
                        new HttpServerKeepAliveHandler(), requests.aggregator(), new DohHandler(requests));
            }
        }

        @Override
        protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
            // plain HTTP or a client that trusts no such certificate: theirs to fix, not worth a log line each
            LOG.log(System.Logger.Level.DEBUG, () -> "TLS handshake failed: " + cause);
            ctx.close();
        }
    }

    /** Closes a connection that has been silent in both directions for {@link #IDLE}. */
    private static final class CloseWhenIdle extends io.netty.channel.ChannelDuplexHandler {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof IdleStateEvent) {
                ctx.close();
            } else {
                super.userEventTriggered(ctx, event);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // a reset connection, a broken frame: the connection ends, the server goes on
            LOG.log(System.Logger.Level.DEBUG, () -> "DoH connection closed: " + cause);
            ctx.close();
        }
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** The requests being answered now. */
    public int inFlight() {
        return requests.inFlight();
    }

    /**
     * Stops gracefully: no new connections, requests still arriving are answered 503, those in flight get up to
     * {@code grace} to finish; then every connection is closed (HTTP/2 ones with a GOAWAY).
     */
    public void close(Duration grace) {
        server.close().syncUninterruptibly();
        requests.drain();
        long deadline = System.nanoTime() + grace.toNanos();
        try {
            while (requests.inFlight() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        open.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        close(Duration.ZERO);
    }
}
