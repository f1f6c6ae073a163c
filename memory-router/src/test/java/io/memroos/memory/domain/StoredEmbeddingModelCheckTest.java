package io.memroos.memory.domain;

import io.memroos.memory.embed.Embedder;
import io.memroos.memory.store.Hit;
import io.memroos.memory.store.Scope;
import io.memroos.memory.testing.EmbeddedMemory;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rebuilding an index from the records never mixes two models' vectors: stored embeddings made by another model
 * of the same dimension are detected and every fact is re-embedded; a model's own stored embeddings are reused.
 */
class StoredEmbeddingModelCheckTest {

    /** Deterministic vectors from the text and a per-model salt: two "models" give unrelated vectors. */
    static final class FakeModel implements Embedder {
        final String id;
        final long salt;
        final AtomicInteger documentsEmbedded = new AtomicInteger();

        FakeModel(String id, long salt) {
            this.id = id;
            this.salt = salt;
        }

        float[] vector(String text) {
            Random r = new Random(text.hashCode() * 31L + salt);
            float[] v = new float[8];
            double n = 0;
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) r.nextGaussian();
                n += v[i] * v[i];
            }
            for (int i = 0; i < v.length; i++) {
                v[i] /= (float) Math.sqrt(n);
            }
            return v;
        }

        @Override
        public String modelId() {
            return id;
        }

        @Override
        public int dimension() {
            return 8;
        }

        @Override
        public List<float[]> embedDocuments(List<String> texts) {
            documentsEmbedded.addAndGet(texts.size());
            return texts.stream().map(this::vector).toList();
        }

        @Override
        public float[] embedQuery(String text) {
            return vector(text);
        }
    }

    static final List<String> TEXTS = List.of("The spare key is under the blue flowerpot.",
            "Omar's flight to Lisbon leaves on Friday.", "The booking reference is QK-4471.",
            "Grace prefers ramen and hates curry.");

    private static Path written(FakeModel model) throws Exception {
        Path dir = Path.of("target", "model-check-test", UUID.randomUUID().toString());
        try (EmbeddedMemory m = new EmbeddedMemory(dir, model, null)) {
            m.memory.addNow(Caller.operator(), new AddCommand("agt", null, "s1", null,
                    TEXTS.stream().map(t -> new AddCommand.Message("user", t)).toList(), Map.of(), null, false), "test");
        }
        // the index is moved away: the next start rebuilds it from the records
        try (Stream<Path> files = Files.walk(dir.resolve("memory-index"))) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        return dir;
    }

    private static List<Double> bestScores(EmbeddedMemory m, FakeModel model) {
        List<Double> out = new ArrayList<>();
        for (String t : TEXTS) {
            List<Hit> hits = m.index.nearest(model.vector(t), 1, Scope.agent("agt"), null);
            out.add(hits.isEmpty() ? 0.0 : hits.get(0).score());
        }
        return out;
    }

    @Test
    void storedEmbeddingsOfAnotherModelAreNotUsed() throws Exception {
        Path dir = written(new FakeModel("model-a", 1));
        FakeModel b = new FakeModel("model-b", 2);
        try (EmbeddedMemory m = new EmbeddedMemory(dir, b, null)) {
            assertEquals(TEXTS.size(), m.index.info().docs());
            // one text re-embedded to compare, then all of them
            assertEquals(1 + TEXTS.size(), b.documentsEmbedded.get());
            for (double score : bestScores(m, b)) {
                assertEquals(1.0, score, 1e-5, "every vector in the index is model-b's");
            }
            assertTrue(m.indexer.health().inSync());
        }
    }

    @Test
    void aModelsOwnStoredEmbeddingsAreReused() throws Exception {
        Path dir = written(new FakeModel("model-a", 1));
        FakeModel same = new FakeModel("model-a", 1);
        try (EmbeddedMemory m = new EmbeddedMemory(dir, same, null)) {
            assertEquals(TEXTS.size(), m.index.info().docs());
            assertEquals(1, same.documentsEmbedded.get(), "only the comparison: the stored vectors are used");
            for (double score : bestScores(m, same)) {
                assertEquals(1.0, score, 1e-5);
            }
        }
    }
}
