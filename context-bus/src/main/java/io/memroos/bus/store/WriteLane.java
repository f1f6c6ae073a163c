package io.memroos.bus.store;

import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * SQLite allows one writer: every write of the store runs on this one thread, over one connection. Work
 * that queues up while a transaction commits is grouped into the next transaction (group commit), each
 * unit under its own savepoint so one refused unit does not undo the others.
 */
final class WriteLane implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(WriteLane.class);

    private record Task<T>(Function<Tx, T> work, CompletableFuture<T> done) {
    }

    private final DataSource dataSource;
    private final int maxBatch;
    private final BlockingQueue<Task<?>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
    private Connection connection;
    private Tx tx;

    WriteLane(DataSource dataSource, int maxBatch) {
        this.dataSource = dataSource;
        this.maxBatch = Math.max(1, maxBatch);
        this.thread = new Thread(this::loop, "bus-write-lane");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    <T> T run(Function<Tx, T> work) {
        if (!running) {
            throw new IllegalStateException("the store is closed");
        }
        CompletableFuture<T> done = new CompletableFuture<>();
        queue.add(new Task<>(work, done));
        try {
            return done.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    private void loop() {
        List<Task<?>> batch = new ArrayList<>(maxBatch);
        while (running || !queue.isEmpty()) {
            try {
                Task<?> first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                execute(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Throwable t) {
                LOG.errorf(t, "write lane failure");
                for (Task<?> task : batch) {
                    task.done().completeExceptionally(t);
                }
            } finally {
                batch.clear();
            }
        }
        closeConnection();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void execute(List<Task<?>> batch) throws SQLException {
        Tx t = tx();
        Object[] results = new Object[batch.size()];
        Throwable[] errors = new Throwable[batch.size()];
        boolean single = batch.size() == 1;
        for (int i = 0; i < batch.size(); i++) {
            Savepoint sp = single ? null : connection.setSavepoint();
            try {
                results[i] = batch.get(i).work().apply(t);
                if (sp != null) {
                    connection.releaseSavepoint(sp);
                }
            } catch (RuntimeException | Error e) {
                errors[i] = e;
                if (sp != null) {
                    connection.rollback(sp);
                    connection.releaseSavepoint(sp);
                } else {
                    connection.rollback();
                }
            }
        }
        try {
            connection.commit();
        } catch (SQLException e) {
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // the connection is reopened below
            }
            resetConnection();
            throw e;
        }
        for (int i = 0; i < batch.size(); i++) {
            CompletableFuture done = batch.get(i).done();
            if (errors[i] != null) {
                done.completeExceptionally(errors[i]);
            } else {
                done.complete(results[i]);
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

    private void resetConnection() {
        closeConnection();
    }

    private void closeConnection() {
        if (tx != null) {
            tx.close();
            tx = null;
        }
        if (connection != null) {
            try {
                connection.rollback();
                connection.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
