package io.memroos.memory.domain;

import io.memroos.memory.embed.Embedder;
import io.memroos.memory.store.Fact;
import io.memroos.memory.store.IndexDoc;
import io.memroos.memory.store.IndexInfo;
import io.memroos.memory.store.MemoryStore;
import io.memroos.memory.store.Receipt;
import io.memroos.memory.store.StoreException;
import io.memroos.memory.store.VectorIndex;
import io.memroos.memory.store.WriteBatch;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps the index behind the records. A write goes to the store first (the source of truth) and then to the
 * index, both under one lock, so that {@link #indexedSeq} is exact: every store change up to it is in the
 * index. {@link #commit} makes the index durable up to that counter; at start {@link #catchUp} re-applies what
 * the last index commit missed (a crash, a failed index write, or an index moved away) from the stored
 * embeddings, re-embedding only facts that have none of the right dimension.
 * <p>
 * The records do not say which model made a stored embedding, and two models can share a dimension (MiniLM and
 * its int8 quantization are both 384): so catching up re-embeds the first stored fact of every batch and
 * compares. A model gives the same text the same vector (cosine 1 up to rounding); another model does not
 * (MiniLM vs its quantization: about 0.98), and then the stored embeddings are not used at all: every fact is
 * re-embedded with this model, so an index never mixes the vectors of two models.
 */
public final class MemoryIndexer {

    private static final Logger LOG = Logger.getLogger(MemoryIndexer.class);

    private final MemoryStore store;
    private final VectorIndex index;
    private final Embedder embedder;
    private final ReentrantLock lock = new ReentrantLock();
    private long indexedSeq;
    private long committedSeq;
    private volatile boolean behind;

    /** Below this cosine, a stored embedding was made by another model than this one. */
    static final double SAME_MODEL = 0.995;

    public MemoryIndexer(MemoryStore store, VectorIndex index, Embedder embedder) {
        this.store = store;
        this.index = index;
        this.embedder = embedder;
        this.indexedSeq = index.info().appliedSeq();
        this.committedSeq = indexedSeq;
    }

    /** Brings the index up to the store: returns how many changes were applied. */
    public long catchUp() {
        lock.lock();
        try {
            long from = Math.min(indexedSeq, index.info().appliedSeq());
            long applied = 0;
            boolean storedUsable = true;
            while (true) {
                List<MemoryStore.Change> changes = store.changesSince(from, 500);
                if (changes.isEmpty()) {
                    break;
                }
                List<IndexDoc> upserts = new ArrayList<>();
                List<String> deletes = new ArrayList<>();
                List<MemoryStore.Change> reembed = new ArrayList<>();
                if (storedUsable) {
                    storedUsable = storedEmbeddingsFromThisModel(changes);
                }
                for (MemoryStore.Change c : changes) {
                    if (!c.fact().active()) {
                        deletes.add(c.fact().id());
                    } else if (!storedUsable || c.embedding() == null || c.embedding().length != embedder.dimension()) {
                        reembed.add(c);
                    } else {
                        upserts.add(doc(c.fact(), c.embedding()));
                    }
                }
                if (!reembed.isEmpty()) {
                    List<float[]> vectors = embedder.embedDocuments(reembed.stream().map(c -> c.fact().text()).toList());
                    for (int i = 0; i < reembed.size(); i++) {
                        upserts.add(doc(reembed.get(i).fact(), vectors.get(i)));
                    }
                }
                index.delete(deletes);
                index.upsert(upserts);
                applied += changes.size();
                from = changes.get(changes.size() - 1).seq();
            }
            indexedSeq = Math.max(from, store.maxSeq());
            behind = false;
            if (applied > 0) {
                LOG.infof("memory index caught up with %d change(s) from the records (now at change %d)", applied,
                        indexedSeq);
            }
            commitLocked();
            return applied;
        } finally {
            lock.unlock();
        }
    }

    /** Re-embeds the first active stored fact of the batch: is its stored vector this model's? */
    private boolean storedEmbeddingsFromThisModel(List<MemoryStore.Change> changes) {
        for (MemoryStore.Change c : changes) {
            if (!c.fact().active() || c.embedding() == null || c.embedding().length != embedder.dimension()) {
                continue;
            }
            float[] now = embedder.embedDocuments(List.of(c.fact().text())).get(0);
            double cos = cosine(now, c.embedding());
            if (cos < SAME_MODEL) {
                LOG.warnf("the stored embeddings were not made by %s (memory %s: cosine %.3f with a fresh embedding); "
                        + "re-embedding every fact while the index catches up", embedder.modelId(), c.fact().id(), cos);
                return false;
            }
            return true;
        }
        return true;
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }

    static IndexDoc doc(Fact f, float[] embedding) {
        return new IndexDoc(f.id(), f.scope(), f.text(), embedding, f.createdAt().toEpochMilli(), f.metadata());
    }

    /** Writes a batch to the store, then its new facts to the index. */
    public WriteBatch.Result write(WriteBatch batch) {
        lock.lock();
        try {
            WriteBatch.Result r = store.write(batch);
            List<IndexDoc> docs = new ArrayList<>();
            for (int i = 0; i < r.facts().size(); i++) {
                WriteBatch.Written w = r.facts().get(i);
                if (w.created()) {
                    var f = batch.facts().get(i);
                    docs.add(new IndexDoc(f.id(), f.scope(), f.text(), f.embedding(), f.at().toEpochMilli(),
                            f.metadata()));
                }
            }
            indexAfter(() -> index.upsert(docs));
            return r;
        } finally {
            lock.unlock();
        }
    }

    public Fact update(String id, String text, Map<String, Object> metadata, float[] embedding, Instant at,
                       Receipt receipt) {
        lock.lock();
        try {
            Fact f = store.update(id, text, Texts.normalize(text), metadata, embedding, at, receipt);
            indexAfter(() -> index.upsert(List.of(doc(f, embedding))));
            return f;
        } finally {
            lock.unlock();
        }
    }

    public Fact invalidate(String id, Instant at, Receipt receipt) {
        lock.lock();
        try {
            Fact f = store.invalidate(id, at, receipt);
            indexAfter(() -> index.delete(List.of(id)));
            return f;
        } finally {
            lock.unlock();
        }
    }

    /** Destroys a throwaway agent's records and index entries. */
    public void purge(String agentId) {
        lock.lock();
        try {
            store.purgeAgent(agentId);
            index.deleteAgent(agentId);
            indexedSeq = store.maxSeq();
        } finally {
            lock.unlock();
        }
    }

    private void indexAfter(Runnable indexWrite) {
        try {
            indexWrite.run();
            if (!behind) {
                indexedSeq = store.maxSeq();
            }
        } catch (StoreException | IllegalStateException e) {
            // the records hold the write; the index catches up from them on the next commit tick
            behind = true;
            LOG.errorf("index write failed; the index will catch up from the records: %s", e.getMessage());
        }
    }

    /** Makes the index durable up to the exact counter (called on a timer and at shutdown). */
    public void commit() {
        if (behind) {
            catchUp();
            return;
        }
        lock.lock();
        try {
            commitLocked();
        } finally {
            lock.unlock();
        }
    }

    private void commitLocked() {
        if (indexedSeq != committedSeq || index.info().appliedSeq() != indexedSeq) {
            index.markApplied(indexedSeq);
            committedSeq = indexedSeq;
        }
    }

    /** Index health: documents vs active records, model, dimension, counters. */
    public Health health() {
        IndexInfo info = index.info();
        long rows = store.countActive();
        return new Health(info.model(), info.dimension(), info.docs(), rows, info.appliedSeq(), store.maxSeq(),
                info.docs() == rows && !behind);
    }

    public record Health(String model, int dimension, long indexDocs, long activeRecords, long committedSeq,
                         long storeSeq, boolean inSync) {
    }
}
