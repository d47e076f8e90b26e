package dev.dnsdig.adapters.rest.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OnceTest {
    @Test
    void asksUntilThereIsAnObjectThenNeverAgain() {
        AtomicInteger asked = new AtomicInteger();
        Object made = new Object();
        Once<Object> once = new Once<>(() -> asked.incrementAndGet() < 3 ? null : made);

        assertNull(once.get(), "not made yet");
        assertNull(once.get());
        assertSame(made, once.get());
        assertSame(made, once.get());
        assertEquals(3, asked.get(), "asked twice in vain, once with success, then no more");
    }
}
