package io.memroos.memory.fleet;

import io.memroos.memory.lucene.LuceneIndex;
import io.memroos.memory.store.IndexDoc;
import io.memroos.memory.store.Scope;
import io.memroos.memory.store.VectorIndex;
import io.memroos.memory.store.VectorIndexContractTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The write-both/search-remote composition used with {@code vector=qdrant}, on two real Lucene indexes (the
 * second standing where Qdrant stands): it keeps the whole vector contract, and each side gets every write.
 */
class DualIndexTest extends VectorIndexContractTest {

    private LuceneIndex local;
    private LuceneIndex remote;

    private static LuceneIndex lucene() throws Exception {
        Path dir = Path.of("target", "dual-index-test", UUID.randomUUID().toString());
        Files.createDirectories(dir);
        return LuceneIndex.open(dir, MODEL, DIM);
    }

    @Override
    protected VectorIndex freshIndex() throws Exception {
        local = lucene();
        remote = lucene();
        return new DualIndex(local, remote);
    }

    @AfterEach
    void closeLocal() {
        local.close();
    }

    @Test
    void writesReachBothAndSearchesAskTheVectorSide() {
        Scope s = Scope.agent("a-" + UUID.randomUUID());
        IndexDoc d = new IndexDoc("x", s, "the text", new float[]{1, 0, 0, 0}, 1, Map.of());
        index.upsert(List.of(d));
        assertEquals(1, local.nearest(new float[]{1, 0, 0, 0}, 5, s, null).size());
        assertEquals(1, remote.nearest(new float[]{1, 0, 0, 0}, 5, s, null).size());
        assertEquals(List.of("x"), local.keywords("text", 5, s, null).stream().map(h -> h.id()).toList(),
                "the local side keeps serving keywords");
        remote.delete(List.of("x"));
        assertTrue(index.nearest(new float[]{1, 0, 0, 0}, 5, s, null).isEmpty(), "nearest is the vector side's answer");
        index.delete(List.of("x"));
        assertTrue(local.nearest(new float[]{1, 0, 0, 0}, 5, s, null).isEmpty());
    }

    @Test
    void theAppliedSeqIsTheLowerOfTheTwo() {
        index.markApplied(5);
        remote.markApplied(9);
        assertEquals(5, index.info().appliedSeq());
        local.markApplied(12);
        assertEquals(9, index.info().appliedSeq());
    }
}
