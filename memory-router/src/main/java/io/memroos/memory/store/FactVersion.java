package io.memroos.memory.store;

import java.time.Instant;
import java.util.Map;

/**
 * One entry of a fact's history.
 *
 * @param factId    the fact
 * @param version   the version this entry made (an invalidation records the version it ended)
 * @param change    {@code create}, {@code update} or {@code invalidate}
 * @param text      the text of that version
 * @param metadata  the metadata of that version
 * @param actor     who made the change ({@code operator}, {@code agent:<id>})
 * @param reason    why, when given
 * @param at        when
 * @param validTo   when a later change superseded this entry, or null while current
 */
public record FactVersion(String factId, int version, String change, String text, Map<String, Object> metadata,
                          String actor, String reason, Instant at, Instant validTo) {

    public FactVersion {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
