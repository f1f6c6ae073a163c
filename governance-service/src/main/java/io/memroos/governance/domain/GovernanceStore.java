package io.memroos.governance.domain;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Where governance keeps its state: the audit chain and its checkpoints, receipts and telemetry records, the
 * policy versions, the asset labels. SQLite (default) and PostgreSQL implement it; one contract suite tests
 * both. The audit chain has one writer ({@link AuditLog}); appends carry the records they produce so both
 * land in one transaction.
 */
public interface GovernanceStore {

    void ping();

    // ---- audit chain -------------------------------------------------------------------------

    /** The last event of the chain, or null when it is empty. */
    AuditEvent head();

    /** Which of these event ids the chain already holds. */
    Set<String> existingIds(Collection<String> ids);

    /** Appends events (already chained) and their records, and a checkpoint when not null, in one transaction. */
    void append(List<AuditEvent> events, List<Record> records, Checkpoint checkpoint);

    void addCheckpoint(Checkpoint checkpoint);

    Page<AuditEvent> audit(AuditQuery query);

    /** Every event with {@code fromSeq <= seq <= toSeq}, in seq order (row order of the store as read). */
    void scan(long fromSeq, long toSeq, Consumer<AuditEvent> sink);

    List<AuditEvent> events(Collection<Long> seqs);

    /** The hashes of events {@code fromSeq..toSeq} in seq order. */
    List<String> hashes(long fromSeq, long toSeq);

    List<Checkpoint> checkpoints();

    Checkpoint lastCheckpoint();

    long count();

    // ---- records -------------------------------------------------------------------------------

    Page<Record> records(RecordQuery query);

    List<Aggregate> aggregate(RecordQuery query, List<String> by);

    // ---- policies ------------------------------------------------------------------------------

    PolicyVersion latestPolicies();

    PolicyVersion policies(long version);

    /** Newest first, at most {@code limit}, versions below {@code before}. */
    List<PolicyVersion> policyHistory(long before, int limit);

    void savePolicies(PolicyVersion version);

    // ---- classification ------------------------------------------------------------------------

    AssetLabel label(String type, String id);

    void saveLabels(List<AssetLabel> labels);

    /** Assets that name this one in {@code derivedFrom}. */
    List<AssetLabel> dependents(String type, String id);

    Page<AssetLabel> labels(String type, String label, String afterKey, int limit);

    // ---- small state ---------------------------------------------------------------------------

    Optional<String> meta(String key);

    void putMeta(String key, String value);
}
