package io.memroos.a2a.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.memroos.a2a.domain.Applied;
import io.memroos.a2a.domain.TaskStore;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The store suite on a real SQLite file under target/. */
class SqliteTaskStoreTest extends TaskStoreContractTest {

    private SQLiteDataSource dataSource;

    @Override
    TaskStore freshStore() throws Exception {
        Path dir = Path.of("target", "store-test");
        Files.createDirectories(dir);
        Path file = dir.resolve("a2a-" + unique() + ".db");
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setBusyTimeout(5000);
        config.enforceForeignKeys(true);
        dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + file);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/sqlite").load().migrate();
        return new SqliteTaskStore(dataSource, new ObjectMapper());
    }

    @Test
    void createAsyncCommitsOnTheCallersThreadWithoutTheBlockingExecutor() {
        CompletableFuture<Applied> done = store.createAsync(task("free", "operator", "agt", T0), List.of("{}"), List.of(),
                r -> {
                    throw new AssertionError("SQLite's lane needs no worker");
                }).toCompletableFuture();
        assertTrue(done.isDone(), "the lane was free: committed before createAsync returned");
        assertEquals(1, done.join().task().lastSeq());
        assertTrue(store.find("free").isPresent());
    }

    @Test
    void storeFileIsInWalModeWithABusyTimeout() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            try (ResultSet rs = c.createStatement().executeQuery("PRAGMA journal_mode")) {
                rs.next();
                assertEquals("wal", rs.getString(1));
            }
            try (ResultSet rs = c.createStatement().executeQuery("PRAGMA busy_timeout")) {
                rs.next();
                assertEquals(5000, rs.getInt(1));
            }
        }
    }
}
