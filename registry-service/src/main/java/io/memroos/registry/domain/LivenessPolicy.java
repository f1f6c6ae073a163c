package io.memroos.registry.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Derives liveness from the last sign of life: online younger than {@code staleAfter}, stale younger than
 * {@code offlineAfter}, offline otherwise; a remote agent whose card failed {@code maxFailures} times in a
 * row is unreachable.
 */
public record LivenessPolicy(Duration staleAfter, Duration offlineAfter, int maxFailures) {
    public LivenessPolicy {
        Objects.requireNonNull(staleAfter, "staleAfter");
        Objects.requireNonNull(offlineAfter, "offlineAfter");
        if (staleAfter.isNegative() || staleAfter.isZero() || offlineAfter.compareTo(staleAfter) < 0) {
            throw new IllegalArgumentException("need 0 < staleAfter <= offlineAfter");
        }
        if (maxFailures < 1) {
            throw new IllegalArgumentException("maxFailures must be at least 1");
        }
    }

    public Liveness of(Instant lastSeen, int consecutiveFailures, Instant now) {
        if (consecutiveFailures >= maxFailures) {
            return Liveness.UNREACHABLE;
        }
        if (lastSeen == null) {
            return Liveness.OFFLINE;
        }
        if (!lastSeen.isBefore(now.minus(staleAfter))) {
            return Liveness.ONLINE;
        }
        if (!lastSeen.isBefore(now.minus(offlineAfter))) {
            return Liveness.STALE;
        }
        return Liveness.OFFLINE;
    }

    /** The same rule as {@link #of}, as bounds a store can query with. */
    public AgentQuery.LivenessBounds bounds(Liveness liveness, Instant now) {
        return new AgentQuery.LivenessBounds(liveness, now.minus(staleAfter), now.minus(offlineAfter), maxFailures);
    }
}
