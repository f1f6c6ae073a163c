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
 * Automatic WAL checkpoints are off on the lane's connection: the store that owns the lane calls
 * {@link #checkpoint()} from its housekeeping, so no writer pays a checkpoint's fsync.
 */
public final class WriteLane implements AutoCloseable {

    private static final class Task<T> {
        final Function<Tx, T> work;
        final CompletableFuture<Void> finished = new CompletableFuture<>();
        T result;
        RuntimeException failure;
        volatile boolean done;

        Task(Function<Tx, T> work) {
            this.work = work;
        }
    }

    private final DataSource dataSource;
    private final int maxBatch;
    private final ConcurrentLinkedQueue<Task<?>> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean closed;
    private Connection connection;
    private Tx tx;

    public WriteLane(DataSource dataSource, int maxBatch) {
        this.dataSource = dataSource;
        this.maxBatch = Math.max(1, maxBatch);
    }

    public <T> T run(Function<Tx, T> work) {
        if (closed) {
            throw new IllegalStateException("the store is closed");
        }
        Task<T> task = new Task<>(work);
        queue.add(task);
        while (!task.done) {
            if (lock.tryLock()) {
                try {
                    drain();
                } finally {
                    lock.unlock();
                }
                // a unit queued between the last drain and the unlock is picked up by the loop (ours) or by the
                // writer that queued it (its tryLock after queueing cannot have failed on us any more)
                continue;
            }
            try {
                // the holder runs our unit before it lets go of the lock; the timeout is only a safety net
                task.finished.get(20, TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // look again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the store", e);
            }
        }
        if (task.failure != null) {
            throw task.failure;
        }
        return task.result;
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
     * Copies the WAL into the database file without blocking writers (PASSIVE). The lane's connection never
     * checkpoints during a commit: its owner calls this from housekeeping, off the request path.
     */
    public void checkpoint() {
        try (Connection c = dataSource.getConnection(); var st = c.createStatement()) {
            st.execute("PRAGMA wal_checkpoint(PASSIVE)");
        } catch (SQLException e) {
            throw new IllegalStateException("SQLite checkpoint failed: " + e.getMessage(), e);
        }
    }

    private void drain() {
        while (true) {
            List<Task<?>> batch = new ArrayList<>();
            for (Task<?> t; batch.size() < maxBatch && (t = queue.poll()) != null; ) {
                batch.add(t);
            }
            if (batch.isEmpty()) {
                return;
            }
            execute(batch);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void execute(List<Task<?>> batch) {
        try {
            Tx t = tx();
            boolean single = batch.size() == 1;
            for (Task task : batch) {
                Savepoint sp = single ? null : connection.setSavepoint();
                try {
                    task.result = task.work.apply(t);
                    if (sp != null) {
                        connection.releaseSavepoint(sp);
                    }
                } catch (RuntimeException e) {
                    task.failure = e;
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
            for (Task task : batch) {
                task.result = null;
                task.failure = failure;
            }
            closeConnection();
        } finally {
            for (Task<?> task : batch) {
                task.done = true;
                task.finished.complete(null);
            }
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
        lock.lock();
        try {
            closeConnection();
        } finally {
            lock.unlock();
        }
    }
}
