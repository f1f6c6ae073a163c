package io.memroos.memory.fleet;

import io.memroos.memory.store.GraphStore;
import io.memroos.memory.store.GraphStoreContractTest;
import org.junit.jupiter.api.AfterEach;

/** The shared graph suite on the real PostgreSQL (a fresh schema per test). */
class PgGraphStoreTest extends GraphStoreContractTest {

    private PgFixture pg;

    @Override
    protected GraphStore freshGraph() {
        pg = new PgFixture();
        return pg.backend.graphStore();
    }

    @AfterEach
    void dropSchema() throws Exception {
        pg.close();
    }
}
