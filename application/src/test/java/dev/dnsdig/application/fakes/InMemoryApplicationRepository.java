package dev.dnsdig.application.fakes;

import dev.dnsdig.application.port.out.ApplicationRepository;
import dev.dnsdig.domain.client.Application;
import dev.dnsdig.domain.client.ClientId;
import dev.dnsdig.domain.user.UserId;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** In-memory {@link ApplicationRepository}. */
public final class InMemoryApplicationRepository implements ApplicationRepository {
    private final Map<ClientId, Application> applications = new LinkedHashMap<>();

    @Override
    public synchronized void create(Application application) {
        if (applications.putIfAbsent(application.clientId(), application) != null) {
            throw new IllegalStateException("duplicate client id " + application.clientId());
        }
    }

    @Override
    public synchronized Optional<Application> findById(ClientId clientId) {
        return Optional.ofNullable(applications.get(clientId));
    }

    @Override
    public synchronized List<Application> listByOwner(UserId owner) {
        // the Mongo adapter's order: creation time, then id (a ULID) for ties
        return applications.values().stream().filter(a -> a.owner().equals(owner))
                .sorted(Comparator.comparing(Application::createdAt).thenComparing(a -> a.clientId().value())).toList();
    }

    @Override
    public synchronized boolean delete(ClientId clientId, UserId owner) {
        Application application = applications.get(clientId);
        if (application == null || !application.owner().equals(owner)) {
            return false;
        }
        applications.remove(clientId);
        return true;
    }

    @Override
    public synchronized void deleteAllOf(UserId owner) {
        applications.values().removeIf(a -> a.owner().equals(owner));
    }
}
