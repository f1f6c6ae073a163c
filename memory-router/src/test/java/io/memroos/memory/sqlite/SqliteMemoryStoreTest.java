package io.memroos.memory.sqlite;

import io.memroos.memory.store.MemoryStore;
import io.memroos.memory.store.MemoryStoreContractTest;
import io.memroos.memory.store.Scope;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteDataSource;

import java.util.concurrent.locks.ReentrantLock;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The records suite on a real SQLite file. */
class SqliteMemoryStoreTest extends MemoryStoreContractTest {

    private SQLiteDataSource ds;

    @Override
    protected MemoryStore freshStore() throws Exception {
        ds = SqliteFixture.fresh();
        return new SqliteMemoryStore(ds, new ReentrantLock());
    }

    @Override
    protected long outboxCount() throws Exception {
        return SqliteFixture.count(ds, "outbox");
    }

    @Test
    void theChangeCounterSurvivesReopening() {
        write(Scope.agent("a"), "one", "two");
        long seq = store.maxSeq();
        assertEquals(seq, new SqliteMemoryStore(ds, new ReentrantLock()).maxSeq());
    }

    @Test
    void aFailedBatchWritesNothing() throws Exception {
        Scope s = Scope.agent("a");
        long before = SqliteFixture.count(ds, "facts");
        var f = fact(s, "fine", java.util.Map.of(), T0);
        var dup = new io.memroos.memory.store.NewFact(f.id(), s, "other text", "other text", null, null, T0);
        org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> store.write(
                new io.memroos.memory.store.WriteBatch(java.util.List.of(f, dup), java.util.List.of(), receipt(s))));
        assertEquals(before, SqliteFixture.count(ds, "facts"));
        assertEquals(0, outboxCount());
    }
}
