package io.memroos.memory.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a pipeline makes of an input: memory operations, and entities and relations for the graph.
 *
 * @param ops       adds, updates and invalidations, in order
 * @param entities  entities mentioned
 * @param relations relations between them (by entity name)
 * @param pipeline  which pipeline decided ({@code deterministic} or {@code llm:<model>}, with {@code +fallback})
 */
public record Extraction(List<Op> ops, List<EntityRef> entities, List<RelationRef> relations, String pipeline) {

    public Extraction {
        ops = List.copyOf(ops);
        entities = List.copyOf(entities);
        relations = List.copyOf(relations);
    }

    /** The kinds of operation. */
    public enum Kind { ADD, UPDATE, INVALIDATE }

    /**
     * One operation. {@code source} is the index of the input item it comes from (the episode it links to);
     * {@code targetId} names an existing fact for UPDATE/INVALIDATE.
     */
    public record Op(Kind kind, String text, String targetId, int source, String reason) {
    }

    public record EntityRef(String name, String type) {
    }

    public record RelationRef(String from, String type, String to, Instant validFrom, Instant validTo) {
    }

    /** One input item: a chat message or the whole text. */
    public record Item(String role, String content, Map<String, Object> metadata) {
    }

    /** An existing fact similar to a candidate, offered to a model so it can propose update/invalidate. */
    public record Similar(String id, String text) {
    }
}
