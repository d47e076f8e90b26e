package dev.dnsdig.bootstrap;

import java.io.IOException;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.FilterChainEvent;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.HttpEvents;
import org.glassfish.grizzly.http.HttpHeader;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.HttpServerFilter;
import org.glassfish.grizzly.http.server.NetworkListener;

/**
 * Answers requests that offer {@code Upgrade: h2c} (the JDK's HttpClient, {@code curl --http2}) over plain
 * HTTP/1.1. Without it a plain Grizzly listener stops reading the body of such a request and it hangs
 * (glassfish-grizzly#1972, jersey#6059): the HTTP/2 filter that would finish the upgrade is not there, so we
 * decline the upgrade the way that filter does when it does not upgrade.
 */
final class DeclineH2cUpgrade implements AddOn {
    @Override
    public void setup(NetworkListener listener, FilterChainBuilder builder) {
        builder.add(builder.indexOfType(HttpServerFilter.class) + 1, new Decliner());
    }

    private static final class Decliner extends BaseFilter {
        @Override
        public NextAction handleEvent(FilterChainContext ctx, FilterChainEvent event) throws IOException {
            if (event.type() == HttpEvents.IncomingHttpUpgradeEvent.TYPE) {
                HttpHeader header = ((HttpEvents.IncomingHttpUpgradeEvent) event).getHttpHeader();
                if (header.isRequest() && "h2c".equalsIgnoreCase(header.getUpgrade())) {
                    header.setIgnoreContentModifiers(false); // read the body as HTTP/1.1 says
                    ((HttpRequestPacket) header).getUpgradeDC().recycle(); // and stay on HTTP/1.1
                    return ctx.getStopAction();
                }
            }
            return ctx.getInvokeAction();
        }
    }
}
