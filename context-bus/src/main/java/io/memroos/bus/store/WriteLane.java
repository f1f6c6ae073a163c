package io.memroos.bus.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * SQLite allows one writer: every write of the store runs over one connection, one transaction at a time.
 * A writer queues its unit of work and takes the lane's lock; whoever holds the lock runs every unit queued
 * so far in one transaction (group commit), each under its own savepoint so one refused unit does not undo
 * the others. Uncontended, a write runs on the caller's thread with no hand-off; under load, one commit
 * serves many writers.
 */
final class WriteLane implements AutoCloseable {

    private static final class Task<T> {
        final Function<Tx, T> work;
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

    WriteLane(DataSource dataSource, int maxBatch) {
        this.dataSource = dataSource;
        this.maxBatch = Math.max(1, maxBatch);
    }

    <T> T run(Function<Tx, T> work) {
        if (closed) {
            throw new IllegalStateException("the store is closed");
        }
        Task<T> task = new Task<>(work);
        queue.add(task);
        lock.lock();
        try {
            while (!task.done) {
                List<Task<?>> batch = new ArrayList<>();
                for (Task<?> t; batch.size() < maxBatch && (t = queue.poll()) != null; ) {
                    batch.add(t);
                }
                execute(batch);
            }
        } finally {
            lock.unlock();
        }
        if (task.failure != null) {
            throw task.failure;
        }
        return task.result;
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
            }
        }
    }

    private Tx tx() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = dataSource.getConnection();
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
