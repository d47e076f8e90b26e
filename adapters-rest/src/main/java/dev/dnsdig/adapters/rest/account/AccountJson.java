package dev.dnsdig.adapters.rest.account;

import dev.dnsdig.adapters.rest.ratelimit.RateLimited;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.dnsdig.adapters.rest.problem.ProblemMappers.FieldError;
import dev.dnsdig.adapters.rest.problem.ProblemMappers.ValidationProblem;
import dev.dnsdig.adapters.rest.problem.ProblemException;
import dev.dnsdig.application.port.in.Tokens;
import dev.dnsdig.domain.InvalidValueException;
import dev.dnsdig.domain.user.Permission;
import dev.dnsdig.domain.user.User;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** Request and response shapes of the account endpoints, and their mapping. */
public final class AccountJson {
    private AccountJson() {
    }

    /** {@code POST /v1/users}. */
    public record SignUpRequest(
            @NotBlank @Size(max = 254) @Pattern(regexp = "[^@\\s]{1,64}@[^@\\s.]+(\\.[^@\\s.]+)+", message = "must be an e-mail address")
            String email,
            @NotNull @Pattern(regexp = "[A-Za-z0-9]{3,50}", message = "must be 3-50 letters or digits")
            String username,
            @NotNull @Size(min = 8, max = 128, message = "must be 8-128 characters")
            @Pattern(regexp = "(?s).*\\d.*", message = "must contain a digit")
            @Pattern(regexp = "(?s).*\\p{Lu}.*", message = "must contain an upper-case letter")
            String password,
            @Size(min = 1, max = User.DISPLAY_NAME_MAX) @Pattern(regexp = "(?s).*\\S.*", message = "must not be blank")
            String displayName) implements RateLimited.ForAccount {
        @Override
        public String toString() {
            return "SignUpRequest[email=" + email + ", username=" + username + "]";
        }
    }

    /** {@code POST /v1/auth/login}. */
    public record LoginRequest(@NotNull @Size(max = 254) String email, @NotNull @Size(max = 1024) String password)
            implements RateLimited.ForAccount {
        @Override
        public String toString() {
            return "LoginRequest[email=" + email + "]";
        }
    }

    /** {@code POST /v1/auth/refresh} and {@code /logout}, field named as in OAuth 2. */
    public record RefreshRequest(@JsonProperty("refresh_token") @NotBlank @Size(max = 512) String refreshToken) {
        @Override
        public String toString() {
            return "RefreshRequest[***]";
        }
    }

    /** The OAuth 2 token response (RFC 6749 5.1); no refresh token for machine clients. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TokenResponse(@JsonProperty("access_token") String accessToken,
                                @JsonProperty("token_type") String tokenType,
                                @JsonProperty("expires_in") long expiresIn,
                                @JsonProperty("refresh_token") String refreshToken,
                                String scope) {
        public static TokenResponse of(Tokens tokens) {
            // rounded up: a token's exp has whole seconds, so the exact remainder is a hair under the lifetime
            long seconds = (tokens.expiresIn().toMillis() + 999) / 1000;
            return new TokenResponse(tokens.accessToken(), "Bearer", seconds, tokens.refreshToken().orElse(null),
                    scopes(tokens.permissions()));
        }
    }

    /** An account as the API shows it: never the password hash. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record UserBody(String id, String email, String username, String displayName, List<String> permissions,
                           boolean blocked, Instant blockedAt, List<IdentityBody> identities, Instant createdAt,
                           Instant updatedAt, long version) {
        static UserBody of(User user) {
            return new UserBody(user.id().value(), user.email().value(), user.username().value(),
                    user.displayName().orElse(null), user.permissions().stream().sorted().map(Permission::scope).toList(),
                    user.blocked(), user.blockedAt().orElse(null),
                    user.identities().stream().map(i -> new IdentityBody(i.provider(), i.subject())).toList(),
                    user.createdAt(), user.updatedAt(), user.version());
        }
    }

    public record IdentityBody(String provider, String subject) {
    }

    /** A page of users with the link to the next one, if any. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record UserPage(List<UserBody> items, String next) {
    }

    static String scopes(java.util.Set<Permission> permissions) {
        return permissions.stream().sorted().map(Permission::scope).collect(Collectors.joining(" "));
    }

    /** Builds domain values from a validated body; a rule the domain still rejects becomes a 422 for that field. */
    static <T> T domain(Supplier<T> build) {
        try {
            return build.get();
        } catch (InvalidValueException e) {
            throw new ProblemException(ValidationProblem.of(List.of(new FieldError(e.field(), e.getMessage()))));
        }
    }
}
