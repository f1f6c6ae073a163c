package io.memroos.governance.domain;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Verifies the whole chain: seq numbers contiguous from 1, each {@code prevHash} equal to the previous event's
 * hash, each hash equal to SHA-256 of the event's canonical form; then every checkpoint: its signature, its
 * head hash against the event at its seq, its Merkle root against the events it covers, and that no
 * checkpoint names a seq past the last event (events removed from the end). Reports the first failure.
 */
public final class ChainVerifier {

    /** The outcome; on failure {@code seq}/{@code eventId} name the first bad event and {@code reason} why. */
    public record Result(boolean ok, long events, long checkpoints, long headSeq, String headHash, String failure,
                         Long seq, String eventId, Long checkpointSeq, String reason, String verifiedAt, long millis) {
    }

    private final GovernanceStore store;
    private final Signer signer;
    private final Clock clock;

    public ChainVerifier(GovernanceStore store, Signer signer, Clock clock) {
        this.store = store;
        this.signer = signer;
        this.clock = clock;
    }

    private static final class State {
        long expected = 1;
        String prevHash;
        long count;
        Result failure;
        final List<String> window = new ArrayList<>();
        long windowFrom = 1;
    }

    @SuppressWarnings("unchecked")
    public Result verify() {
        long started = System.nanoTime();
        List<Checkpoint> checkpoints = store.checkpoints();
        Map<Long, Checkpoint> bySeq = new HashMap<>();
        for (Checkpoint c : checkpoints) {
            bySeq.put(c.seq(), c);
        }
        State s = new State();
        // rows are read on this thread; their hashes are computed on a second one, batch by batch, and the
        // batches are checked in order here (links, hashes, checkpoints): reading and hashing overlap
        java.util.concurrent.ExecutorService hasher = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "audit-verify");
            t.setDaemon(true);
            return t;
        });
        java.util.ArrayDeque<java.util.concurrent.Future<Batch>> inFlight = new java.util.ArrayDeque<>();
        List<AuditEvent>[] current = new List[]{new ArrayList<>(BATCH)};
        try {
            store.scan(1, Long.MAX_VALUE, e -> {
                if (s.failure != null) {
                    return;
                }
                current[0].add(e);
                if (current[0].size() == BATCH) {
                    inFlight.add(hasher.submit(hashing(current[0])));
                    current[0] = new ArrayList<>(BATCH);
                    while (inFlight.size() > 4 && s.failure == null) {
                        check(take(inFlight.poll()), s, bySeq, started);
                    }
                }
            });
            if (!current[0].isEmpty()) {
                inFlight.add(hasher.submit(hashing(current[0])));
            }
            while (!inFlight.isEmpty() && s.failure == null) {
                check(take(inFlight.poll()), s, bySeq, started);
            }
        } finally {
            hasher.shutdownNow();
        }
        if (s.failure != null) {
            return remember(s.failure);
        }
        long head = s.expected - 1;
        for (Checkpoint c : checkpoints) {
            if (c.seq() > head) {
                return remember(fail(s, "missing-event", head + 1, null, c.seq(),
                        "checkpoint " + c.seq() + " covers events up to " + c.seq() + " but the chain ends at " + head
                                + " (events were removed from the end)", started));
            }
        }
        return remember(new Result(true, s.count, checkpoints.size(), head, s.prevHash, null, null, null, null, null,
                Times.format(clock.instant()), (System.nanoTime() - started) / 1_000_000));
    }

    private static final int BATCH = 2048;

    private record Batch(List<AuditEvent> events, String[] hashes) {
    }

    private static java.util.concurrent.Callable<Batch> hashing(List<AuditEvent> events) {
        return () -> {
            java.security.MessageDigest md = Canonical.digest();
            String[] hashes = new String[events.size()];
            for (int i = 0; i < hashes.length; i++) {
                hashes[i] = events.get(i).computeHash(md);
            }
            return new Batch(events, hashes);
        };
    }

    private static Batch take(java.util.concurrent.Future<Batch> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while verifying", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("verification failed: " + e.getCause(), e.getCause());
        }
    }

    /** Checks one batch in order: seq contiguity, links, hashes, the checkpoints it reaches. */
    private void check(Batch b, State s, Map<Long, Checkpoint> bySeq, long started) {
        for (int i = 0; i < b.events().size() && s.failure == null; i++) {
            AuditEvent e = b.events().get(i);
            if (e.seq() != s.expected) {
                s.failure = fail(s, "missing-event", e.seq() > s.expected ? s.expected : e.seq(), e.id(), null,
                        e.seq() > s.expected
                                ? "event " + s.expected + " is missing (deleted): the next event found has seq " + e.seq()
                                : "event seq " + e.seq() + " appears out of order after " + (s.expected - 1), started);
                return;
            }
            if (s.expected == 1 ? e.prevHash() != null : !java.util.Objects.equals(e.prevHash(), s.prevHash)) {
                s.failure = fail(s, "broken-link", e.seq(), e.id(), null,
                        "prevHash does not match the hash of event " + (e.seq() - 1)
                                + " (an event was deleted, inserted or reordered)", started);
                return;
            }
            if (!b.hashes()[i].equals(e.hash())) {
                s.failure = fail(s, "hash-mismatch", e.seq(), e.id(), null,
                        "the stored hash does not match the event's content (the event was edited)", started);
                return;
            }
            s.prevHash = e.hash();
            s.count++;
            s.expected++;
            s.window.add(e.hash());
            Checkpoint c = bySeq.get(e.seq());
            if (c != null) {
                Result bad = checkCheckpoint(c, e.hash(), s, started);
                if (bad != null) {
                    s.failure = bad;
                    return;
                }
                s.window.clear();
                s.windowFrom = c.seq() + 1;
            }
        }
    }

    private Result checkCheckpoint(Checkpoint c, String headHash, State s, long started) {
        if (!signer.verify(c.payload(), c.signature())) {
            return fail(s, "bad-checkpoint-signature", c.seq(), null, c.seq(),
                    "the signature of checkpoint " + c.seq() + " does not verify with the audit public key", started);
        }
        if (!c.hash().equals(headHash)) {
            return fail(s, "checkpoint-mismatch", c.seq(), null, c.seq(),
                    "checkpoint " + c.seq() + " signed a different head hash than the event at seq " + c.seq(), started);
        }
        if (c.fromSeq() != s.windowFrom || !Merkle.root(s.window).equals(c.merkleRoot())) {
            return fail(s, "checkpoint-mismatch", c.fromSeq(), null, c.seq(),
                    "the Merkle root of checkpoint " + c.seq() + " does not match events " + c.fromSeq() + ".." + c.seq(),
                    started);
        }
        return null;
    }

    private Result fail(State s, String failure, long seq, String id, Long checkpoint, String reason, long started) {
        return new Result(false, s.count, 0, s.expected - 1, s.prevHash, failure, seq, id, checkpoint, reason,
                Times.format(clock.instant()), (System.nanoTime() - started) / 1_000_000);
    }

    private Result remember(Result r) {
        try {
            store.putMeta("lastVerify", (r.ok() ? "ok" : "failed:" + r.failure() + ":" + r.seq()) + "@" + r.verifiedAt());
        } catch (RuntimeException ignored) {
            // a read-only verification still answers
        }
        return r;
    }
}
