package dev.dnsdig.adapters.rest.account;

import dev.dnsdig.adapters.rest.ratelimit.RateLimited;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.dnsdig.adapters.rest.account.AccountJson.TokenResponse;
import dev.dnsdig.adapters.rest.problem.Problem;
import dev.dnsdig.adapters.rest.problem.ProblemException;
import dev.dnsdig.adapters.rest.problem.ProblemMappers.FieldError;
import dev.dnsdig.adapters.rest.problem.ProblemMappers.ValidationProblem;
import dev.dnsdig.adapters.rest.support.JsonConfig;
import dev.dnsdig.application.port.in.ExternalLogin;
import dev.dnsdig.application.port.in.ExternalLogin.Completed;
import dev.dnsdig.application.port.in.ExternalLogin.Started;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code /v1/auth/login-url} and {@code /v1/auth/callback/{provider}}: sign-in with an OpenID Connect provider. */
@Singleton // one instance: stateless, and made once instead of per request
@Path("/v1/auth")
@Produces(MediaType.APPLICATION_JSON)
public class ExternalLoginResource {
    /** The most the caller's {@code store} may weigh, as serialized JSON. */
    static final int STORE_MAX_BYTES = 4096;

    private final ExternalLogin login;

    @Inject
    public ExternalLoginResource(ExternalLogin login) {
        this.login = login;
    }

    @POST
    @RateLimited
    @Path("login-url")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, String> loginUrl(JsonNode body) {
        JsonNode request = body == null || body.isNull() ? JsonConfig.MAPPER.createObjectNode() : body;
        List<FieldError> errors = new ArrayList<>();
        if (!request.isObject()) {
            throw new ProblemException(ValidationProblem.of(List.of(new FieldError("body", "must be a JSON object"))));
        }
        Optional<String> state = text(request, "state", errors);
        Optional<String> provider = text(request, "provider", errors);
        Optional<String> store = Optional.empty();
        JsonNode storeNode = request.get("store");
        if (storeNode != null && !storeNode.isNull()) {
            if (!storeNode.isObject()) {
                errors.add(new FieldError("store", "must be a JSON object"));
            } else {
                store = Optional.of(serialize(storeNode));
                if (store.get().getBytes(StandardCharsets.UTF_8).length > STORE_MAX_BYTES) {
                    errors.add(new FieldError("store", "must be at most " + STORE_MAX_BYTES + " bytes of JSON"));
                }
            }
        }
        request.fieldNames().forEachRemaining(name -> {
            if (!List.of("state", "store", "provider").contains(name)) {
                errors.add(new FieldError(name, "unknown field"));
            }
        });
        if (!errors.isEmpty()) {
            throw new ProblemException(ValidationProblem.of(errors));
        }
        String chosen = provider.orElseGet(() -> login.providers().stream().findFirst().orElseThrow(() -> noProvider("none is configured")));
        return switch (login.begin(chosen, state, store)) {
            case Started.Url url -> Map.of("loginUrl", url.loginUrl().toString(), "state", url.state());
            case Started.UnknownProvider unknown -> throw noProvider("'" + chosen + "' is not configured");
            case Started.BadState bad -> throw new ProblemException(ValidationProblem.of(List.of(new FieldError("state", bad.reason()))));
            case Started.Unavailable unavailable -> throw new ProblemException(Problem.of("provider-unavailable",
                    "The identity provider is unavailable", 502, unavailable.reason()));
        };
    }

    @GET
    @RateLimited
    @Path("callback/{provider}")
    public Response callback(@PathParam("provider") String provider, @QueryParam("code") String code,
                             @QueryParam("state") String state, @QueryParam("error") String error,
                             @QueryParam("error_description") String errorDescription) {
        Completed completed = login.complete(provider, Optional.ofNullable(code), Optional.ofNullable(state),
                Optional.ofNullable(error), Optional.ofNullable(errorDescription));
        return switch (completed) {
            case Completed.LoggedIn in -> {
                Map<String, Object> body = new LinkedHashMap<>(JsonConfig.MAPPER.convertValue(TokenResponse.of(in.tokens()), Map.class));
                in.store().ifPresent(json -> body.put("store", parse(json)));
                yield Response.ok(body).cacheControl(CacheControl.valueOf("no-store")).build();
            }
            case Completed.UnknownProvider unknown -> throw noProvider("'" + provider + "' is not configured");
            case Completed.BadState bad -> throw new ProblemException(Problem.of("invalid-state", "Invalid login state", 400, bad.reason()));
            case Completed.ProviderError failure -> throw new ProblemException(Problem.of("provider-error",
                    "The identity provider refused", 400, failure.error() + (failure.description().isBlank() ? "" : ": " + failure.description()))
                    .with("error", failure.error()).with("error_description", failure.description()));
            case Completed.Rejected rejected -> throw new ProblemException(Problem.of("invalid-id-token", "Login not verified", 401,
                    rejected.reason()));
            case Completed.Unavailable unavailable -> throw new ProblemException(Problem.of("provider-unavailable",
                    "The identity provider is unavailable", 502, unavailable.reason()));
            case Completed.Blocked blocked -> throw new ProblemException(Problem.of("blocked", "Account blocked", 403,
                    "This account is blocked."));
            case Completed.EmailNotVerified unverified -> throw new ProblemException(Problem.of("email-not-verified",
                    "E-mail not verified", 409, "An account with this e-mail exists; the provider has not verified the "
                            + "address, so it is not linked. Verify it at the provider, or log in with your password."));
        };
    }

    private static Optional<String> text(JsonNode request, String field, List<FieldError> errors) {
        JsonNode node = request.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            errors.add(new FieldError(field, "must be a string"));
            return Optional.empty();
        }
        return Optional.of(node.asText());
    }

    private static ProblemException noProvider(String why) {
        return new ProblemException(Problem.of("unknown-provider", "No such identity provider", 404, "External login: " + why + "."));
    }

    private static String serialize(JsonNode node) {
        try {
            return JsonConfig.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(String json) {
        try {
            return JsonConfig.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON no longer parses", e);
        }
    }
}
