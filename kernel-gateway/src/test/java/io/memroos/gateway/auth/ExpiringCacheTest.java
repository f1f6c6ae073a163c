package io.memroos.gateway.auth;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The key-verification cache: a result lives exactly its TTL (1 s), so a revoked key dies within 2 s. */
class ExpiringCacheTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final AtomicInteger computed = new AtomicInteger();
    private final ExpiringCache<String, String> cache = new ExpiringCache<>(Duration.ofSeconds(1), 100, now::get);

    private String load(String key) {
        return key + "#" + computed.incrementAndGet();
    }

    @Test
    void reusesAValueWithinTheTtl() {
        assertEquals("k#1", cache.get("k", this::load));
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(999));
        assertEquals("k#1", cache.get("k", this::load));
        assertEquals(1, computed.get());
    }

    @Test
    void recomputesOnceTheTtlHasPassed() {
        cache.get("k", this::load);
        now.addAndGet(TimeUnit.SECONDS.toNanos(1));
        assertNull(cache.getIfPresent("k"), "expired exactly at the TTL");
        assertEquals("k#2", cache.get("k", this::load));
    }

    @Test
    void invalidateForgetsOnlyTheGivenValue() {
        String first = cache.get("k", this::load);
        cache.invalidate("k", "something else");
        assertEquals(first, cache.getIfPresent("k"));
        cache.invalidate("k", first);
        assertNull(cache.getIfPresent("k"));
    }

    @Test
    void staysBoundedByDroppingExpiredThenEverything() {
        ExpiringCache<Integer, Integer> small = new ExpiringCache<>(Duration.ofSeconds(1), 10, now::get);
        for (int i = 0; i < 50; i++) {
            small.get(i, k -> k);
        }
        assertTrue(small.size() <= 11, "size " + small.size());
    }

    @Test
    void refusesAZeroTtl() {
        assertThrows(IllegalArgumentException.class, () -> new ExpiringCache<String, String>(Duration.ZERO, 1, now::get));
    }
}
