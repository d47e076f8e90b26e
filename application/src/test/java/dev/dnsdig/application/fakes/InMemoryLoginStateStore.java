package dev.dnsdig.application.fakes;

import dev.dnsdig.application.port.out.LoginStateStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** In-memory {@link LoginStateStore}: take removes, so a state works once. */
public final class InMemoryLoginStateStore implements LoginStateStore {
    private final Map<String, LoginState> states = new HashMap<>();

    @Override
    public synchronized boolean save(LoginState state) {
        return states.putIfAbsent(state.state(), state) == null;
    }

    @Override
    public synchronized Taken take(String state, Instant now) {
        LoginState found = states.remove(state);
        if (found == null) {
            return new Taken.Unknown();
        }
        return found.expiresAt().isAfter(now) ? new Taken.Found(found) : new Taken.Expired();
    }
}
