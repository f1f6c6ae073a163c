package io.memroos.memory.fleet;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;

/**
 * A fresh schema on the real PostgreSQL of this machine (127.0.0.1:5432, trust auth, user {@code postgres};
 * {@code MEMROOS_TEST_PG_URL} / {@code MEMROOS_TEST_PG_USER} override), migrated by the production code path, and
 * dropped again by {@link #close}.
 */
final class PgFixture implements AutoCloseable {

    static final String URL = System.getenv().getOrDefault("MEMROOS_TEST_PG_URL", "postgresql://127.0.0.1:5432/postgres");
    static final String USER = System.getenv().getOrDefault("MEMROOS_TEST_PG_USER", "postgres");

    final String schema;
    final PgMemoryBackend backend;

    PgFixture() {
        schema = "memtest_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        backend = PgMemoryBackend.open(new PgMemoryBackend.Settings(URL, USER, null, schema, 4));
    }

    long count(String table) throws Exception {
        try (Connection c = backend.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() throws Exception {
        backend.close();
        try (Connection c = DriverManager.getConnection("jdbc:" + URL, USER, null); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}
