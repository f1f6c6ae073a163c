package io.memroos.governance.domain;

import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The only writer of the audit chain. Appends are queued; whoever holds the writer lock (the appending thread
 * itself when the log is idle, so an uncontended append has no thread hand-off; the {@code audit-writer} thread
 * for appends nobody waits for, such as decision records) takes everything queued (up to {@code maxBatch}
 * events), drops event ids the chain already holds, links each event to the head ({@code prevHash},
 * {@code hash}), and writes the batch with its records in ONE transaction (group commit); the others wait for
 * their own unit only.
 * Every {@code checkpointEvery} events (and from the timer, every few seconds when events are unsigned) it
 * signs a {@link Checkpoint} over the head and the Merkle root of the events since the previous one, in the
 * same transaction.
 */
public final class AuditLog implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AuditLog.class);

    /** An event to append (seq, times and hashes are assigned here) and the record it carries, or null. */
    public record Draft(AuditEvent event, Record record) {
    }

    /** What one submission did: events appended, ids that were already in the chain. */
    public record Result(List<AuditEvent> appended, int duplicates, Checkpoint checkpoint) {
    }

    private static final class Pending {
        final List<Draft> drafts;
        final boolean checkpoint;
        final CompletableFuture<Result> done = new CompletableFuture<>();

        Pending(List<Draft> drafts, boolean checkpoint) {
            this.drafts = drafts;
            this.checkpoint = checkpoint;
        }
    }

    private final GovernanceStore store;
    private final Signer signer;
    private final Clock clock;
    private final int maxBatch;
    private final int checkpointEvery;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
    private final java.util.concurrent.Semaphore wake = new java.util.concurrent.Semaphore(0);
    private final Thread writer;
    private final AtomicLong appendedTotal = new AtomicLong();
    private volatile boolean closed;

    // writer-thread state
    private volatile long headSeq;
    private volatile String headHash;
    private Checkpoint lastCheckpoint;
    private final List<String> unsigned = new ArrayList<>();

    public AuditLog(GovernanceStore store, Signer signer, Clock clock, int maxBatch, int checkpointEvery) {
        this.store = store;
        this.signer = signer;
        this.clock = clock;
        this.maxBatch = Math.max(1, maxBatch);
        this.checkpointEvery = Math.max(1, checkpointEvery);
        reload();
        this.writer = new Thread(this::run, "audit-writer");
        writer.setDaemon(true);
        writer.start();
    }

    private void reload() {
        AuditEvent head = store.head();
        headSeq = head == null ? 0 : head.seq();
        headHash = head == null ? null : head.hash();
        lastCheckpoint = store.lastCheckpoint();
        long from = lastCheckpoint == null ? 1 : lastCheckpoint.seq() + 1;
        unsigned.clear();
        if (headSeq >= from) {
            unsigned.addAll(store.hashes(from, headSeq));
        }
    }

    /** Queues an append for the writer thread; the caller does not wait (decision records). */
    public CompletableFuture<Result> submit(List<Draft> drafts) {
        CompletableFuture<Result> f = enqueue(new Pending(List.copyOf(drafts), false));
        wake.release();
        return f;
    }

    /** Appends and waits for the commit (written by this thread when the log is idle). */
    public Result append(List<Draft> drafts) {
        return await(enqueue(new Pending(List.copyOf(drafts), false)));
    }

    /** Signs a checkpoint over the head now (when events are unsigned) and returns the latest checkpoint. */
    public Checkpoint checkpoint() {
        Result r = await(enqueue(new Pending(List.of(), true)));
        return r.checkpoint();
    }

    /** Asks for a checkpoint without waiting (the timer). */
    public void checkpointSoon() {
        enqueue(new Pending(List.of(), true));
        wake.release();
    }

    public long appendedTotal() {
        return appendedTotal.get();
    }

    private CompletableFuture<Result> enqueue(Pending p) {
        if (closed) {
            p.done.completeExceptionally(GovException.unavailable("the audit log is closed"));
            return p.done;
        }
        queue.add(p);
        return p.done;
    }

    private Result await(CompletableFuture<Result> f) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try {
            while (true) {
                drainIfFree();
                try {
                    // the lock holder writes our unit before it lets go; the timeout is only a safety net
                    return f.get(20, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        throw GovException.unavailable("the audit log did not answer in time");
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw GovException.unavailable("interrupted while appending to the audit log");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Writes everything queued when nobody else holds the writer lock. A unit queued while the holder was
     * finishing is seen by the holder's re-check after it unlocks (or by its own writer's next try).
     */
    private void drainIfFree() {
        while (!queue.isEmpty() && lock.tryLock()) {
            try {
                List<Pending> batch = new ArrayList<>();
                while (true) {
                    batch.clear();
                    int events = 0;
                    Pending next;
                    while ((next = queue.peek()) != null && (batch.isEmpty() || events + next.drafts.size() <= maxBatch)) {
                        batch.add(queue.poll());
                        events += next.drafts.size();
                    }
                    if (batch.isEmpty()) {
                        break;
                    }
                    try {
                        write(batch);
                    } catch (RuntimeException e) {
                        LOG.errorf(e, "audit writer failed");
                        fail(batch, e);
                    }
                }
            } finally {
                lock.unlock();
            }
        }
    }

    private void run() {
        while (!closed || !queue.isEmpty()) {
            try {
                wake.tryAcquire(200, TimeUnit.MILLISECONDS);
                wake.drainPermits();
                drainIfFree();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.errorf(e, "audit writer failed");
            }
        }
    }

    private void write(List<Pending> batch) {
        long seq = headSeq;
        String prev = headHash;
        String now = Times.format(clock.instant());
        Set<String> ids = new HashSet<>();
        for (Pending p : batch) {
            for (Draft d : p.drafts) {
                ids.add(d.event().id());
            }
        }
        Set<String> existing;
        try {
            existing = ids.isEmpty() ? Set.of() : store.existingIds(ids);
        } catch (RuntimeException e) {
            fail(batch, e);
            return;
        }
        Set<String> seen = new HashSet<>(existing);
        List<AuditEvent> events = new ArrayList<>();
        List<Record> records = new ArrayList<>();
        List<List<AuditEvent>> perPending = new ArrayList<>();
        int[] duplicates = new int[batch.size()];
        boolean wantCheckpoint = false;
        List<String> newHashes = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Pending p = batch.get(i);
            wantCheckpoint |= p.checkpoint;
            List<AuditEvent> mine = new ArrayList<>();
            for (Draft d : p.drafts) {
                if (!seen.add(d.event().id())) {
                    duplicates[i]++;
                    continue;
                }
                seq++;
                AuditEvent e = d.event().chained(seq, now, prev);
                prev = e.hash();
                events.add(e);
                mine.add(e);
                newHashes.add(e.hash());
                if (d.record() != null) {
                    Record r = d.record();
                    records.add(new Record(r.id(), r.kind(), r.agentId(), r.taskId(), r.at(), r.day(), seq, r.model(),
                            r.provider(), r.tool(), r.outcome(), r.inputTokens(), r.outputTokens(), r.latencyMs(),
                            r.cost(), r.data()));
                }
            }
            perPending.add(mine);
        }
        Checkpoint checkpoint = null;
        int unsignedCount = unsigned.size() + newHashes.size();
        if (unsignedCount > 0 && (wantCheckpoint || unsignedCount >= checkpointEvery)) {
            List<String> covered = new ArrayList<>(unsigned);
            covered.addAll(newHashes);
            long fromSeq = seq - covered.size() + 1;
            Checkpoint unsignedCp = new Checkpoint(seq, fromSeq, prev, Merkle.root(covered), now, signer.keyId(), null);
            checkpoint = new Checkpoint(seq, fromSeq, prev, unsignedCp.merkleRoot(), now, signer.keyId(),
                    signer.sign(unsignedCp.payload()));
        }
        try {
            if (!events.isEmpty() || checkpoint != null) {
                store.append(events, records, checkpoint);
            }
        } catch (RuntimeException e) {
            reload();
            fail(batch, e);
            return;
        }
        headSeq = seq;
        headHash = prev;
        appendedTotal.addAndGet(events.size());
        if (checkpoint != null) {
            lastCheckpoint = checkpoint;
            unsigned.clear();
        } else {
            unsigned.addAll(newHashes);
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).done.complete(new Result(perPending.get(i), duplicates[i], lastCheckpoint));
        }
    }

    private static void fail(List<Pending> batch, RuntimeException e) {
        LOG.warnf("audit append failed: %s", e.getMessage());
        RuntimeException failure = e instanceof GovException ? e
                : GovException.unavailable("the audit store failed; nothing of this batch was appended");
        for (Pending p : batch) {
            p.done.completeExceptionally(failure);
        }
    }

    /** The head as the writer last committed it: seq and hash. */
    public long headSeq() {
        return headSeq;
    }

    @Override
    public void close() {
        closed = true;
        wake.release();
        try {
            writer.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
