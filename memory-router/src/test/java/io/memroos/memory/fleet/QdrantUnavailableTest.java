package io.memroos.memory.fleet;

import io.memroos.memory.store.StoreException;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What runs here without a Qdrant server: the real gRPC client against a closed port, and settings hygiene. */
class QdrantUnavailableTest {

    @Test
    void anUnreachableQdrantIsUnavailableNotACrash() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        QdrantVectorIndex.Settings settings = new QdrantVectorIndex.Settings("http://127.0.0.1:" + port, "secret-key", null);
        StoreException e = assertThrows(StoreException.class, () -> QdrantVectorIndex.open(settings, "m", 4));
        assertEquals(StoreException.Kind.UNAVAILABLE, e.kind());
        assertFalse(e.getMessage().contains("secret-key"));
    }

    @Test
    void settingsNeverPrintTheApiKey() {
        QdrantVectorIndex.Settings s = new QdrantVectorIndex.Settings("http://q:6334", "secret-key", null);
        assertEquals("memroos", s.collectionPrefix());
        assertFalse(s.toString().contains("secret-key"));
        assertTrue(s.toString().contains("api key set"));
        assertThrows(IllegalArgumentException.class, () -> new QdrantVectorIndex.Settings("http://q", null, "bad prefix!"));
    }
}
