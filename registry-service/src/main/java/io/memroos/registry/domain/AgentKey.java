package io.memroos.registry.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A stored agent key. Only the SHA-256 of the full key is kept ({@code hash}, lowercase hex).
 */
public record AgentKey(String id, String agentId, String prefix, String hash, String label, Instant createdAt,
                       Instant lastUsedAt, Instant expiresAt, Instant revokedAt) {
    public AgentKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(createdAt, "createdAt");
        label = Checks.optionalText("label", label, 128);
    }

    /** Usable now: neither revoked nor expired. */
    public boolean liveAt(Instant now) {
        return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
    }

    /** The prefix as shown to operators, {@code mrk_<prefix>}. */
    public String displayPrefix() {
        return AgentKeys.SCHEME + prefix;
    }
}
