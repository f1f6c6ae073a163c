package io.memroos.bus.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.memroos.bus.domain.BusStore;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The store suite on a real SQLite file under target/. */
class SqliteBusStoreTest extends BusStoreContractTest {

    private SQLiteDataSource dataSource;
    private SqliteBusStore sqlite;

    @Override
    BusStore freshStore() throws Exception {
        Path dir = Path.of("target", "store-test");
        Files.createDirectories(dir);
        Path file = dir.resolve("bus-" + unique() + ".db");
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(5000);
        config.enforceForeignKeys(true);
        dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + file);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/sqlite").load().migrate();
        sqlite = new SqliteBusStore(dataSource, new ObjectMapper(), 64);
        return sqlite;
    }

    @AfterEach
    void close() {
        sqlite.close();
    }

    @Test
    void storeFileIsInWalMode() throws Exception {
        try (Connection c = dataSource.getConnection();
             ResultSet rs = c.createStatement().executeQuery("PRAGMA journal_mode")) {
            rs.next();
            assertEquals("wal", rs.getString(1));
        }
    }
}
