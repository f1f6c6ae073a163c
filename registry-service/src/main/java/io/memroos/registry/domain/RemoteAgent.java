package io.memroos.registry.domain;

import java.time.Instant;
import java.util.Objects;

/** The polling state of an agent ingested from its A2A card. */
public record RemoteAgent(String agentId, String cardUrl, int pollIntervalSeconds, boolean enabled, String etag,
                          Instant lastFetchedAt, Instant lastSuccessAt, int consecutiveFailures, String lastError) {
    public RemoteAgent {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(cardUrl, "cardUrl");
        if (pollIntervalSeconds <= 0) {
            throw RegistryException.invalid("pollIntervalSeconds", "must be positive");
        }
        if (lastError != null && lastError.length() > 1000) {
            lastError = lastError.substring(0, 1000);
        }
    }

    RemoteAgent withPolling(int interval, boolean on) {
        return new RemoteAgent(agentId, cardUrl, interval, on, etag, lastFetchedAt, lastSuccessAt,
                consecutiveFailures, lastError);
    }

    RemoteAgent succeeded(Instant at, String newEtag) {
        return new RemoteAgent(agentId, cardUrl, pollIntervalSeconds, enabled, newEtag, at, at, 0, null);
    }

    RemoteAgent failed(Instant at, String error) {
        return new RemoteAgent(agentId, cardUrl, pollIntervalSeconds, enabled, etag, at, lastSuccessAt,
                consecutiveFailures + 1, error);
    }

    /** Due for a poll at {@code now}. */
    public boolean dueAt(Instant now) {
        return enabled && (lastFetchedAt == null || !lastFetchedAt.plusSeconds(pollIntervalSeconds).isAfter(now));
    }
}
