package dev.dnsdig.application.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.application.port.out.ApplicationRepository;
import dev.dnsdig.domain.client.Application;
import dev.dnsdig.domain.client.ClientId;
import dev.dnsdig.domain.user.Permission;
import dev.dnsdig.domain.user.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Contract of every {@link ApplicationRepository}: subclass once per adapter and return a fresh, empty repository.
 * Instants have whole milliseconds, which is what a BSON date keeps.
 */
public abstract class ApplicationRepositoryContract {
    private static final Instant T0 = Instant.parse("2026-02-03T04:05:06.789Z");
    private static final UserId ANN = UserId.generate(T0);
    private static final UserId BOB = UserId.generate(T0.plusMillis(1));

    protected ApplicationRepository applications;

    /** A fresh repository with no applications in it. */
    protected abstract ApplicationRepository newRepository();

    @BeforeEach
    void freshRepository() {
        applications = newRepository();
    }

    private static Application application(UserId owner, String name, Instant createdAt, Set<Permission> permissions) {
        return new Application(ClientId.generate(createdAt), owner, name, permissions, "hash-of-" + name, createdAt);
    }

    private Application created(UserId owner, String name, Instant createdAt) {
        Application application = application(owner, name, createdAt, Set.of(Permission.READ_RESOLVER));
        applications.create(application);
        return application;
    }

    @Test
    void aCreatedApplicationIsFoundWithEveryFieldIntact() {
        Application application = application(ANN, "Backup script ✓", T0,
                Set.of(Permission.READ_RESOLVER, Permission.WRITE_TODOS, Permission.READ_APPLICATION));
        applications.create(application);

        Application found = applications.findById(application.clientId()).orElseThrow();
        assertEquals(application, found);
        assertEquals("hash-of-Backup script ✓", found.secretHash());
        assertEquals(Set.of(Permission.READ_RESOLVER, Permission.WRITE_TODOS, Permission.READ_APPLICATION), found.permissions());
    }

    @Test
    void anApplicationWithoutPermissionsKeepsAnEmptySet() {
        Application application = application(ANN, "nothing", T0, Set.of());
        applications.create(application);

        assertEquals(Set.of(), applications.findById(application.clientId()).orElseThrow().permissions());
    }

    @Test
    void anUnknownIdIsEmpty() {
        created(ANN, "one", T0);

        assertEquals(Optional.empty(), applications.findById(ClientId.generate(T0)));
    }

    @Test
    void listByOwnerHasOnlyTheirsOldestFirst() {
        Application third = created(ANN, "third", T0.plusSeconds(20));
        Application first = created(ANN, "first", T0);
        created(BOB, "bobs", T0.plusSeconds(5));
        Application second = created(ANN, "second", T0.plusSeconds(10));

        assertEquals(List.of(first, second, third), applications.listByOwner(ANN));
        assertEquals(List.of(), applications.listByOwner(UserId.generate(T0)));
    }

    @Test
    void onlyTheOwnerDeletes() {
        Application anns = created(ANN, "anns", T0);

        assertFalse(applications.delete(anns.clientId(), BOB), "someone else's");
        assertEquals(Optional.of(anns), applications.findById(anns.clientId()));

        assertTrue(applications.delete(anns.clientId(), ANN));
        assertEquals(Optional.empty(), applications.findById(anns.clientId()));
        assertFalse(applications.delete(anns.clientId(), ANN), "already gone");
        assertFalse(applications.delete(ClientId.generate(T0), ANN), "never existed");
    }

    @Test
    void deleteAllOfRemovesEveryApplicationOfThatOwnerOnly() {
        Application a1 = created(ANN, "a1", T0);
        created(ANN, "a2", T0.plusMillis(1));
        Application bobs = created(BOB, "bobs", T0);

        applications.deleteAllOf(ANN);

        assertEquals(List.of(), applications.listByOwner(ANN));
        assertEquals(Optional.empty(), applications.findById(a1.clientId()));
        assertEquals(List.of(bobs), applications.listByOwner(BOB));
        applications.deleteAllOf(UserId.generate(T0)); // nobody's: harmless
        assertEquals(List.of(bobs), applications.listByOwner(BOB));
    }

    @Test
    void creatingAnIdTwiceIsAProgrammingErrorAndKeepsTheFirst() {
        Application first = created(ANN, "first", T0);
        Application impostor = new Application(first.clientId(), BOB, "impostor", Set.of(Permission.ADMIN_USERS),
                "other-hash", T0);

        assertThrows(IllegalStateException.class, () -> applications.create(impostor));
        assertEquals(Optional.of(first), applications.findById(first.clientId()));
        assertEquals(List.of(), applications.listByOwner(BOB));
    }

    @Test
    void concurrentDeletesOfOneApplicationLetExactlyOneWin() throws Exception {
        Application application = created(ANN, "raced", T0);

        List<Boolean> results = Race.run(i -> () -> applications.delete(application.clientId(), ANN));

        assertEquals(1, results.stream().filter(Boolean::booleanValue).count(), results::toString);
        assertEquals(Optional.empty(), applications.findById(application.clientId()));
    }
}
