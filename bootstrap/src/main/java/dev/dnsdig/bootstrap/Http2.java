package dev.dnsdig.bootstrap;

import java.io.IOException;
import java.lang.reflect.Constructor;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.http2.AlpnSupport;
import org.glassfish.grizzly.http2.Http2AddOn;
import org.glassfish.grizzly.http2.Http2Configuration;
import org.glassfish.grizzly.http2.Http2ServerFilter;
import org.glassfish.grizzly.npn.AlpnServerNegotiator;

/**
 * HTTP/2 on a TLS listener, offered by ALPN beside HTTP/1.1 (the JDK's {@code SSLEngine} does ALPN; no boot-class-path
 * agent). Grizzly's add-on, set like the HTTP/1.1 side: bodies on any method read rather than refused, and no server
 * push (nothing here pushes, and clients are told so in SETTINGS).
 *
 * <p>Header limits: Grizzly bounds only the compressed header block, which HPACK can make far smaller than the
 * fields it carries. The block may take {@link #MAX_HEADER_BLOCK_BYTES}, so that a request over the decoded limit is
 * still decoded whole (keeping the connection's HPACK state right) and answered with a 431 problem by
 * {@link Admission}; a block beyond that closes the connection (RFC 9113 §10.5.1), as do more than 100 fields
 * (Grizzly's GOAWAY with COMPRESSION_ERROR).
 */
final class Http2 implements AddOn {
    /** Streams one connection may have open at once: the floor RFC 9113 §6.5.2 recommends, and what most servers use. */
    static final int MAX_CONCURRENT_STREAMS = 100;
    /** A compressed header block Grizzly keeps while it arrives: per connection, at most one at a time. */
    static final int MAX_HEADER_BLOCK_BYTES = 64 * 1024;

    @Override
    public void setup(NetworkListener listener, FilterChainBuilder builder) {
        Http2Configuration configuration = Http2Configuration.builder()
                .maxConcurrentStreams(MAX_CONCURRENT_STREAMS)
                .maxHeaderListSize(MAX_HEADER_BLOCK_BYTES)
                .enablePush(false)
                .build();
        new Http2AddOn(configuration).setup(listener, builder);
        int index = builder.indexOfType(Http2ServerFilter.class);
        if (index >= 0) { // absent only when the JDK lacks ALPN, and Grizzly has logged that it serves HTTP/1.1 alone
            Http2ServerFilter filter = new OversizedBlocksClose(configuration);
            filter.setLocalMaxFramePayloadSize(configuration.getMaxFramePayloadSize());
            filter.setAllowPayloadForUndefinedHttpMethods(true);
            builder.set(index, filter);
            // the add-on's ALPN negotiator starts each HTTP/2 session on the filter it made: this one takes its place
            AlpnSupport.getInstance().setServerSideNegotiator(listener.getTransport(), negotiatorFor(filter));
        }
    }

    /** Grizzly's own negotiator, made for our filter: its class is not public, its constructor is. */
    private static AlpnServerNegotiator negotiatorFor(Http2ServerFilter filter) {
        try {
            Constructor<?> negotiator = Class.forName("org.glassfish.grizzly.http2.AlpnServerNegotiatorImpl")
                    .getConstructor(Http2ServerFilter.class);
            negotiator.setAccessible(true);
            return (AlpnServerNegotiator) negotiator.newInstance(filter);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Grizzly's HTTP/2 ALPN negotiator is not where it was (" + e + ")", e);
        }
    }

    /**
     * Grizzly 4.0.2 casts the CONTINUATION frame that takes a header block over its limit to a HEADERS frame: a
     * ClassCastException logged with its stack trace, and a connection left half-dead. Such a connection is closed
     * here instead: its HPACK state is lost with the block, so no later request on it could be read.
     */
    static final class OversizedBlocksClose extends Http2ServerFilter {
        OversizedBlocksClose(Http2Configuration configuration) {
            super(configuration);
        }

        @Override
        public NextAction handleRead(FilterChainContext ctx) throws IOException {
            try {
                return super.handleRead(ctx);
            } catch (ClassCastException e) {
                if (!String.valueOf(e.getMessage()).contains("ContinuationFrame")) {
                    throw e;
                }
                ctx.getConnection().closeSilently();
                return ctx.getStopAction();
            }
        }
    }
}
