package dev.dnsdig.bootstrap;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.glassfish.grizzly.CloseListener;
import org.glassfish.grizzly.Closeable;
import org.glassfish.grizzly.ICloseType;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.NetworkListener;

/**
 * At most {@code max} open client connections, on every listener together: one more is closed as soon as it is
 * accepted, before TLS or HTTP cost anything. Grizzly accepts whatever arrives, and each connection holds a file
 * descriptor and some memory for as long as its client keeps it (idle ones for 30 s); without a bound a flood of
 * connections ends at the process's open-file limit, where accepting fails for everybody, operators' probes included.
 * The refused client sees its connection closed at once, as if refused, never a hang. One instance serves every
 * listener, so the count is the server's.
 */
final class ConnectionLimit implements AddOn {
    private static final System.Logger LOG = System.getLogger(ConnectionLimit.class.getName());

    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private final LongAdder refused = new LongAdder();
    private final ThrottledWarning warning = new ThrottledWarning(LOG);
    private final Release release = new Release();

    ConnectionLimit(int max) {
        this.max = max;
    }

    @Override
    public void setup(NetworkListener listener, FilterChainBuilder builder) {
        builder.add(1, new Gate()); // right after the transport: before TLS, before HTTP
    }

    /** For a listener outside Grizzly (DoH): counts a connection in, false when it must be closed at once. */
    boolean opened() {
        int now = open.incrementAndGet();
        if (now > max) {
            refused.increment();
            warning.now(() -> "too many connections: " + refused.sum() + " closed on arrival since start (at most "
                    + max + " open at once, DNSDIG_MAX_CONNECTIONS)");
            return false;
        }
        return true;
    }

    /** For a listener outside Grizzly: a connection counted by {@link #opened} has closed. */
    void closed() {
        open.decrementAndGet();
    }

    /** Client connections open now, refused ones briefly included. */
    int open() {
        return open.get();
    }

    /** Connections closed on arrival because {@code max} were open. */
    long refused() {
        return refused.sum();
    }

    private final class Gate extends BaseFilter {
        @Override
        public NextAction handleAccept(FilterChainContext ctx) {
            boolean admitted = opened();
            ctx.getConnection().addCloseListener(release); // called at once should it be closed already
            if (!admitted) {
                ctx.getConnection().closeSilently();
                return ctx.getStopAction();
            }
            return ctx.getInvokeAction();
        }
    }

    private final class Release implements CloseListener<Closeable, ICloseType> {
        @Override
        public void onClosed(Closeable closeable, ICloseType type) {
            closed();
        }
    }
}
