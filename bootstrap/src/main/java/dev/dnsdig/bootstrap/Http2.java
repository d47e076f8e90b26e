package dev.dnsdig.bootstrap;

import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.http2.Http2AddOn;
import org.glassfish.grizzly.http2.Http2Configuration;
import org.glassfish.grizzly.http2.Http2ServerFilter;

/**
 * HTTP/2 on a TLS listener, offered by ALPN beside HTTP/1.1 (the JDK's {@code SSLEngine} does ALPN; no boot-class-path
 * agent). Grizzly's add-on, set like the HTTP/1.1 side: the same header budget, bodies on any method read rather than
 * refused, and no server push (nothing here pushes, and clients are told so in SETTINGS).
 */
final class Http2 implements AddOn {
    /** Streams one connection may have open at once: the floor RFC 9113 §6.5.2 recommends, and what most servers use. */
    static final int MAX_CONCURRENT_STREAMS = 100;

    @Override
    public void setup(NetworkListener listener, FilterChainBuilder builder) {
        Http2Configuration configuration = Http2Configuration.builder()
                .maxConcurrentStreams(MAX_CONCURRENT_STREAMS)
                .maxHeaderListSize(listener.getMaxHttpHeaderSize())
                .enablePush(false)
                .build();
        new Http2AddOn(configuration).setup(listener, builder);
        int index = builder.indexOfType(Http2ServerFilter.class);
        if (index >= 0) { // absent only when the JDK lacks ALPN, and Grizzly has logged that it serves HTTP/1.1 alone
            ((Http2ServerFilter) builder.get(index)).setAllowPayloadForUndefinedHttpMethods(true);
        }
    }
}
