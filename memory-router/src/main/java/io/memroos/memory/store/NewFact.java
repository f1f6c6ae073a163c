package io.memroos.memory.store;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A fact to write. {@code normalized} is the duplicate key: an active fact with the same normalized text in the
 * same scope is returned instead of a new row.
 */
public record NewFact(String id, Scope scope, String text, String normalized, Map<String, Object> metadata,
                      float[] embedding, Instant at) {

    public NewFact {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(normalized, "normalized");
        Objects.requireNonNull(at, "at");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
