package io.memroos.a2a.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.memroos.contract.sql.Tx;
import io.memroos.contract.sql.WriteLane;

import javax.sql.DataSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;

/** The embedded store: one SQLite file (WAL mode, busy timeout) behind a JDBC data source, written through one lane. */
public final class SqliteTaskStore extends SqlTaskStore {

    /** Writers queued at once share one commit, up to this many. */
    private static final int MAX_BATCH = 64;

    private final WriteLane lane;

    public SqliteTaskStore(DataSource dataSource, ObjectMapper json) {
        super(json);
        this.lane = new WriteLane(dataSource, MAX_BATCH);
    }

    @Override
    Sql sql() {
        return new Sql() {
            @Override
            public List<Map<String, Object>> query(String sql, Object... params) {
                return lane.read(tx -> tx.query(sql, params));
            }

            @Override
            public int update(String sql, Object... params) {
                // every write goes through the lane, so it never races a transaction for the lock
                return transaction(tx -> tx.update(sql, params));
            }
        };
    }

    @Override
    String lockClause() {
        return "";
    }

    /**
     * SQLite has one writer: every write goes through the lane, which commits what concurrent writers queued in one
     * transaction (each under its own savepoint), so a busy broker pays one commit for many sends.
     */
    @Override
    <T> T transaction(Function<Sql, T> work) {
        return lane.run(tx -> work.apply(on(tx)));
    }

    /** Commits on the calling thread when the lane is free, else the lane's holder does: nothing here waits. */
    @Override
    <T> CompletionStage<T> transactionAsync(Function<Sql, T> work, Executor blocking) {
        return lane.submit(tx -> work.apply(on(tx)));
    }

    private static Sql on(Tx tx) {
        return new Sql() {
            @Override
            public List<Map<String, Object>> query(String sql, Object... params) {
                return tx.query(sql, params);
            }

            @Override
            public int update(String sql, Object... params) {
                try {
                    return tx.update(sql, params);
                } catch (Tx.UniqueViolation e) {
                    throw new Sql.UniqueViolation(e.getMessage(), e);
                }
            }
        };
    }

    /** A RESTART WAL checkpoint in the writer's role, off the request path (no commit ever checkpoints). */
    @Override
    public void housekeeping() {
        lane.checkpoint();
    }
}
