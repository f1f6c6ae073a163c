package io.memroos.memory.store;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A semantic memory (one fact, sentence or turn), in its current version.
 *
 * @param id            stable id across versions
 * @param scope         whose it is
 * @param text          the current text
 * @param metadata      free metadata (string, number, boolean values or lists of them)
 * @param version       1 for the first, +1 for every update
 * @param active        false once invalidated (never destroyed)
 * @param createdAt     when the first version was written
 * @param updatedAt     when the current version was written
 * @param invalidatedAt when it was invalidated, or null
 * @param seq           the store's change counter at the last change (the index follows it)
 */
public record Fact(String id, Scope scope, String text, Map<String, Object> metadata, int version, boolean active,
                   Instant createdAt, Instant updatedAt, Instant invalidatedAt, long seq) {

    public Fact {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(text, "text");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
