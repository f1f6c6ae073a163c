package io.memroos.a2a.domain;

import java.time.Instant;

/** A webhook of a task: its id and the A2A 1.0 TaskPushNotificationConfig JSON. */
public record PushConfig(String taskId, String id, String configJson, Instant createdAt) {
}
