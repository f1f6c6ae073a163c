package io.memroos.bus.domain;

import java.time.Instant;
import java.util.Objects;

/** Webhook push for one agent: each message is POSTed to {@code url}, signed with {@code secret}. */
public record Subscription(String agentId, String url, String secret, boolean enabled, Instant createdAt,
                           Instant updatedAt) {
    public Subscription {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(secret, "secret");
    }
}
