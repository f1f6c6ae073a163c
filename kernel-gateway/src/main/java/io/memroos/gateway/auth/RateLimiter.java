package io.memroos.gateway.auth;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/** One token bucket per key (a credential, or a client IP for failed sign-ins). */
final class RateLimiter {

    /** Above this many buckets, full (idle) ones are forgotten. */
    private static final int PRUNE_ABOVE = 10_000;

    private final ConcurrentHashMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final double capacity;
    private final double refillPerSecond;
    private final LongSupplier clock;

    RateLimiter(double capacity, double refillPerSecond, LongSupplier nanoClock) {
        this.capacity = capacity;
        this.refillPerSecond = refillPerSecond;
        this.clock = nanoClock;
    }

    /** Takes a token for the key; returns 0 if granted, else whole seconds to wait (at least 1). */
    long acquire(String key) {
        long now = clock.getAsLong();
        long waitNanos = bucket(key, now).tryAcquire(now);
        return waitNanos == 0 ? 0 : toRetrySeconds(waitNanos);
    }

    /** Seconds until the key may try again (0 if it may now), without taking a token. */
    long retryAfter(String key) {
        TokenBucket bucket = buckets.get(key);
        if (bucket == null) {
            return 0;
        }
        long wait = bucket.nanosUntilToken(clock.getAsLong());
        return wait == 0 ? 0 : toRetrySeconds(wait);
    }

    int size() {
        return buckets.size();
    }

    private TokenBucket bucket(String key, long now) {
        if (buckets.size() > PRUNE_ABOVE) {
            buckets.values().removeIf(b -> b.isFull(now));
        }
        return buckets.computeIfAbsent(key, k -> new TokenBucket(capacity, refillPerSecond, now));
    }

    private static long toRetrySeconds(long nanos) {
        return Math.max(1, (nanos + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1));
    }
}
