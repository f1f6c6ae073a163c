package io.memroos.memory.store;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A graph edge with its two times: when it was true in the world ({@code validFrom}..{@code validTo}, open when
 * null) and when it was recorded; invalidation sets {@code invalidatedAt} and keeps the edge.
 */
public record Relation(String id, Scope scope, String fromId, String type, String toId, Instant validFrom,
                       Instant validTo, Instant recordedAt, Instant invalidatedAt, Map<String, Object> properties) {

    public Relation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(fromId, "fromId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(toId, "toId");
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }

    /** True when the edge is not invalidated and {@code at} lies in its validity interval. */
    public boolean holdsAt(Instant at) {
        return invalidatedAt == null && (validFrom == null || !at.isBefore(validFrom))
                && (validTo == null || at.isBefore(validTo));
    }
}
