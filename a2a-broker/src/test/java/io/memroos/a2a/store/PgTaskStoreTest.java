package io.memroos.a2a.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.memroos.a2a.domain.TaskStore;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

import java.sql.Connection;
import java.sql.DriverManager;

/**
 * The store suite on PostgreSQL at 127.0.0.1:5432 (database {@code test}, user {@code postgres}, trust auth).
 * Each test gets a fresh schema, dropped afterwards. Fails, never skips, when PostgreSQL is unreachable.
 */
class PgTaskStoreTest extends TaskStoreContractTest {

    static final String URL = System.getProperty("memroos.test.pg.url", "postgresql://127.0.0.1:5432/test");
    static final String USER = System.getProperty("memroos.test.pg.user", "postgres");

    private static Vertx vertx;
    private PgTaskStore pg;
    private String schema;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Override
    TaskStore freshStore() {
        schema = "a2a_test_" + unique();
        pg = PgStoreFactory.open(vertx, new PgStoreFactory.Settings(URL, USER, null, null, schema, 4),
                new ObjectMapper());
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
