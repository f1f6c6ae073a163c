package io.memroos.memory.store;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One turn or event of the append-only episodic log.
 *
 * @param id       episode id
 * @param scope    whose it is
 * @param seq      position in the whole log (increasing)
 * @param role     {@code user}, {@code assistant}, {@code system}, {@code tool} or {@code event}
 * @param content  the text
 * @param metadata free metadata
 * @param at       when it happened
 * @param factId   the fact stored from it, when one was
 */
public record Episode(String id, Scope scope, long seq, String role, String content, Map<String, Object> metadata,
                      Instant at, String factId) {

    public Episode {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
