package dev.dnsdig.bootstrap;

import dev.dnsdig.adapters.rest.support.SecurityHeaders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpHeader;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.Protocol;
import org.glassfish.grizzly.http.HttpResponsePacket;
import org.glassfish.grizzly.http.HttpServerFilter;
import org.glassfish.grizzly.http.util.Header;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.http.util.MimeHeaders;
import org.glassfish.grizzly.memory.Buffers;
import org.glassfish.grizzly.memory.MemoryManager;

/**
 * Requests Grizzly refuses while parsing, before there is a request to hand anyone: a request line or header block
 * over the listener's limits, too many header fields, a malformed header. Grizzly answers those with a bare 400 and
 * no body; this codec says which limit it was (414, 431, else 400) in a problem document. It replaces Grizzly's
 * HTTP codec in the listener's chain, built with the same settings the listener gave the one it replaces.
 *
 * <p>It also keeps the connection of a 503 that asks for it ({@link #keepConnection}): Grizzly closes the connection
 * after every 503, which suits a server going away but not one refusing a request because it is full. A client
 * refused that way would have to connect again, and under a flood every refusal would cost a new connection on both
 * sides (and clients that pipeline lose the requests queued behind it).
 */
final class ProblemCodec implements AddOn {
    /** The detail of a 431, whichever listener or HTTP version refused the request. */
    static final String HEADERS_TOO_LARGE = "The request's header fields are larger, or more, than this server accepts.";
    private static final String KEEP_CONNECTION = ProblemCodec.class.getName() + ".keepConnection";

    /**
     * Asks that this response, a 503, keep its connection as the request asked (keep-alive or not); call before the
     * response is committed.
     */
    static void keepConnection(HttpResponsePacket response) {
        // the request's own wish, before Grizzly's rule for 503s overrides it
        response.getAttributes().setAttribute(KEEP_CONNECTION, response.getProcessingState().isKeepAlive());
    }

    @Override
    public void setup(NetworkListener listener, FilterChainBuilder builder) {
        int index = builder.indexOfType(HttpServerFilter.class);
        HttpServerFilter grizzly = (HttpServerFilter) builder.get(index);
        // the settings HttpServer.configureListener gives the codec; we use no compression and no HTTP probes
        Codec codec = new Codec(listener.isChunkingEnabled(),
                listener.getMaxHttpHeaderSize() == -1 ? 8192 : listener.getMaxHttpHeaderSize(),
                listener.getKeepAlive(), listener.getMaxRequestHeaders(), listener.getMaxResponseHeaders());
        codec.setAllowPayloadForUndefinedHttpMethods(grizzly.isAllowPayloadForUndefinedHttpMethods());
        codec.setMaxPayloadRemainderToSkip(grizzly.getMaxPayloadRemainderToSkip());
        builder.set(index, codec);
    }

    private static final class Codec extends HttpServerFilter {
        Codec(boolean chunking, int maxHeaderSize, org.glassfish.grizzly.http.KeepAlive keepAlive, int maxRequestHeaders,
              int maxResponseHeaders) {
            super(chunking, maxHeaderSize, null, keepAlive, null, maxRequestHeaders, maxResponseHeaders);
        }

        @Override
        protected void onHttpHeaderError(HttpHeader header, FilterChainContext ctx, Throwable error) throws IOException {
            HttpRequestPacket request = (HttpRequestPacket) header;
            HttpResponsePacket response = request.getResponse();
            int status = status(error);
            if (status == 414) {
                // the request line was never read to its version, and Grizzly would answer as HTTP/0.9: without
                // a content type, a date or Connection: close
                request.setProtocol(Protocol.HTTP_1_1);
            }
            response.setStatus(status);
            response.setReasonPhrase(ServerProblems.reason(status));
            super.onHttpHeaderError(header, ctx, error); // keeps a status of 400 or more, answers and closes
        }

        /**
         * Called between the status line and the header fields: Grizzly has just decided to close the connection
         * after a 503 and added {@code Connection: close}, and a response marked by {@link #keepConnection} takes
         * that back before the header fields are written.
         */
        @Override
        protected void onInitialLineEncoded(HttpHeader header, FilterChainContext ctx) {
            super.onInitialLineEncoded(header, ctx);
            if (header.getAttributes().removeAttribute(KEEP_CONNECTION) instanceof Boolean keepAlive && keepAlive) {
                header.getHeaders().removeHeader(Header.Connection);
                header.getProcessingState().setKeepAlive(true);
            }
        }

        /** The body of the error answer: Grizzly's is empty. */
        @Override
        protected HttpContent customizeErrorResponse(HttpResponsePacket response) {
            int status = response.getStatus();
            String detail = switch (status) {
                case 414 -> "The request line is longer than this server accepts.";
                case 431 -> HEADERS_TOO_LARGE;
                default -> "The request could not be parsed as HTTP.";
            };
            byte[] body = ServerProblems.json("about:blank", ServerProblems.reason(status), status, detail, null)
                    .getBytes(StandardCharsets.UTF_8);
            response.setContentType(ServerProblems.MEDIA_TYPE);
            response.setContentLength(body.length);
            SecurityHeaders.ALWAYS.forEach(response::setHeader);
            return HttpContent.builder(response)
                    .content(Buffers.wrap(MemoryManager.DEFAULT_MEMORY_MANAGER, body))
                    .last(true).build();
        }

        /** Grizzly tells its limits apart only by the exception and its message. */
        static int status(Throwable error) {
            for (Throwable cause = error; cause != null; cause = cause.getCause()) {
                if (cause instanceof MimeHeaders.MaxHeaderCountExceededException) {
                    return 431;
                }
                String message = String.valueOf(cause.getMessage());
                if (message.contains("intial line is too large") || message.contains("initial line is too large")) {
                    return 414;
                }
                if (message.contains("header is too large")) {
                    return 431;
                }
            }
            return 400;
        }
    }
}
