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
 * The only writer of the audit chain. Appends are queued; one thread takes everything queued (up to
 * {@code maxBatch} events), drops event ids the chain already holds, links each event to the head
 * ({@code prevHash}, {@code hash}), and writes the batch with its records in ONE transaction (group commit).
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

    public CompletableFuture<Result> submit(List<Draft> drafts) {
        return enqueue(new Pending(List.copyOf(drafts), false));
    }

    /** Appends and waits for the commit. */
    public Result append(List<Draft> drafts) {
        return await(submit(drafts));
    }

    /** Signs a checkpoint over the head now (when events are unsigned) and returns the latest checkpoint. */
    public Checkpoint checkpoint() {
        Result r = await(enqueue(new Pending(List.of(), true)));
        return r.checkpoint();
    }

    /** Asks for a checkpoint without waiting (the timer). */
    public void checkpointSoon() {
        enqueue(new Pending(List.of(), true));
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

    private static Result await(CompletableFuture<Result> f) {
        try {
            return f.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw GovException.unavailable("interrupted while appending to the audit log");
        } catch (TimeoutException e) {
            throw GovException.unavailable("the audit log did not answer in time");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        while (!closed || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.clear();
                batch.add(first);
                int events = first.drafts.size();
                Pending next;
                while (events < maxBatch && (next = queue.peek()) != null
                        && (events + next.drafts.size() <= maxBatch || events == 0)) {
                    batch.add(queue.poll());
                    events += next.drafts.size();
                }
                write(batch);
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
        try {
            writer.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
