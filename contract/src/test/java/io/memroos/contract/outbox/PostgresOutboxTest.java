package io.memroos.contract.outbox;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** The outbox on the real PostgreSQL at 127.0.0.1:5432, in a schema of its own. */
class PostgresOutboxTest extends OutboxRelayContractTest {

    private static final String URL = System.getProperty("memroos.test.pg-url",
            "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
    private static final String SCHEMA = "contract_outbox_test";

    @Override
    Connection connect() throws SQLException {
        return DriverManager.getConnection(URL + "&currentSchema=" + SCHEMA);
    }

    @Override
    Dialect dialect() {
        return Dialect.POSTGRESQL;
    }

    @Override
    void resetSchema() throws SQLException {
        try (Connection c = DriverManager.getConnection(URL); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            st.execute("CREATE SCHEMA " + SCHEMA);
        }
    }

    @Override
    void cleanUp() throws SQLException {
        try (Connection c = DriverManager.getConnection(URL); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
    }
}
