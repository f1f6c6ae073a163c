package io.memroos.a2a.domain;

import io.memroos.contract.outbox.OutboxEvent;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Where tasks, their events and their webhooks live. Every write is durable when the call returns; events are
 * numbered 1, 2, 3... per task inside the transaction that stores them. Audit events for governance
 * ({@link OutboxEvent}) go to the store's outbox table in the same transaction as the write they report.
 */
public interface TaskStore {

    /** Periodic upkeep off the request path (SQLite: a WAL checkpoint). */
    default void housekeeping() {
    }

    /**
     * Stores a new task with its first events (numbered from 1) and its audit events, in one transaction;
     * {@code task.lastSeq()} is ignored.
     */
    Applied create(TaskRecord task, List<String> events, List<OutboxEvent> audit);

    /**
     * {@link #create} for a caller that must not wait (an event loop): a store that can commit without waiting on
     * this thread does so (the future may complete on another thread); the others run {@link #create} on
     * {@code blocking}.
     */
    CompletionStage<Applied> createAsync(TaskRecord task, List<String> events, List<OutboxEvent> audit,
                                         Executor blocking);

    default Applied create(TaskRecord task, List<String> events) {
        return create(task, events, List.of());
    }

    Optional<TaskRecord> find(String id);

    /**
     * Reads the task, lets {@code change} decide its new row, events and audit events, and stores them in one
     * transaction; each event is also queued for every webhook of the task. Throws {@link A2aException} task-not-found when absent.
     */
    Applied update(String id, Function<TaskRecord, Change> change);

    /** Events with a sequence number above {@code afterSeq}, in order, at most {@code limit}. */
    List<TaskEvent> events(String taskId, long afterSeq, int limit);

    Page<TaskRecord> list(TaskQuery query);

    /** Tasks not in a terminal state, oldest first. */
    List<TaskRecord> open(int limit);

    /** Tasks with an undelivered request whose next attempt is due. */
    List<TaskRecord> duePending(Instant now, int limit);

    /** Stores (or replaces) a webhook, with its audit event (null: none) in the same transaction. */
    void savePushConfig(PushConfig config, OutboxEvent audit);

    default void savePushConfig(PushConfig config) {
        savePushConfig(config, null);
    }

    Optional<PushConfig> findPushConfig(String taskId, String id);

    List<PushConfig> pushConfigs(String taskId);

    /** Deletes a webhook; its audit event (null: none) is stored in the same transaction, only if one was deleted. */
    boolean deletePushConfig(String taskId, String id, OutboxEvent audit);

    default boolean deletePushConfig(String taskId, String id) {
        return deletePushConfig(taskId, id, null);
    }

    List<PushDelivery> duePushDeliveries(Instant now, int limit);

    void pushDelivered(String deliveryId);

    /** A failed webhook call: retried at {@code nextAt}, or given up (deleted) when it is null. */
    default void pushFailed(String deliveryId, int attempts, Instant nextAt, String error) {
        pushFailed(deliveryId, attempts, nextAt, error, null);
    }

    /** As above; {@code audit} (null: none) is stored in the same transaction when the delivery is given up. */
    void pushFailed(String deliveryId, int attempts, Instant nextAt, String error, OutboxEvent audit);

    /** A round trip to the database. */
    void ping();
}
