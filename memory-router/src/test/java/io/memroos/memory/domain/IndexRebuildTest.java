package io.memroos.memory.domain;

import io.memroos.memory.embed.Embedder;
import io.memroos.memory.embed.OnnxEmbedder;
import io.memroos.memory.store.StoreException;
import io.memroos.memory.testing.EmbeddedMemory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The index is rebuilt from the records when it is behind them, and refuses another embedding model. */
class IndexRebuildTest {

    static OnnxEmbedder embedder;

    @BeforeAll
    static void model() {
        embedder = new OnnxEmbedder(2, "", 128);
    }

    @AfterAll
    static void closeModel() {
        embedder.close();
    }

    private static Path dir() {
        return Path.of("target", "rebuild-test", UUID.randomUUID().toString());
    }

    private static List<String> remember(EmbeddedMemory m, String... texts) {
        List<AddCommand.Message> messages = Stream.of(texts).map(t -> new AddCommand.Message("user", t)).toList();
        return m.memory.addNow(Caller.operator(), new AddCommand("agt", null, "s1", null, messages, Map.of(), null,
                false), "test").ids();
    }

    private static List<String> recall(EmbeddedMemory m, String q) {
        return m.recall.recallIn(io.memroos.memory.store.Scope.agent("agt"), new Recall.Query("agt", null, null, q, 5,
                null, Recall.Mode.HYBRID, false, null, null)).hits().stream().map(h -> h.fact().id()).toList();
    }

    @Test
    void writesTheIndexMissedAreReappliedAtStart() throws Exception {
        Path dir = dir();
        List<String> ids;
        try (EmbeddedMemory m = new EmbeddedMemory(dir, embedder, null)) {
            remember(m, "The spare key is under the blue flowerpot.");
            m.indexer.commit();
            ids = remember(m, "The boat is moored at pier nine.", "The alarm code is 2468.");
            m.memory.invalidate(Caller.operator(), remember(m, "This one gets invalidated.").get(0), "test");
            // a crash: the index is closed without committing what came after the last commit
            m.index.close();
            // (close() of the fixture would commit; reopen a fresh one instead)
            EmbeddedMemory reopened = new EmbeddedMemory(dir, embedder, null);
            try {
                assertEquals(3, reopened.index.info().docs(), "three active facts, the invalidated one left out");
                assertTrue(reopened.indexer.health().inSync());
                assertEquals(reopened.store.maxSeq(), reopened.index.info().appliedSeq());
                assertEquals(ids.get(0), recall(reopened, "where is the boat moored?").get(0));
                assertFalse(recall(reopened, "invalidated").contains("x"));
            } finally {
                reopened.close();
            }
        } catch (IllegalStateException ignored) {
            // the fixture's own close finds its index already closed
        }
    }

    @Test
    void aLostIndexIsRebuiltFromTheRecords() throws Exception {
        Path dir = dir();
        List<String> ids;
        try (EmbeddedMemory m = new EmbeddedMemory(dir, embedder, null)) {
            ids = remember(m, "Grandma's birthday is on the 3rd of May.", "The car insurance renews in August.");
        }
        deleteTree(dir.resolve("memory-index"));
        try (EmbeddedMemory m = new EmbeddedMemory(dir, embedder, null)) {
            assertEquals(2, m.index.info().docs());
            assertEquals(ids.get(1), recall(m, "when does the car insurance renew").get(0));
        }
    }

    @Test
    void anIndexBuiltForAnotherModelIsRefused() throws Exception {
        Path dir = dir();
        try (EmbeddedMemory m = new EmbeddedMemory(dir, embedder, null)) {
            remember(m, "anything");
        }
        Embedder other = new Embedder() {
            @Override
            public String modelId() {
                return "bge-small-en-v1.5";
            }

            @Override
            public int dimension() {
                return 384;
            }

            @Override
            public List<float[]> embedDocuments(List<String> texts) {
                return embedder.embedDocuments(texts);
            }

            @Override
            public float[] embedQuery(String text) {
                return embedder.embedQuery(text);
            }
        };
        StoreException e = assertThrows(StoreException.class, () -> new EmbeddedMemory(dir, other, null));
        assertEquals(StoreException.Kind.INCOMPATIBLE, e.kind());
        assertTrue(e.getMessage().contains("all-minilm-l6-v2") && e.getMessage().contains("bge-small-en-v1.5"),
                e.getMessage());
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        }
    }
}
