package dev.dnsdig.adapters.rest.todo;

import dev.dnsdig.adapters.rest.support.Pages;
import dev.dnsdig.adapters.rest.problem.ProblemException;
import dev.dnsdig.application.port.in.ManageTodos.Precondition;
import dev.dnsdig.domain.todo.Todo;
import jakarta.ws.rs.core.EntityTag;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A todo's ETag is its version, a strong validator: {@code "3"}. {@code If-Match} (RFC 9110 13.1.1) uses the
 * strong comparison, so a weak tag never matches; {@code If-None-Match} uses the weak one.
 */
final class ETags {
    /** One entity tag: optional W/, then a quoted string without quotes inside. */
    private static final Pattern TAG = Pattern.compile("(W/)?\"([\\x21\\x23-\\x7e]*)\"");

    private ETags() {
    }

    static EntityTag of(Todo todo) {
        return new EntityTag(Long.toString(todo.version()));
    }

    /** What {@code If-Match} allows: anything when absent or {@code *}, else the versions its strong tags name. */
    static Precondition ifMatch(String header) {
        if (header == null || header.isBlank()) {
            return Precondition.none();
        }
        if (header.strip().equals("*")) {
            return Precondition.none(); // any current representation; every todo method needs one to exist anyway
        }
        Set<Long> versions = new HashSet<>();
        for (Tag tag : parse(header, "If-Match")) {
            if (!tag.weak()) {
                version(tag.value()).ifPresent(versions::add);
            }
        }
        return Precondition.versions(versions);
    }

    /** Whether {@code If-None-Match} names the todo's current version (or is {@code *}). */
    static boolean noneMatchHits(String header, Todo todo) {
        if (header == null || header.isBlank()) {
            return false;
        }
        if (header.strip().equals("*")) {
            return true;
        }
        return parse(header, "If-None-Match").stream()
                .anyMatch(tag -> version(tag.value()).filter(v -> v == todo.version()).isPresent());
    }

    private record Tag(boolean weak, String value) {
    }

    /** The tags of a list (RFC 9110 5.6.1: white space around commas, empty elements ignored). */
    private static java.util.List<Tag> parse(String header, String name) {
        java.util.List<Tag> tags = new java.util.ArrayList<>();
        Matcher matcher = TAG.matcher(header);
        boolean separated = true;
        int at = 0;
        while (at < header.length()) {
            char c = header.charAt(at);
            if (c == ' ' || c == '\t') {
                at++;
            } else if (c == ',') {
                separated = true;
                at++;
            } else if (separated && matcher.region(at, header.length()).lookingAt()) {
                tags.add(new Tag(matcher.group(1) != null, matcher.group(2)));
                separated = false;
                at = matcher.end();
            } else {
                throw malformed(name);
            }
        }
        if (tags.isEmpty()) {
            throw malformed(name);
        }
        return tags;
    }

    private static ProblemException malformed(String name) {
        return Pages.invalidHeader(name, name + " must be * or a comma-separated list of entity tags such as \"3\".");
    }

    /**
     * The version a tag we handed out names. Tags compare character by character (RFC 9110 8.8.3.2), so only the
     * exact text we send counts: {@code "01"} or {@code "+1"} is not {@code "1"}.
     */
    private static Optional<Long> version(String value) {
        try {
            long version = Long.parseLong(value);
            return Long.toString(version).equals(value) ? Optional.of(version) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty(); // a tag we never handed out matches nothing
        }
    }
}
