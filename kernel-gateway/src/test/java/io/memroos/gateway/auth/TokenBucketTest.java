package io.memroos.gateway.auth;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenBucketTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void grantsTheBurstThenRefusesWithTheWaitUntilTheNextToken() {
        TokenBucket bucket = new TokenBucket(3, 2, 0);
        assertEquals(0, bucket.tryAcquire(0));
        assertEquals(0, bucket.tryAcquire(0));
        assertEquals(0, bucket.tryAcquire(0));
        long wait = bucket.tryAcquire(0);
        assertEquals(SECOND / 2, wait, 1, "2 tokens per second: the next one comes in 0.5 s");
    }

    @Test
    void refillsWithTimeButNeverAboveCapacity() {
        TokenBucket bucket = new TokenBucket(2, 1, 0);
        bucket.tryAcquire(0);
        bucket.tryAcquire(0);
        assertFalse(bucket.hasToken(0));
        assertTrue(bucket.hasToken(SECOND));
        assertTrue(bucket.isFull(100 * SECOND));
        assertEquals(0, bucket.tryAcquire(100 * SECOND));
        assertEquals(0, bucket.tryAcquire(100 * SECOND));
        assertTrue(bucket.tryAcquire(100 * SECOND) > 0, "capacity caps what idle time can save up");
    }

    @Test
    void refusesNonsenseSettings() {
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(1, 0, 0));
    }

    @Test
    void rateLimiterKeepsOneBucketPerKeyAndReportsWholeSecondsToWait() {
        AtomicLong now = new AtomicLong();
        RateLimiter limiter = new RateLimiter(2, 0.5, now::get);
        assertEquals(0, limiter.acquire("a"));
        assertEquals(0, limiter.acquire("a"));
        assertEquals(2, limiter.acquire("a"), "0.5 tokens per second: 2 s until the next one");
        assertEquals(0, limiter.acquire("b"), "another key has its own bucket");
        assertEquals(2, limiter.retryAfter("a"));
        assertEquals(0, limiter.retryAfter("never-seen"));
        now.addAndGet(2 * SECOND);
        assertEquals(0, limiter.acquire("a"));
    }

    @Test
    void retryAfterIsAtLeastOneSecond() {
        AtomicLong now = new AtomicLong();
        RateLimiter limiter = new RateLimiter(1, 1000, now::get);
        limiter.acquire("k");
        assertEquals(1, limiter.acquire("k"), "a sub-second wait still says Retry-After: 1");
    }
}
