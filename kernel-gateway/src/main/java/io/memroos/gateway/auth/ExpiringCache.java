package io.memroos.gateway.auth;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * A small map whose entries live for a fixed time from when they were stored. Values are
 * typically futures, so concurrent lookups of one key share one computation.
 */
final class ExpiringCache<K, V> {

    private record Entry<V>(V value, long expiresAtNanos) {
    }

    private final ConcurrentHashMap<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final long ttlNanos;
    private final int maxEntries;
    private final LongSupplier clock;

    ExpiringCache(Duration ttl, int maxEntries, LongSupplier nanoClock) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive: " + ttl);
        }
        this.ttlNanos = ttl.toNanos();
        this.maxEntries = maxEntries;
        this.clock = nanoClock;
    }

    /** The live value for the key, computing and storing it when absent or expired. */
    V get(K key, Function<K, V> compute) {
        long now = clock.getAsLong();
        Entry<V> live = entries.get(key);
        if (live != null && live.expiresAtNanos - now > 0) {
            return live.value();
        }
        Entry<V> entry = entries.compute(key, (k, old) ->
                old != null && old.expiresAtNanos - now > 0 ? old : new Entry<>(compute.apply(k), now + ttlNanos));
        if (entries.size() > maxEntries) {
            prune(now);
        }
        return entry.value();
    }

    /** The live value, or null. */
    V getIfPresent(K key) {
        Entry<V> entry = entries.get(key);
        return entry != null && entry.expiresAtNanos - clock.getAsLong() > 0 ? entry.value() : null;
    }

    /** Forgets the key (for example when its computation failed and must not be reused). */
    void invalidate(K key, V value) {
        entries.computeIfPresent(key, (k, e) -> e.value() == value ? null : e);
    }

    int size() {
        return entries.size();
    }

    private void prune(long now) {
        entries.values().removeIf(e -> e.expiresAtNanos - now <= 0);
        if (entries.size() > maxEntries) {
            entries.clear();
        }
    }
}
