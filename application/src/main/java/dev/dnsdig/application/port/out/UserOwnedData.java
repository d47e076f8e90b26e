package dev.dnsdig.application.port.out;

import dev.dnsdig.domain.user.UserId;

/** Outgoing port for anything stored on a user's behalf that goes when their account goes. */
public interface UserOwnedData {

    /** Deletes everything of the user's kept here; nothing when there is none. */
    void deleteAllOf(UserId owner);
}
