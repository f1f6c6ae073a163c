package io.memroos.bus.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.memroos.bus.domain.BusStore;
import org.junit.jupiter.api.AfterEach;

import java.sql.Connection;
import java.sql.DriverManager;

/**
 * The store suite on PostgreSQL at 127.0.0.1:5432 (database {@code test}, user {@code postgres}, trust auth).
 * Each test gets a fresh schema {@code bus_test_<random>}, dropped afterwards, so it never meets the registry's
 * tests. Fails, never skips, when PostgreSQL is unreachable.
 */
class PgBusStoreTest extends BusStoreContractTest {

    static final String URL = System.getProperty("memroos.test.pg.url", "postgresql://127.0.0.1:5432/test");
    static final String USER = System.getProperty("memroos.test.pg.user", "postgres");

    private PgBusStore pg;
    private String schema;

    @Override
    BusStore freshStore() {
        schema = "bus_test_" + unique();
        pg = PgStoreFactory.open(new PgStoreFactory.Settings(URL, USER, null, schema, 8), new ObjectMapper());
        return pg;
    }

    @AfterEach
    void dropSchema() throws Exception {
        if (pg != null) {
            pg.close();
        }
        try (Connection c = DriverManager.getConnection("jdbc:" + URL, USER, null)) {
            c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}
