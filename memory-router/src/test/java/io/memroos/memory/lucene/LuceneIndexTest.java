package io.memroos.memory.lucene;

import io.memroos.memory.store.KeywordIndex;
import io.memroos.memory.store.KeywordIndexContractTest;
import io.memroos.memory.store.Scope;
import io.memroos.memory.store.StoreException;
import io.memroos.memory.store.VectorIndex;
import io.memroos.memory.store.IndexDoc;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The vector and keyword suites on a real Lucene directory, plus what is particular to it. */
class LuceneIndexTest extends KeywordIndexContractTest {

    private Path dir;

    @Override
    protected VectorIndex freshIndex() throws Exception {
        dir = Path.of("target", "index-test", UUID.randomUUID().toString());
        Files.createDirectories(dir);
        return LuceneIndex.open(dir, MODEL, DIM);
    }

    @Override
    protected KeywordIndex keywords() {
        return (KeywordIndex) index;
    }

    @Test
    void openingWithAnotherDimensionOrModelIsRefused() {
        index.markApplied(7);
        index.close();
        StoreException dim = assertThrows(StoreException.class, () -> LuceneIndex.open(dir, MODEL, 8));
        assertEquals(StoreException.Kind.INCOMPATIBLE, dim.kind());
        assertTrue(dim.getMessage().contains("dimension 4") && dim.getMessage().contains("dimension 8"),
                dim.getMessage());
        StoreException model = assertThrows(StoreException.class, () -> LuceneIndex.open(dir, "other-model", DIM));
        assertTrue(model.getMessage().contains("test-model"), model.getMessage());
        index = LuceneIndex.open(dir, MODEL, DIM);
        assertEquals(7, index.info().appliedSeq(), "the same model reopens with its applied counter");
    }

    @Test
    void onlyCommittedWritesSurviveAReopen() {
        Scope s = Scope.agent("a");
        index.upsert(List.of(new IndexDoc("x", s, "durable", new float[]{1, 0, 0, 0}, 1, Map.of())));
        index.markApplied(1);
        index.upsert(List.of(new IndexDoc("y", s, "not yet", new float[]{1, 0, 0, 0}, 1, Map.of())));
        index.close();
        index = LuceneIndex.open(dir, MODEL, DIM);
        assertEquals(1, index.info().docs());
        assertEquals(1, index.info().appliedSeq());
    }
}
