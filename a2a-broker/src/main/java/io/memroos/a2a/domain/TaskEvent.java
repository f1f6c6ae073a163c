package io.memroos.a2a.domain;

import java.time.Instant;

/** One stored stream event of a task: an A2A 1.0 StreamResponse JSON with its per-task sequence number. */
public record TaskEvent(String taskId, long seq, String eventJson, Instant createdAt) {
}
