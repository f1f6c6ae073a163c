package io.memroos.memory.domain;

import io.memroos.memory.store.Fact;
import io.memroos.memory.store.Filter;

import java.util.List;
import java.util.Map;

/** Recall's request and answer. */
public final class Recall {

    private Recall() {
    }

    /** Which signals to use: all fused, or one alone (evaluation). */
    public enum Mode { HYBRID, VECTOR, KEYWORD }

    public record Query(String agentId, String userId, String sessionId, String text, int k, Filter filter, Mode mode,
                        boolean explain, RecallWeights weights, String purpose) {
    }

    /** One signal's part in a hit: its rank and raw score in that signal (null when absent), and what it added. */
    public record Signal(Integer rank, Double score, double normalized, double contribution) {
    }

    public record Hit(Fact fact, double score, Map<String, Signal> explain) {
    }

    public record Result(List<Hit> hits, String mode, String fusion, long tookMicros) {
    }
}
