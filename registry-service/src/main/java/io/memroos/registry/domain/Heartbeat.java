package io.memroos.registry.domain;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One heartbeat as received.
 *
 * @param load    0..1, or null when the agent did not say
 * @param metrics free-form values, at most {@link #MAX_METRICS} entries
 */
public record Heartbeat(String agentId, Instant receivedAt, String status, Double load, String version,
                        Map<String, Object> metrics) {

    public static final int MAX_METRICS = 64;

    public Heartbeat {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(receivedAt, "receivedAt");
        status = Checks.text("status", status, 64);
        if (load != null && (load.isNaN() || load < 0.0 || load > 1.0)) {
            throw RegistryException.invalid("load", "must be a number between 0 and 1");
        }
        version = Checks.optionalText("version", version, 64);
        if (metrics == null) {
            metrics = Map.of();
        } else {
            if (metrics.size() > MAX_METRICS) {
                throw RegistryException.invalid("metrics", "must have at most " + MAX_METRICS + " entries");
            }
            for (String key : metrics.keySet()) {
                if (key == null || key.isBlank() || key.length() > 128) {
                    throw RegistryException.invalid("metrics", "keys must be 1 to 128 characters");
                }
            }
            // Map.copyOf refuses null values, which JSON allows.
            metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        }
    }
}
