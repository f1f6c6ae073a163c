package io.memroos.governance.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.memroos.governance.domain.GovernanceStore;
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
class SqliteGovernanceStoreTest extends GovernanceStoreContractTest {

    private SQLiteDataSource dataSource;
    private SqliteGovernanceStore sqlite;
    Path file;

    static SQLiteDataSource dataSource(Path file) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(5000);
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl("jdbc:sqlite:" + file);
        return ds;
    }

    @Override
    GovernanceStore freshStore() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "store-test"));
        file = dir.resolve("governance-" + unique() + ".db");
        dataSource = dataSource(file);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/sqlite").load().migrate();
        sqlite = new SqliteGovernanceStore(dataSource, new ObjectMapper(), 64);
        return sqlite;
    }

    @AfterEach
    void close() {
        if (log != null) {
            log.close();
            log = null;
        }
        sqlite.close();
    }

    @Test
    void storeFileIsInWalMode() throws Exception {
        try (Connection c = dataSource.getConnection();
             ResultSet rs = c.createStatement().executeQuery("PRAGMA journal_mode")) {
            rs.next();
            assertEquals("wal", rs.getString(1));
        }
        sqlite.housekeeping();
    }
}
