package io.memroos.memory.embed;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The in-jar model run on ONNX Runtime directly: shape, determinism inside batches, long texts, refusal. */
class OnnxEmbedderTest {

    static OnnxEmbedder embedder;

    @BeforeAll
    static void model() {
        embedder = new OnnxEmbedder(2, "", 16);
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    static double dot(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d += a[i] * b[i];
        }
        return d;
    }

    @Test
    void unitVectorsOfTheRecordedModelAndDimension() {
        assertEquals("all-minilm-l6-v2-q", embedder.modelId());
        assertEquals(384, embedder.dimension());
        List<float[]> v = embedder.embedDocuments(List.of("Maya's dentist appointment is on Tuesday.", "ok"));
        assertEquals(2, v.size());
        for (float[] x : v) {
            assertEquals(384, x.length);
            assertEquals(1.0, dot(x, x), 1e-4);
        }
        assertTrue(embedder.embedDocuments(List.of()).isEmpty());
    }

    @Test
    void aTextGetsTheSameVectorAloneAndInsideAnyBatch() {
        String text = "The booking reference for the visa interview is QK-4471.";
        float[] alone = embedder.embedDocuments(List.of(text)).get(0);
        List<String> batch = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            batch.add(i == 37 ? text : "Filler turn number " + i + " about " + "a much longer subject ".repeat(i % 5));
        }
        float[] inBatch = embedder.embedDocuments(batch).get(37);
        assertEquals(1.0, dot(alone, inBatch), 1e-6, "the int8 model runs one text per tensor: no neighbour effect");
        assertEquals(1.0, dot(alone, embedder.embedQuery(text)), 1e-6);
    }

    @Test
    void meaningIsCloserThanUnrelatedText() {
        List<float[]> v = embedder.embedDocuments(List.of("My flight to Osaka leaves on Friday morning.",
                "When does the plane to Japan depart?", "We paid 40 euros for the yoga class."));
        assertTrue(dot(v.get(0), v.get(1)) > dot(v.get(1), v.get(2)) + 0.1,
                dot(v.get(0), v.get(1)) + " vs " + dot(v.get(1), v.get(2)));
    }

    @Test
    void aTextLongerThanTheModelIsEmbeddedInWindowsNotTruncated() {
        String grace = "Grace moved to Edinburgh and now works on the quarterly report with Omar. ";
        String yoga = "We paid forty euros for the yoga class last Sunday. ";
        // the first sentence alone fills more than the model's 512 positions; the second comes after them
        List<float[]> v = embedder.embedDocuments(List.of(grace.repeat(45), grace.repeat(45) + yoga.repeat(45),
                grace.strip(), yoga.strip()));
        float[] head = v.get(0);
        float[] both = v.get(1);
        assertEquals(1.0, dot(both, both), 1e-4);
        assertTrue(dot(both, v.get(3)) > dot(head, v.get(3)) + 0.05,
                "the text after position 512 counts: " + dot(both, v.get(3)) + " vs " + dot(head, v.get(3)));
        assertTrue(dot(both, v.get(2)) > dot(v.get(3), v.get(2)), "and so does the text before it");
    }

    @Test
    void queryVectorsAreCached() {
        float[] first = embedder.embedQuery("where is the spare key?");
        assertSame(first, embedder.embedQuery("where is the spare key?"));
    }

    @Test
    void aModelMissingFromTheClassPathIsRefusedByName() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new OnnxEmbedder("no-such-model", 1, "", 1));
        assertTrue(e.getMessage().contains("no-such-model"), e.getMessage());
    }
}
