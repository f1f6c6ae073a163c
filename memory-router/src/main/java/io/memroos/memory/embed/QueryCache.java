package io.memroos.memory.embed;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The query side of an embedder: the query prefix (BGE-style instruction, or none) and an LRU cache of query vectors
 * keyed by the query text, so a repeated recall does not embed again.
 */
final class QueryCache {

    private final String prefix;
    private final Map<String, float[]> vectors;

    QueryCache(String prefix, int capacity) {
        this.prefix = prefix == null ? "" : prefix;
        this.vectors = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The cached vector of {@code text}, else {@code embed} of the prefixed text (cached). */
    float[] get(String text, Function<String, float[]> embed) {
        synchronized (vectors) {
            float[] hit = vectors.get(text);
            if (hit != null) {
                return hit;
            }
        }
        float[] v = embed.apply(prefix + text);
        synchronized (vectors) {
            vectors.put(text, v);
        }
        return v;
    }
}
