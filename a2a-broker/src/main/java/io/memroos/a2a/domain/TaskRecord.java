package io.memroos.a2a.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * One brokered task as stored: who asked, which agent it went to, where that agent keeps it, its state, and
 * its A2A 1.0 Task JSON (status, artifacts, history) as the broker shows it to callers.
 *
 * @param taskJson      the A2A 1.0 Task object, with the broker's own ids
 * @param lastSeq       the sequence number of the last stored event
 * @param pendingJson   the send request still to deliver to the agent, or null once delivered
 * @param pendingMode   how to deliver it ({@code send} or {@code stream}), or null
 */
public record TaskRecord(String id, String contextId, String caller, String targetAgent, String targetKind,
                         String remoteTaskId, TaskState state, String taskJson, long lastSeq, String pendingJson,
                         String pendingMode, Instant nextAttemptAt, Instant deliverBy, int attempts,
                         Instant createdAt, Instant updatedAt) {

    public TaskRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(contextId, "contextId");
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(targetAgent, "targetAgent");
        Objects.requireNonNull(targetKind, "targetKind");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(taskJson, "taskJson");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    public TaskRecord with(TaskState newState, String newTaskJson, Instant at) {
        return new TaskRecord(id, contextId, caller, targetAgent, targetKind, remoteTaskId, newState, newTaskJson,
                lastSeq, pendingJson, pendingMode, nextAttemptAt, deliverBy, attempts, createdAt, at);
    }

    public TaskRecord withRemoteTaskId(String remote) {
        return new TaskRecord(id, contextId, caller, targetAgent, targetKind, remote, state, taskJson, lastSeq,
                pendingJson, pendingMode, nextAttemptAt, deliverBy, attempts, createdAt, updatedAt);
    }

    public TaskRecord withPending(String json, String mode, Instant next, Instant by, int tries) {
        return new TaskRecord(id, contextId, caller, targetAgent, targetKind, remoteTaskId, state, taskJson, lastSeq,
                json, mode, next, by, tries, createdAt, updatedAt);
    }

    public TaskRecord delivered() {
        return withPending(null, null, null, null, attempts);
    }

    public TaskRecord withLastSeq(long seq) {
        return new TaskRecord(id, contextId, caller, targetAgent, targetKind, remoteTaskId, state, taskJson, seq,
                pendingJson, pendingMode, nextAttemptAt, deliverBy, attempts, createdAt, updatedAt);
    }
}
