package io.memroos.a2a.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where tasks, their events and their webhooks live. Every write is durable when the call returns; events are
 * numbered 1, 2, 3... per task inside the transaction that stores them.
 */
public interface TaskStore {

    /** Stores a new task with its first events (numbered from 1); {@code task.lastSeq()} is ignored. */
    Applied create(TaskRecord task, List<String> events);

    Optional<TaskRecord> find(String id);

    /**
     * Reads the task, lets {@code change} decide its new row and events, and stores both in one transaction; each
     * event is also queued for every webhook of the task. Throws {@link A2aException} task-not-found when absent.
     */
    Applied update(String id, Function<TaskRecord, Change> change);

    /** Events with a sequence number above {@code afterSeq}, in order, at most {@code limit}. */
    List<TaskEvent> events(String taskId, long afterSeq, int limit);

    Page<TaskRecord> list(TaskQuery query);

    /** Tasks not in a terminal state, oldest first. */
    List<TaskRecord> open(int limit);

    /** Tasks with an undelivered request whose next attempt is due. */
    List<TaskRecord> duePending(Instant now, int limit);

    void savePushConfig(PushConfig config);

    Optional<PushConfig> findPushConfig(String taskId, String id);

    List<PushConfig> pushConfigs(String taskId);

    boolean deletePushConfig(String taskId, String id);

    List<PushDelivery> duePushDeliveries(Instant now, int limit);

    void pushDelivered(String deliveryId);

    void pushFailed(String deliveryId, int attempts, Instant nextAt, String error);

    /** A round trip to the database. */
    void ping();
}
