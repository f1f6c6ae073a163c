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
        final Map<Long, String> hashesAtCheckpoints = new HashMap<>();
        final List<String> window = new ArrayList<>();
        long windowFrom = 1;
    }

    public Result verify() {
        long started = System.nanoTime();
        List<Checkpoint> checkpoints = store.checkpoints();
        Map<Long, Checkpoint> bySeq = new HashMap<>();
        for (Checkpoint c : checkpoints) {
            bySeq.put(c.seq(), c);
        }
        State s = new State();
        java.security.MessageDigest md = Canonical.digest();
        store.scan(1, Long.MAX_VALUE, e -> {
            if (s.failure != null) {
                return;
            }
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
            String computed = e.computeHash(md);
            if (!computed.equals(e.hash())) {
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
                s.hashesAtCheckpoints.put(c.seq(), e.hash());
                Result bad = checkCheckpoint(c, e.hash(), s, started);
                if (bad != null) {
                    s.failure = bad;
                    return;
                }
                s.window.clear();
                s.windowFrom = c.seq() + 1;
            }
        });
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
