package io.memroos.memory.store;

import java.util.List;

/**
 * What one {@code POST /api/memory} writes, in one transaction: facts (folded when duplicate), episodes (each may
 * name the index of the fact it produced in {@link #facts}), and the receipt that goes to the outbox with it.
 */
public record WriteBatch(List<NewFact> facts, List<NewEpisode> episodes, Receipt receipt) {

    public WriteBatch {
        facts = List.copyOf(facts);
        episodes = List.copyOf(episodes);
    }

    /** An episode to append; {@code factIndex} is the position in {@link #facts} of the fact made from it, or -1. */
    public record NewEpisode(String id, Scope scope, String role, String content,
                             java.util.Map<String, Object> metadata, java.time.Instant at, int factIndex) {
    }

    /** The outcome per fact, in order: its id (the existing one when duplicate) and whether it was new. */
    public record Result(List<Written> facts, List<Episode> episodes) {
    }

    public record Written(String id, boolean created, long seq) {
    }
}
