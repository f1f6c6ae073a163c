package io.memroos.memory.fleet;

import io.memroos.memory.store.StoreException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Collection naming and the model/dimension check on open (refused like the Lucene index: INCOMPATIBLE). */
class QdrantIndexMetaTest {

    private static final String MODEL = "sentence-transformers/all-MiniLM-L6-v2";

    @Test
    void oneCollectionPerModelAndDimension() {
        assertEquals("memroos_sentence-transformers-all-minilm-l6-v2_384",
                QdrantIndexMeta.collectionName("memroos", MODEL, 384));
        assertEquals("memroos_bge-small-en-v1-5_384", QdrantIndexMeta.collectionName("memroos", "BGE small en v1.5", 384));
        assertEquals("p_model_8", QdrantIndexMeta.collectionName("p", "///", 8));
        assertTrue(QdrantIndexMeta.collectionName("p", "m".repeat(500), 8).length() < 140);
    }

    private static StoreException refused(QdrantIndexMeta.Found found) {
        StoreException e = assertThrows(StoreException.class, () -> QdrantIndexMeta.check("c1", MODEL, 384, found));
        assertEquals(StoreException.Kind.INCOMPATIBLE, e.kind());
        assertTrue(e.getMessage().contains("c1"), e.getMessage());
        return e;
    }

    @Test
    void theSameModelAndDimensionOpen() {
        assertDoesNotThrow(() -> QdrantIndexMeta.check("c1", MODEL, 384, new QdrantIndexMeta.Found(384, "Cosine", MODEL, 384L)));
    }

    @Test
    void anotherDimensionIsRefused() {
        StoreException e = refused(new QdrantIndexMeta.Found(768, "Cosine", MODEL, 768L));
        assertTrue(e.getMessage().contains("768") && e.getMessage().contains("384"), e.getMessage());
        refused(new QdrantIndexMeta.Found(384, "Cosine", MODEL, 768L));
    }

    @Test
    void anotherModelIsRefusedEvenAtTheSameDimension() {
        StoreException e = refused(new QdrantIndexMeta.Found(384, "Cosine", "BAAI/bge-small-en-v1.5", 384L));
        assertTrue(e.getMessage().contains("BAAI/bge-small-en-v1.5"), e.getMessage());
    }

    @Test
    void aForeignCollectionOrDistanceIsRefused() {
        refused(new QdrantIndexMeta.Found(384, "Cosine", null, null));
        refused(new QdrantIndexMeta.Found(384, "Euclid", MODEL, 384L));
    }
}
