package dev.dnsdig.adapters.auth.oidc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * The few HTTP calls to a provider, on the JDK's client: HTTP/1.1 only (no h2c upgrade offer), no redirects
 * followed, a connect timeout and one deadline for the whole exchange including the body, and bodies of at most
 * {@value #MAX_BODY} bytes. Every failure is a {@link ProviderUnavailable} with a safe reason.
 */
final class OidcHttp implements AutoCloseable {
    static final int MAX_BODY = 256 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build())
            .build());

    /** What came back: status and body; the body was read completely. */
    record Response(int status, byte[] body) {
        boolean ok() {
            return status == 200;
        }

        /** The body as a JSON object, if it is one (and nothing else). */
        Optional<JsonNode> json() {
            return object(body);
        }
    }

    private final HttpClient client;
    private final Duration timeout;

    OidcHttp(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the timeout must be positive");
        }
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    Response get(URI uri) throws ProviderUnavailable {
        return send(HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET().build());
    }

    /** POSTs {@code form} as application/x-www-form-urlencoded, with an Authorization header if given. */
    Response postForm(URI uri, Map<String, String> form, Optional<String> authorization) throws ProviderUnavailable {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Accept", "application/json")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(formEncode(form), StandardCharsets.US_ASCII));
        authorization.ifPresent(value -> request.header("Authorization", value));
        return send(request.build());
    }

    private Response send(HttpRequest request) throws ProviderUnavailable {
        CompletableFuture<HttpResponse<byte[]>> pending = client.sendAsync(request, info -> new LimitedBody(MAX_BODY));
        try {
            HttpResponse<byte[]> response = pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Response(response.statusCode(), response.body());
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new ProviderUnavailable("the identity provider did not answer in time");
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new ProviderUnavailable("interrupted while waiting for the identity provider");
        } catch (ExecutionException e) {
            throw new ProviderUnavailable(switch (e.getCause()) {
                case HttpTimeoutException timedOut -> "the identity provider did not answer in time";
                case TooLarge tooLarge -> "the identity provider's answer is too large";
                case null, default -> "the identity provider is unreachable";
            });
        }
    }

    @Override
    public void close() {
        client.shutdownNow();
    }

    /** application/x-www-form-urlencoded, with spaces as %20 so that no reader can mistake them. */
    static String formEncode(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static Optional<JsonNode> object(byte[] body) {
        try (JsonParser parser = JSON.createParser(body)) {
            JsonNode node = JSON.readTree(parser);
            if (node == null || !node.isObject() || parser.nextToken() != null) {
                return Optional.empty();
            }
            return Optional.of(node);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Text of a JSON member, if it is a string. */
    static Optional<String> text(JsonNode object, String member) {
        JsonNode value = object.get(member);
        return value != null && value.isTextual() ? Optional.of(value.textValue()) : Optional.empty();
    }

    private static final class TooLarge extends IOException {
        TooLarge() {
            super("response body too large", null);
        }
    }

    /** Collects the body, failing as soon as it grows past the limit. */
    private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final int limit;
        private Flow.Subscription subscription;

        LimitedBody(int limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer item : items) {
                if (buffer.size() + item.remaining() > limit) {
                    result.completeExceptionally(new TooLarge());
                    subscription.cancel();
                    return;
                }
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                buffer.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            result.complete(buffer.toByteArray());
        }
    }
}
