package io.memroos.bus.store;

import io.memroos.contract.sql.Tx;
import io.memroos.contract.sql.WriteLane;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Function;

/**
 * The embedded store: one SQLite file in WAL mode. Writes go through the single {@link WriteLane} (group
 * commit); reads run concurrently on pooled connections.
 */
public final class SqliteBusStore extends SqlBusStore implements AutoCloseable {

    private final DataSource dataSource;
    private final WriteLane lane;

    public SqliteBusStore(DataSource dataSource, ObjectMapper json, int maxBatch) {
        super(json);
        this.dataSource = dataSource;
        this.lane = new WriteLane(dataSource, maxBatch);
    }

    @Override
    <T> T write(Function<Tx, T> work) {
        return lane.run(work);
    }

    @Override
    <T> T read(Function<Tx, T> work) {
        try (Connection c = dataSource.getConnection(); Tx tx = new Tx(c, false)) {
            return work.apply(tx);
        } catch (SQLException e) {
            throw new IllegalStateException("SQLite store failed: " + e.getMessage(), e);
        }
    }

    /**
     * Copies the WAL into the database file without blocking writers (PASSIVE), off the request path; the
     * write lane's own connection never checkpoints during a commit.
     */
    @Override
    public void housekeeping() {
        try (Connection c = dataSource.getConnection(); var st = c.createStatement()) {
            st.execute("PRAGMA wal_checkpoint(PASSIVE)");
        } catch (SQLException e) {
            throw new IllegalStateException("SQLite checkpoint failed: " + e.getMessage(), e);
        }
    }

    @Override
    String claimLock() {
        return "";
    }

    @Override
    public void close() {
        lane.close();
    }
}
