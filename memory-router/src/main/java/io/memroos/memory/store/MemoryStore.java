package io.memroos.memory.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The records: facts with their versions and history, the episodic log, jobs, and the receipts outbox. The
 * source of truth the indexes are rebuilt from. Nothing here ever destroys a fact except {@link #purgeAgent}
 * (throwaway evaluation scopes).
 */
public interface MemoryStore extends AutoCloseable {

    /**
     * Writes a batch in one transaction: each fact is inserted unless an active fact with the same normalized
     * text exists in the same scope (then that id is returned, {@code created=false}, nothing written); episodes
     * are appended; the receipt (with the resulting ids) goes to the outbox.
     */
    WriteBatch.Result write(WriteBatch batch);

    Optional<Fact> get(String id);

    /** The current versions of these ids that exist (any order). */
    List<Fact> getAll(Collection<String> ids);

    /** The stored embedding of the current version. */
    Optional<float[]> embedding(String id);

    /**
     * A new version: text/metadata/embedding replace the current ones, the old version stays in the history with
     * its validity ended. Refused when the fact is invalidated ({@link StoreException.Kind#CONFLICT}).
     */
    Fact update(String id, String text, String normalized, Map<String, Object> metadata, float[] embedding,
                Instant at, Receipt receipt);

    /** Marks the fact invalid (kept, with history); invalidating twice is a no-op returning the fact. */
    Fact invalidate(String id, Instant at, Receipt receipt);

    /** Every change of a fact, oldest first. */
    List<FactVersion> history(String id);

    /**
     * Facts inside {@code scope} matching {@code filter}, newest first, {@code limit} per page; {@code cursor}
     * is the previous page's {@link Page#nextCursor()}. {@code includeInvalid} adds invalidated facts.
     */
    Page<Fact> list(Scope scope, Filter filter, boolean includeInvalid, String cursor, int limit);

    /** Facts changed after {@code seq} (active or not), oldest change first: what an index must catch up on. */
    List<Change> changesSince(long seq, int limit);

    /** The highest change counter written. */
    long maxSeq();

    /** Number of active facts (index health compares it with the index). */
    long countActive();

    /** Appends episodes outside a fact write (the episodes endpoint). */
    List<Episode> appendEpisodes(List<WriteBatch.NewEpisode> episodes, Receipt receipt);

    /** Full-text search of the episodic log inside {@code scope}, best first. */
    List<Episode> searchEpisodes(Scope scope, String query, int limit);

    /** The episodic log inside {@code scope}, oldest first, after {@code afterSeq}. */
    List<Episode> episodes(Scope scope, long afterSeq, int limit);

    /** The episodes just before and after the one that produced each fact, in the same session: neighbouring turns. */
    Map<String, List<String>> neighbourFacts(Collection<String> factIds, int window);

    /** Appends a receipt on its own (recalls). */
    void receipt(Receipt receipt);

    /** Counts and sizes per scope (agent, user) and kind, oldest/newest. */
    List<InventoryRow> inventory(String agentId);

    /** Destroys every record of an agent (throwaway evaluation scopes only); returns the rows removed. */
    long purgeAgent(String agentId);

    Job createJob(Job job);

    void updateJob(Job job);

    Optional<Job> job(String id);

    @Override
    void close();

    /** One change for the index: the fact's current state and embedding. */
    record Change(long seq, Fact fact, float[] embedding) {
    }
}
