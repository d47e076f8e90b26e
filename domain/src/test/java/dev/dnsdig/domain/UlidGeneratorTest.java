package dev.dnsdig.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** The ULID arithmetic and the lock-free generator (the id types' own rules are tested with them). */
class UlidGeneratorTest {
    @Test
    void plusOneCarriesFromTheLowSixtyFourBitsIntoTheHighSixteenAndEndsWhenAllAreOnes() {
        assertEquals(new UlidGenerator.Ulid(5, 0x1235, 0), new UlidGenerator.Ulid(5, 0x1234, -1L).plusOne());
        assertEquals(new UlidGenerator.Ulid(5, 0x1234, 8), new UlidGenerator.Ulid(5, 0x1234, 7).plusOne());
        assertEquals(null, new UlidGenerator.Ulid(5, 0xFFFF, -1L).plusOne());
        assertEquals("0000000000ZZZZZZZZZZZZZZZZ", new UlidGenerator.Ulid(0, 0xFFFF, -1L).text());
        // 2^64: the symbol holding bits 60 to 64 straddles the two halves
        assertEquals("0000000000000G000000000000", new UlidGenerator.Ulid(0, 1, 0).text());
        assertEquals("0000000000000F000000000000", new UlidGenerator.Ulid(0, 0, 0xFL << 60).text());
    }

    @Test
    void consecutiveIdsOfOneMillisecondDifferByOne() {
        Instant now = Instant.parse("2026-05-06T07:08:09.011Z");
        UlidGenerator ids = new UlidGenerator(bits -> ThreadLocalRandom.current().nextBytes(bits));
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            made.add(ids.next(now));
        }
        for (int i = 1; i < made.size(); i++) {
            assertEquals(1, new java.math.BigInteger(randomBits(made.get(i)), 2)
                    .subtract(new java.math.BigInteger(randomBits(made.get(i - 1)), 2)).intValueExact(),
                    made.get(i - 1) + " -> " + made.get(i));
        }
    }

    /** The 80 bits after the time, as binary digits. */
    private static String randomBits(String ulid) {
        StringBuilder bits = new StringBuilder();
        for (char c : ulid.substring(10).toCharArray()) {
            bits.append(String.format("%5s", Integer.toBinaryString(UlidGenerator.ALPHABET.indexOf(c))).replace(' ', '0'));
        }
        return bits.toString();
    }

    @Test
    void idsMadeAtOnceOnManyThreadsAreDistinctAndInOrderPerThread() throws Exception {
        Instant now = Instant.parse("2026-05-06T07:08:09.012Z");
        UlidGenerator ids = new UlidGenerator(bits -> ThreadLocalRandom.current().nextBytes(bits));
        int threads = 64;
        List<java.util.concurrent.Future<List<String>>> futures = new ArrayList<>();
        try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            for (int t = 0; t < threads; t++) {
                futures.add(executor.submit(() -> {
                    start.await();
                    List<String> mine = new ArrayList<>();
                    for (int i = 0; i < 1_000; i++) {
                        mine.add(ids.next(now));
                    }
                    return mine;
                }));
            }
            start.countDown();
            Set<String> all = new HashSet<>();
            for (var future : futures) {
                List<String> mine = future.get();
                assertEquals(mine, mine.stream().sorted().toList(), "each thread's ids in the order it made them");
                all.addAll(mine);
            }
            assertEquals(threads * 1_000, all.size());
        }
    }

    @Test
    void aNewMillisecondDrawsNewRandomBits() {
        UlidGenerator ids = new UlidGenerator(bits -> java.util.Arrays.fill(bits, (byte) 0x55));
        Instant now = Instant.parse("2026-05-06T07:08:09.013Z");
        String first = ids.next(now);
        assertEquals(UlidGenerator.of(now.toEpochMilli(), bits -> java.util.Arrays.fill(bits, (byte) 0x55)), first);
        char lastDigit = first.charAt(25); // 0x55 repeated ends in binary 10101: N, which is not the last digit
        assertEquals(first.substring(0, 25) + UlidGenerator.ALPHABET.charAt(UlidGenerator.ALPHABET.indexOf(lastDigit) + 1),
                ids.next(now), "the same millisecond: plus one");
        assertEquals(first.substring(10), ids.next(now.plusMillis(1)).substring(10), "drawn again, not counted on");
    }
}
