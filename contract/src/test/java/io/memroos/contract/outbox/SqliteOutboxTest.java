package io.memroos.contract.outbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;

/** The outbox on a real SQLite file (WAL, busy timeout), as the services run it. */
class SqliteOutboxTest extends OutboxRelayContractTest {

    private Path file;

    @Override
    Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + file + "?journal_mode=WAL&busy_timeout=10000");
    }

    @Override
    Dialect dialect() {
        return Dialect.SQLITE;
    }

    @Override
    void resetSchema() throws SQLException {
        try {
            Path dir = Files.createDirectories(Path.of("target", "outbox-test"));
            file = dir.resolve("outbox-" + UUID.randomUUID() + ".db");
        } catch (java.io.IOException e) {
            throw new SQLException(e);
        }
    }
}
