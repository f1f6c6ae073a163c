package io.memroos.governance.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.memroos.governance.domain.GovernanceStore;
import org.junit.jupiter.api.AfterEach;

import java.sql.Connection;
import java.sql.DriverManager;

/**
 * The store suite on PostgreSQL at 127.0.0.1:5432 (database {@code test}, user {@code postgres}, trust auth).
 * Each test gets a fresh schema {@code governance_test_<random>}, dropped afterwards. Fails, never skips, when
 * PostgreSQL is unreachable.
 */
class PgGovernanceStoreTest extends GovernanceStoreContractTest {

    static final String URL = System.getProperty("memroos.test.pg.url", "postgresql://127.0.0.1:5432/test");
    static final String USER = System.getProperty("memroos.test.pg.user", "postgres");

    private PgGovernanceStore pg;
    private String schema;

    @Override
    GovernanceStore freshStore() {
        schema = "governance_test_" + unique();
        pg = PgStoreFactory.open(new PgStoreFactory.Settings(URL, USER, null, schema, 4), new ObjectMapper());
        return pg;
    }

    @AfterEach
    void dropSchema() throws Exception {
        if (log != null) {
            log.close();
            log = null;
        }
        if (pg != null) {
            pg.close();
        }
        try (Connection c = DriverManager.getConnection("jdbc:" + URL, USER, null)) {
            c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}
