package io.memroos.memory.fleet;

import io.memroos.memory.store.Filter;
import io.memroos.memory.store.Hit;
import io.memroos.memory.store.IndexDoc;
import io.memroos.memory.store.IndexInfo;
import io.memroos.memory.store.Scope;
import io.memroos.memory.store.VectorIndex;

import java.util.Collection;
import java.util.List;

/**
 * The index the router writes to when vectors live in a remote store: every write goes to the local index (which
 * keeps serving BM25 keywords and entity mentions) and to the remote vector index, nearest-neighbour search is
 * answered by the remote one. The applied change counter is the lower of the two, so a restart catches both up.
 */
public final class DualIndex implements VectorIndex {

    private final VectorIndex local;
    private final VectorIndex vectors;

    /**
     * @param local   the embedded index (Lucene), also the keyword index
     * @param vectors the vector index that answers {@link #nearest} (Qdrant)
     */
    public DualIndex(VectorIndex local, VectorIndex vectors) {
        this.local = local;
        this.vectors = vectors;
    }

    public VectorIndex vectors() {
        return vectors;
    }

    @Override
    public void upsert(List<IndexDoc> docs) {
        vectors.upsert(docs);
        local.upsert(docs);
    }

    @Override
    public void delete(Collection<String> ids) {
        vectors.delete(ids);
        local.delete(ids);
    }

    @Override
    public void deleteAgent(String agentId) {
        vectors.deleteAgent(agentId);
        local.deleteAgent(agentId);
    }

    @Override
    public List<Hit> nearest(float[] query, int k, Scope scope, Filter filter) {
        return vectors.nearest(query, k, scope, filter);
    }

    @Override
    public void markApplied(long seq) {
        vectors.markApplied(seq);
        local.markApplied(seq);
    }

    @Override
    public IndexInfo info() {
        IndexInfo v = vectors.info();
        IndexInfo l = local.info();
        return new IndexInfo(v.model(), v.dimension(), v.docs(), Math.min(v.appliedSeq(), l.appliedSeq()));
    }

    /** Closes the remote index; the local one belongs to its producer. */
    @Override
    public void close() {
        vectors.close();
    }
}
