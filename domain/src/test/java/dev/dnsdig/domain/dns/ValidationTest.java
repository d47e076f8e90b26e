package dev.dnsdig.domain.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsdig.domain.InvalidValueException;
import org.junit.jupiter.api.Test;

class ValidationTest {
    @Test
    void onlyABogusVerdictIsBogusAndItMustSayWhy() {
        assertTrue(Validation.bogus("signature expired").bogus());
        assertEquals("signature expired", Validation.bogus("signature expired").reason());
        assertFalse(Validation.secure().bogus());
        assertFalse(Validation.insecure("").bogus());
        assertEquals(Validation.Status.UNCHECKED, Validation.unchecked("cd").status());
        assertThrows(InvalidValueException.class, () -> Validation.bogus(" "));
        assertThrows(NullPointerException.class, () -> new Validation(null, ""));
    }
}
