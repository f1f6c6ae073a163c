package io.memroos.memory.sqlite;

import io.memroos.memory.store.GraphStore;
import io.memroos.memory.store.GraphStoreContractTest;

import java.util.concurrent.locks.ReentrantLock;

/** The graph suite on a real SQLite file. */
class SqliteGraphStoreTest extends GraphStoreContractTest {

    @Override
    protected GraphStore freshGraph() throws Exception {
        return new SqliteGraphStore(SqliteFixture.fresh(), new ReentrantLock());
    }
}
