package io.memroos.memory.store;

import java.util.Collection;
import java.util.List;

/**
 * Nearest-neighbour search over fact embeddings (cosine). The model id and dimension are fixed when an index is
 * created and recorded with it; opening it for another model or dimension is refused
 * ({@link StoreException.Kind#INCOMPATIBLE}), never silently mixed. Writes become searchable before
 * {@code upsert}/{@code delete} return; {@link #markApplied} makes them durable up to a store change counter.
 */
public interface VectorIndex extends AutoCloseable {

    /** Adds or replaces these documents (by id). Each embedding must have {@link IndexInfo#dimension()} floats. */
    void upsert(List<IndexDoc> docs);

    /** Removes these ids (invalidated facts leave the index; the store keeps them). */
    void delete(Collection<String> ids);

    /** Removes every document of an agent (used for throwaway evaluation scopes only). */
    void deleteAgent(String agentId);

    /**
     * The {@code k} nearest documents inside {@code scope} (agent always; user/session when named) matching
     * {@code filter} (null = none), best first, score = cosine similarity mapped to [0,1] as (1+cos)/2.
     */
    List<Hit> nearest(float[] query, int k, Scope scope, Filter filter);

    /** Records that every store change up to {@code seq} is applied, and makes the index durable. */
    void markApplied(long seq);

    IndexInfo info();

    @Override
    void close();
}
