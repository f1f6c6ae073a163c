package io.memroos.contract.sql;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * SQLite allows one writer: every write of the store runs over one connection, one transaction at a time.
 * A writer queues its unit of work and tries the lane's lock. Whoever holds the lock runs everything queued
 * in one transaction (group commit), each unit under its own savepoint so one refused unit does not undo the
 * others, and keeps going until the queue is empty; the other writers wait for their own unit only (no
 * convoy on the lock). Uncontended, a write runs on the caller's thread with no hand-off; under load, one
 * commit serves many writers.
 * <p>
 * {@link #run} waits for the unit; {@link #submit} never waits, so an event loop may write: it commits on the
 * loop when the lane is free, and otherwise leaves its unit to the holder, which completes the future.
 * <p>
 * Automatic WAL checkpoints are off on the lane's connection: the store that owns the lane calls
 * {@link #checkpoint()} from its housekeeping, so no writer's commit pays for one.
 */
public final class WriteLane implements AutoCloseable {

    private static final class Unit<T> {
        final Function<Tx, T> work;
        final CompletableFuture<T> result = new CompletableFuture<>();
        T value;
        RuntimeException failure;

        Unit(Function<Tx, T> work) {
            this.work = work;
        }

        void complete() {
            if (failure != null) {
                result.completeExceptionally(failure);
            } else {
                result.complete(value);
            }
        }
    }

    /** How long a checkpoint waits for readers still on old frames before it leaves the rewind to the next one. */
    private static final int CHECKPOINT_WAIT_MS = 50;
    /** The busy timeout every MemRoOS SQLite URL sets ({@code busy_timeout=5000}). */
    private static final int READ_BUSY_TIMEOUT_MS = 5000;

    private final DataSource dataSource;
    private final int maxBatch;
    private final ConcurrentLinkedQueue<Unit<?>> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean closed;
    private Connection connection;
    private Tx tx;

    public WriteLane(DataSource dataSource, int maxBatch) {
        this.dataSource = dataSource;
        this.maxBatch = Math.max(1, maxBatch);
    }

    /** Runs {@code work} in a transaction and returns its result once committed (or throws what it threw). */
    public <T> T run(Function<Tx, T> work) {
        CompletableFuture<T> result = submit(work);
        while (true) {
            try {
                return result.get(20, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r
                        : new IllegalStateException("SQLite store failed: " + e.getCause(), e.getCause());
            } catch (TimeoutException e) {
                // the holder runs our unit before it lets go of the lock; this is only a safety net
                drainWhileFree();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the store", e);
            }
        }
    }

    /**
     * Queues {@code work} and returns at once: when the lane is free the unit is committed on this thread before
     * this returns, otherwise the thread holding the lane commits it and completes the future there (callers that
     * care about their thread hop back themselves). The future fails with what the work threw.
     */
    public <T> CompletableFuture<T> submit(Function<Tx, T> work) {
        if (closed) {
            throw new IllegalStateException("the store is closed");
        }
        Unit<T> unit = new Unit<>(work);
        queue.add(unit);
        drainWhileFree();
        return unit.result;
    }

    /**
     * Drains while nobody else holds the lane. A unit queued by a writer whose {@code tryLock} failed is seen by
     * the holder's check of the queue after it lets go, so no unit is left behind.
     */
    private void drainWhileFree() {
        while (!queue.isEmpty() && lock.tryLock()) {
            List<Unit<?>> done;
            try {
                done = drain();
            } finally {
                lock.unlock();
            }
            done.forEach(Unit::complete); // after unlocking: what the callers do next does not hold up the lane
        }
    }

    /** A read on its own pooled connection, beside the lane (WAL: readers never wait for the writer). */
    public <T> T read(Function<Tx, T> work) {
        try (Connection c = dataSource.getConnection(); Tx t = new Tx(c, false)) {
            return work.apply(t);
        } catch (SQLException e) {
            throw new IllegalStateException("SQLite store failed: " + e.getMessage(), e);
        }
    }

    /**
     * Copies the WAL into the database file and starts the WAL over, so it stays about one housekeeping period long.
     * <p>
     * A PASSIVE checkpoint beside busy writers never catches up: frames are appended while it copies, so the WAL is
     * never wholly copied when the next writer starts, SQLite never rewinds it, and the file grows without end (a
     * gigabyte in half a minute of sends, every append landing on fresh file blocks that the kernel zeroes first).
     * So this takes the writer's role: writers queue while it runs (they are committed together right after), and
     * it waits a short while for readers still on old frames (RESTART), so the next commit rewinds the WAL and
     * overwrites pages the kernel already holds. If a reader outlasts the wait, the next call tries again.
     */
    public void checkpoint() {
        if (closed) {
            return;
        }
        List<Unit<?>> done = List.of();
        lock.lock();
        try (Connection c = dataSource.getConnection(); var st = c.createStatement()) {
            // the pooled connection goes back with the data source's own busy timeout
            st.execute("PRAGMA busy_timeout=" + CHECKPOINT_WAIT_MS);
            try {
                st.execute("PRAGMA wal_checkpoint(RESTART)");
            } finally {
                st.execute("PRAGMA busy_timeout=" + READ_BUSY_TIMEOUT_MS);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("SQLite checkpoint failed: " + e.getMessage(), e);
        } finally {
            try {
                done = drain();
            } finally {
                lock.unlock();
                done.forEach(Unit::complete);
                drainWhileFree();
            }
        }
    }

    /** Runs what is queued, batch by batch, and hands back the units it ran (to complete once the lock is let go). */
    private List<Unit<?>> drain() {
        List<Unit<?>> done = new ArrayList<>();
        while (true) {
            int from = done.size();
            for (Unit<?> u; done.size() - from < maxBatch && (u = queue.poll()) != null; ) {
                done.add(u);
            }
            if (done.size() == from) {
                return done;
            }
            execute(done.subList(from, done.size()));
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void execute(List<Unit<?>> batch) {
        if (closed) {
            IllegalStateException failure = new IllegalStateException("the store is closed");
            batch.forEach(u -> u.failure = failure);
            return;
        }
        try {
            Tx t = tx();
            boolean single = batch.size() == 1;
            for (Unit unit : batch) {
                Savepoint sp = single ? null : connection.setSavepoint();
                try {
                    unit.value = unit.work.apply(t);
                    if (sp != null) {
                        connection.releaseSavepoint(sp);
                    }
                } catch (RuntimeException e) {
                    unit.failure = e;
                    if (sp != null) {
                        connection.rollback(sp);
                        connection.releaseSavepoint(sp);
                    } else {
                        connection.rollback();
                    }
                }
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            IllegalStateException failure = new IllegalStateException("SQLite store failed: " + e.getMessage(), e);
            for (Unit unit : batch) {
                unit.value = null;
                unit.failure = failure;
            }
            closeConnection();
        }
    }

    private Tx tx() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = dataSource.getConnection();
            try (var st = connection.createStatement()) {
                // no checkpoint (and its fsync) inside a writer's commit: the store checkpoints in its housekeeping
                st.execute("PRAGMA wal_autocheckpoint=0");
            }
            connection.setAutoCommit(false);
            tx = new Tx(connection, false);
        }
        return tx;
    }

    private void closeConnection() {
        if (tx != null) {
            tx.close();
            tx = null;
        }
        if (connection != null) {
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // closing anyway
            }
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        closed = true;
        List<Unit<?>> done;
        lock.lock();
        try {
            done = drain(); // fails what is still queued: nobody waits for ever
            closeConnection();
        } finally {
            lock.unlock();
        }
        done.forEach(Unit::complete);
    }
}
