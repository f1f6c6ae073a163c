package io.memroos.bus.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.memroos.contract.sql.Tx;
import io.memroos.contract.sql.WriteLane;

import javax.sql.DataSource;
import java.util.function.Function;

/**
 * The embedded store: one SQLite file in WAL mode. Writes go through the single {@link WriteLane} (group
 * commit); reads run concurrently on pooled connections.
 */
public final class SqliteBusStore extends SqlBusStore implements AutoCloseable {

    private final WriteLane lane;

    public SqliteBusStore(DataSource dataSource, ObjectMapper json, int maxBatch) {
        super(json);
        this.lane = new WriteLane(dataSource, maxBatch);
    }

    @Override
    <T> T write(Function<Tx, T> work) {
        return lane.run(work);
    }

    @Override
    <T> T read(Function<Tx, T> work) {
        return lane.read(work);
    }

    /** A WAL checkpoint off the request path (the write lane never checkpoints during a commit). */
    @Override
    public void housekeeping() {
        lane.checkpoint();
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
