package dev.dnsdig.application.port.in;

import dev.dnsdig.domain.client.Application;
import dev.dnsdig.domain.client.ClientId;
import dev.dnsdig.domain.user.Permission;
import dev.dnsdig.domain.user.UserId;
import java.util.List;
import java.util.Set;

/** Use case: a user creates, lists and deletes machine clients that act for them. */
public interface ManageApplications {
    Created create(UserId owner, String name, Set<Permission> permissions);

    List<Application> list(UserId owner);

    /** False when there is no such application of this owner. */
    boolean delete(UserId owner, ClientId clientId);

    /** Result of creation. */
    sealed interface Created {
        /** The secret is in clear here, and nowhere ever again. */
        record WithSecret(Application application, String clientSecret) implements Created {
            @Override
            public String toString() {
                return "WithSecret[" + application.clientId() + ", secret=***]";
            }
        }

        /** The owner asked for permissions they do not hold. */
        record NotHeld(Set<Permission> permissions) implements Created {
        }

        record OwnerNotFound() implements Created {
        }
    }
}
