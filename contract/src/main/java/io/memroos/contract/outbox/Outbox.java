package io.memroos.contract.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Writing to the outbox inside the caller's own transaction: the event is stored if and only if the
 * business write commits. The relay ({@link OutboxRelay}) sends it later.
 */
public final class Outbox {

    private Outbox() {
    }

    /** Creates the outbox table and its indexes when missing (for services that do not use a migration). */
    public static void ensureSchema(Connection connection, Dialect dialect) throws SQLException {
        try (Statement st = connection.createStatement()) {
            for (String ddl : dialect.ddl()) {
                st.execute(ddl);
            }
        }
    }

    /**
     * Appends {@code event} on {@code connection}, in whatever transaction it has open. Does not commit.
     * A second append of the same event id fails with the database's unique violation.
     */
    public static void append(Connection connection, OutboxEvent event) throws SQLException {
        String payload = event.toJson();
        try (PreparedStatement st = connection.prepareStatement(OutboxSql.INSERT)) {
            st.setString(1, event.id());
            st.setString(2, payload);
            st.setLong(3, System.currentTimeMillis());
            st.executeUpdate();
        }
    }
}
