package io.memroos.memory.sqlite;

import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.UUID;

/** A fresh, migrated SQLite file under target/. */
public final class SqliteFixture {

    private SqliteFixture() {
    }

    public static SQLiteDataSource fresh() throws Exception {
        Path dir = Path.of("target", "store-test");
        Files.createDirectories(dir);
        SQLiteDataSource ds = at(dir.resolve("memory-" + UUID.randomUUID() + ".db"));
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        return ds;
    }

    /** A data source on {@code file} with the service's settings (WAL, synchronous NORMAL, busy timeout, FKs). */
    public static SQLiteDataSource at(Path file) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(5000);
        config.enforceForeignKeys(true);
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl("jdbc:sqlite:" + file);
        return ds;
    }

    public static long count(SQLiteDataSource ds, String table) throws Exception {
        try (Connection c = ds.getConnection(); ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
