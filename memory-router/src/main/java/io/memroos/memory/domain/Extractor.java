package io.memroos.memory.domain;

import java.util.List;
import java.util.function.Function;

/** Turns an input into memory operations. The deterministic one is the default; a language model is optional. */
public interface Extractor {

    /**
     * @param items   the input items (chat messages, or one text)
     * @param similar existing facts of the same scope similar to a text (a model may update or invalidate them)
     */
    Extraction extract(List<Extraction.Item> items, Function<String, List<Extraction.Similar>> similar);

    /** Whether this extractor wants {@code similar} facts (a vector search per candidate). */
    default boolean wantsSimilar() {
        return false;
    }
}
