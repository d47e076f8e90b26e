package dev.dnsdig.adapters.rest.client;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.dnsdig.domain.client.Application;
import dev.dnsdig.domain.user.Permission;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;

/** Request and response shapes of {@code /v1/me/applications}; client id and secret named as in OAuth 2. */
public final class ApplicationJson {
    private ApplicationJson() {
    }

    /** {@code POST /v1/me/applications}: scopes such as {@code read:resolver}, each one the caller holds. */
    public record CreateRequest(
            @NotNull @Size(min = 1, max = Application.NAME_MAX) @Pattern(regexp = "(?s).*\\S.*", message = "must not be blank")
            String name,
            @NotNull @Size(max = 32) List<String> permissions) {
    }

    /** An application as listed: never its secret nor the secret's hash. */
    @JsonPropertyOrder({"client_id", "name", "permissions", "createdAt"})
    public record ApplicationBody(@JsonProperty("client_id") String clientId, String name, List<String> permissions,
                                  Instant createdAt) {
        static ApplicationBody of(Application application) {
            return new ApplicationBody(application.clientId().value(), application.name(), scopes(application),
                    application.createdAt());
        }
    }

    /** The answer to creation: the only time the secret is ever shown. */
    @JsonPropertyOrder({"client_id", "client_secret", "name", "permissions", "createdAt"})
    public record CreatedBody(@JsonProperty("client_id") String clientId, @JsonProperty("client_secret") String clientSecret,
                              String name, List<String> permissions, Instant createdAt) {
        static CreatedBody of(Application application, String secret) {
            return new CreatedBody(application.clientId().value(), secret, application.name(), scopes(application),
                    application.createdAt());
        }

        @Override
        public String toString() {
            return "CreatedBody[" + clientId + ", secret=***]";
        }
    }

    /** The caller's applications, oldest first. */
    public record ApplicationList(List<ApplicationBody> items) {
    }

    private static List<String> scopes(Application application) {
        return application.permissions().stream().sorted().map(Permission::scope).toList();
    }
}
