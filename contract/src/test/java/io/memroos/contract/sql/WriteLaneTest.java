package io.memroos.contract.sql;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WriteLaneTest {

    @TempDir
    Path dir;
    private SQLiteDataSource dataSource;
    private WriteLane lane;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @BeforeEach
    void open() throws Exception {
        dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + dir.resolve("lane.db") + "?journal_mode=WAL&busy_timeout=5000&synchronous=NORMAL");
        try (Connection c = dataSource.getConnection(); var st = c.createStatement()) {
            st.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, writer TEXT NOT NULL, body TEXT)");
            st.execute("CREATE UNIQUE INDEX t_writer ON t (writer)");
        }
        lane = new WriteLane(dataSource, 64);
    }

    @AfterEach
    void close() {
        lane.close();
        threads.shutdownNow();
    }

    private long rows() {
        return lane.read(tx -> ((Number) tx.one("SELECT count(*) AS n FROM t").get("n")).longValue());
    }

    @Test
    void concurrentWritersAreAllCommitted() throws Exception {
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            int writer = w;
            writers.add(threads.submit(() -> {
                for (int i = 0; i < 200; i++) {
                    String key = writer + "-" + i;
                    int n = lane.run(tx -> tx.update("INSERT INTO t (writer) VALUES (?)", key));
                    assertEquals(1, n);
                }
            }));
        }
        for (Future<?> f : writers) {
            f.get(60, TimeUnit.SECONDS);
        }
        assertEquals(1600, rows());
    }

    @Test
    void submitOnAFreeLaneCommitsOnTheCallersThreadBeforeItReturns() {
        Thread caller = Thread.currentThread();
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        CompletableFuture<Integer> done = lane.submit(tx -> {
            ranOn.set(Thread.currentThread());
            return tx.update("INSERT INTO t (writer) VALUES ('a')");
        });
        assertTrue(done.isDone());
        assertEquals(1, done.join());
        assertEquals(caller, ranOn.get());
        assertEquals(1, rows());
    }

    @Test
    void submitNeverWaitsForTheHolderAndARefusedUnitDoesNotUndoTheOthers() throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<?> holder = threads.submit(() -> lane.run(tx -> {
            holding.countDown();
            try {
                assertTrue(release.await(30, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return tx.update("INSERT INTO t (writer) VALUES ('holder')");
        }));
        assertTrue(holding.await(30, TimeUnit.SECONDS));

        AtomicReference<Thread> completedOn = new AtomicReference<>();
        CompletableFuture<Integer> first = lane.submit(tx -> tx.update("INSERT INTO t (writer) VALUES ('one')"));
        CompletableFuture<Integer> refused = lane.submit(tx -> tx.update("INSERT INTO t (writer) VALUES ('one')"));
        CompletableFuture<Integer> second = lane.submit(tx -> tx.update("INSERT INTO t (writer) VALUES ('two')"));
        second.whenComplete((n, e) -> completedOn.set(Thread.currentThread()));
        assertFalse(first.isDone() || refused.isDone() || second.isDone(), "queued behind the holder, not run");

        release.countDown();
        holder.get(30, TimeUnit.SECONDS);
        assertEquals(1, first.get(30, TimeUnit.SECONDS));
        assertEquals(1, second.get(30, TimeUnit.SECONDS));
        ExecutionException e = assertThrows(ExecutionException.class, () -> refused.get(30, TimeUnit.SECONDS));
        assertInstanceOf(Tx.UniqueViolation.class, e.getCause());
        assertEquals(3, rows(), "holder, one and two: the duplicate's savepoint was rolled back alone");
        assertFalse(completedOn.get() == Thread.currentThread(), "the holder completed the queued units");
    }

    @Test
    void runRethrowsWhatTheWorkThrew() {
        lane.run(tx -> tx.update("INSERT INTO t (writer) VALUES ('x')"));
        assertThrows(Tx.UniqueViolation.class, () -> lane.run(tx -> tx.update("INSERT INTO t (writer) VALUES ('x')")));
        IllegalArgumentException mine = new IllegalArgumentException("mine");
        assertEquals(mine, assertThrows(IllegalArgumentException.class, () -> lane.run(tx -> {
            throw mine;
        })));
        assertEquals(1, rows());
    }

    /**
     * Writers that never pause and a reader that never stops: without a checkpoint that takes the writer's role,
     * SQLite never rewinds the WAL and it grows with every commit.
     */
    @Test
    void checkpointsKeepTheWalShortUnderSteadyWritesAndReads() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        Future<?> reader = threads.submit(() -> {
            while (!stop.get()) {
                rows();
            }
        });
        String body = "x".repeat(1000);
        Path wal = dir.resolve("lane.db-wal");
        long largest = 0;
        int commits = 4000;
        for (int i = 0; i < commits; i++) {
            String key = "w" + i;
            lane.run(tx -> tx.update("INSERT INTO t (writer, body) VALUES (?, ?)", key, body));
            if (i % 400 == 399) {
                lane.checkpoint();
                largest = Math.max(largest, Files.size(wal));
            }
        }
        stop.set(true);
        reader.get(30, TimeUnit.SECONDS);
        assertEquals(commits, rows());
        // every commit appends at least one 4 KiB page: 4000 commits would leave a WAL of 16 MB or more
        assertTrue(largest < 6L * 1024 * 1024, "WAL grew to " + largest + " bytes");
    }

    @Test
    void aCheckpointBehindALongReadGivesUpAndWritersGoOn() throws Exception {
        lane.run(tx -> tx.update("INSERT INTO t (writer) VALUES ('before')"));
        try (Connection reading = dataSource.getConnection(); var st = reading.createStatement()) {
            reading.setAutoCommit(false);
            try (var rs = st.executeQuery("SELECT count(*) FROM t")) {
                assertTrue(rs.next()); // holds a read snapshot on the WAL until the rollback below
            }
            lane.run(tx -> tx.update("INSERT INTO t (writer) VALUES ('during')"));
            long started = System.nanoTime();
            lane.checkpoint();
            assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(3), "the checkpoint waited too long");
            int after = lane.run(tx -> tx.update("INSERT INTO t (writer) VALUES ('after')"));
            assertEquals(1, after);
            reading.rollback();
        }
        assertEquals(3, rows());
    }

    @Test
    void aClosedLaneRefusesWork() {
        lane.close();
        assertThrows(IllegalStateException.class, () -> lane.submit(tx -> 1));
        assertThrows(IllegalStateException.class, () -> lane.run(tx -> 1));
    }
}
