package dev.dnsdig.bootstrap;

import java.util.concurrent.atomic.AtomicInteger;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.HttpServerFilter;
import org.glassfish.grizzly.http.server.HttpServerProbe;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;

/**
 * Counts the requests the server is working on, on every listener and protocol. A graceful shutdown needs it: Grizzly
 * finishes closing an HTTP/2 connection only when one of its requests ends, so an idle HTTP/2 client (a browser, a
 * DoH resolver) would hold the shutdown for the whole grace period; once nothing is in flight, the rest can close.
 */
final class InFlightRequests extends HttpServerProbe.Adapter {
    private final AtomicInteger count = new AtomicInteger();

    static InFlightRequests watch(HttpServer http) {
        InFlightRequests probe = new InFlightRequests();
        http.getServerConfiguration().getMonitoringConfig().getWebServerConfig().addProbes(probe);
        return probe;
    }

    int count() {
        return count.get();
    }

    @Override
    public void onRequestReceiveEvent(HttpServerFilter filter, Connection connection, Request request) {
        count.incrementAndGet();
    }

    @Override
    public void onRequestCompleteEvent(HttpServerFilter filter, Connection connection, Response response) {
        count.decrementAndGet();
    }
}
