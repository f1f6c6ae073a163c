package io.memroos.memory.fleet;

import io.memroos.memory.store.StoreException;
import io.memroos.memory.store.VectorIndex;
import io.memroos.memory.store.VectorIndexContractTest;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The shared vector suite against a real Qdrant. No Qdrant server can run on this project's machines, so this
 * class runs only when {@code QDRANT_URL} names one (its gRPC endpoint, e.g. {@code http://127.0.0.1:6334};
 * {@code QDRANT_API_KEY} when it needs one). Each test uses its own collection prefix and deletes its collections.
 */
@EnabledIfEnvironmentVariable(named = "QDRANT_URL", matches = ".+")
class QdrantVectorIndexTest extends VectorIndexContractTest {

    private final List<String> collections = new ArrayList<>();

    private static QdrantVectorIndex.Settings settings(String prefix) {
        return new QdrantVectorIndex.Settings(System.getenv("QDRANT_URL"), System.getenv("QDRANT_API_KEY"), prefix);
    }

    private QdrantVectorIndex open(String prefix, String model, int dim) {
        QdrantVectorIndex index = QdrantVectorIndex.open(settings(prefix), model, dim);
        collections.add(index.collection());
        return index;
    }

    @Override
    protected VectorIndex freshIndex() {
        return open("t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10), MODEL, DIM);
    }

    @AfterEach
    void dropCollections() throws Exception {
        URI u = URI.create(System.getenv("QDRANT_URL"));
        QdrantGrpcClient.Builder b = QdrantGrpcClient.newBuilder(u.getHost(), u.getPort() > 0 ? u.getPort() : 6334,
                "https".equals(u.getScheme()));
        if (System.getenv("QDRANT_API_KEY") != null) {
            b.withApiKey(System.getenv("QDRANT_API_KEY"));
        }
        try (QdrantClient client = new QdrantClient(b.build())) {
            for (String c : collections) {
                client.deleteCollectionAsync(c).get(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void reopeningKeepsTheAppliedSeqAndRefusesAnotherModel() {
        String prefix = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        try (QdrantVectorIndex first = open(prefix, MODEL, DIM)) {
            first.markApplied(7);
        }
        try (QdrantVectorIndex again = open(prefix, MODEL, DIM)) {
            assertEquals(7, again.info().appliedSeq());
            assertEquals(0, again.info().docs(), "the meta point is not a document");
        }
        // a colliding name with another exact model id is caught by the recorded model
        StoreException e = assertThrows(StoreException.class, () -> open(prefix, MODEL.toUpperCase(), DIM));
        assertEquals(StoreException.Kind.INCOMPATIBLE, e.kind());
    }
}
