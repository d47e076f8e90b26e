package dev.dnsdig.application.port.out;

import dev.dnsdig.domain.client.Application;
import dev.dnsdig.domain.client.ClientId;
import dev.dnsdig.domain.user.UserId;
import java.util.List;
import java.util.Optional;

/** Outgoing persistence port for machine clients (applications). */
public interface ApplicationRepository extends UserOwnedData {

    void create(Application application);

    Optional<Application> findById(ClientId clientId);

    /** The owner's applications, oldest first. */
    List<Application> listByOwner(UserId owner);

    /** Deletes the application if it belongs to {@code owner}; false otherwise (unknown, or someone else's). */
    boolean delete(ClientId clientId, UserId owner);

    /** Deletes every application of the user (account deleted). */
    @Override
    void deleteAllOf(UserId owner);
}
