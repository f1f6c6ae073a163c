package io.memroos.registry.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.memroos.registry.domain.Agent;
import io.memroos.registry.domain.AgentKey;
import io.memroos.registry.domain.AgentView;
import io.memroos.registry.domain.Endpoint;
import io.memroos.registry.domain.EndpointKind;
import io.memroos.registry.domain.Heartbeat;
import io.memroos.registry.domain.IssuedKey;
import io.memroos.registry.domain.RegistryException;
import io.memroos.registry.domain.RemoteAgentView;
import io.memroos.registry.domain.Skill;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The registry's wire shapes and their mapping to and from the domain. */
final class Json {

    private Json() {
    }

    // ---- requests -----------------------------------------------------------------------------

    @Schema(name = "SkillInput")
    record SkillBody(String id, String name, String description, List<String> tags) {
    }

    @Schema(name = "EndpointInput")
    record EndpointBody(@Schema(enumeration = {"a2a", "rest"}) String kind, String url) {
    }

    @Schema(name = "AgentRegistration")
    record Registration(@Schema(required = true) String name, String description, @Schema(required = true) String owner,
                        List<String> capabilities, List<SkillBody> skills,
                        @Schema(required = true) EndpointBody endpoint) {
    }

    @Schema(name = "AgentUpdate", description = "Partial update: absent or null members are left unchanged.")
    record Update(String name, String description, String owner, List<String> capabilities, List<SkillBody> skills,
                  EndpointBody endpoint) {
    }

    @Schema(name = "KeyRequest")
    record KeyRequest(String label, Instant expiresAt) {
    }

    @Schema(name = "HeartbeatInput")
    record HeartbeatBody(@Schema(required = true) String status,
                         @Schema(minimum = "0", maximum = "1") Double load, String version,
                         @Schema(description = "Free-form values, at most 64 entries") Map<String, Object> metrics) {
    }

    @Schema(name = "RemoteAgentIngest")
    record Ingest(@Schema(required = true) String cardUrl, Integer pollIntervalSeconds) {
    }

    @Schema(name = "RemoteAgentUpdate")
    record RemoteUpdate(Integer pollIntervalSeconds, Boolean enabled) {
    }

    @Schema(name = "KeyVerifyRequest")
    record VerifyRequest(@Schema(required = true) String key) {
    }

    // ---- responses ----------------------------------------------------------------------------

    @Schema(name = "Skill")
    record SkillJson(String id, String name, String description, List<String> tags) {
    }

    @Schema(name = "Endpoint")
    record EndpointJson(@Schema(enumeration = {"a2a", "rest"}) String kind, String url) {
    }

    @Schema(name = "Agent")
    record AgentJson(String id, String name, String description, String owner, List<String> capabilities,
                     List<SkillJson> skills, EndpointJson endpoint,
                     @Schema(enumeration = {"active", "deregistered"}) String status,
                     @Schema(enumeration = {"online", "stale", "offline", "unreachable"}) String liveness,
                     Instant lastHeartbeatAt, @Schema(enumeration = {"registered", "card"}) String source,
                     String cardUrl, Instant createdAt, Instant updatedAt) {
    }

    @Schema(name = "AgentPage")
    record AgentPage(List<AgentJson> items, @Schema(description = "Pass as cursor for the next page; null on the last")
                     String nextCursor) {
    }

    @Schema(name = "AgentKey", description = "A key without its secret.")
    record KeyJson(String id, String prefix, String label, Instant createdAt, Instant lastUsedAt, Instant expiresAt,
                   Instant revokedAt) {
    }

    @Schema(name = "NewAgentKey", description = "A new key; `key` is the plaintext, shown only in this response.")
    record NewKeyJson(String id, String prefix, String key, String label, Instant createdAt, Instant expiresAt) {
    }

    @Schema(name = "HeartbeatReceipt")
    record ReceiptJson(String agentId, String liveness, Instant receivedAt) {
    }

    @Schema(name = "Heartbeat")
    record HeartbeatJson(Instant receivedAt, String status, Double load, String version, Map<String, Object> metrics) {
    }

    @Schema(name = "RemoteAgent")
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record RemoteAgentJson(String agentId, String name, String cardUrl, int pollIntervalSeconds, boolean enabled,
                           String etag, Instant lastFetchedAt, Instant lastSuccessAt, int consecutiveFailures,
                           String lastError, String liveness) {
    }

    @Schema(name = "KeyVerification")
    record VerifyResponse(String agentId, String keyId, String prefix) {
    }

    // ---- mapping ------------------------------------------------------------------------------

    static AgentJson agent(AgentView view) {
        Agent a = view.agent();
        List<SkillJson> skills = a.skills().stream()
                .map(s -> new SkillJson(s.id(), s.name(), s.description(), s.tags())).toList();
        return new AgentJson(a.id(), a.name(), a.description(), a.owner(), a.capabilities(), skills,
                new EndpointJson(a.endpoint().kind().wire(), a.endpoint().url()), a.status().wire(),
                view.liveness().wire(), a.lastHeartbeatAt(), a.source().wire(), a.cardUrl(), a.createdAt(),
                a.updatedAt());
    }

    static KeyJson key(AgentKey k) {
        return new KeyJson(k.id(), k.displayPrefix(), k.label(), k.createdAt(), k.lastUsedAt(), k.expiresAt(),
                k.revokedAt());
    }

    static NewKeyJson newKey(IssuedKey issued) {
        AgentKey k = issued.key();
        return new NewKeyJson(k.id(), k.displayPrefix(), issued.plaintext(), k.label(), k.createdAt(), k.expiresAt());
    }

    static HeartbeatJson heartbeat(Heartbeat h) {
        return new HeartbeatJson(h.receivedAt(), h.status(), h.load(), h.version(), h.metrics());
    }

    static RemoteAgentJson remote(RemoteAgentView v) {
        var r = v.remote();
        return new RemoteAgentJson(r.agentId(), v.name(), r.cardUrl(), r.pollIntervalSeconds(), r.enabled(), r.etag(),
                r.lastFetchedAt(), r.lastSuccessAt(), r.consecutiveFailures(), r.lastError(), v.liveness().wire());
    }

    static Endpoint endpoint(EndpointBody body) {
        if (body == null) {
            return null;
        }
        try {
            return new Endpoint(EndpointKind.parse("kind", body.kind()), body.url());
        } catch (RegistryException e) {
            throw e.under("endpoint.");
        }
    }

    static List<Skill> skills(List<SkillBody> bodies) {
        if (bodies == null) {
            return null;
        }
        List<Skill> out = new ArrayList<>(bodies.size());
        for (int i = 0; i < bodies.size(); i++) {
            SkillBody b = bodies.get(i);
            if (b == null) {
                throw RegistryException.invalid("skills[" + i + "]", "must not be null");
            }
            try {
                out.add(new Skill(b.id(), b.name(), b.description(), b.tags()));
            } catch (RegistryException e) {
                throw e.under("skills[" + i + "].");
            }
        }
        return out;
    }

    static <T> T required(T body) {
        if (body == null) {
            throw RegistryException.invalid("body", "a JSON body is required");
        }
        return body;
    }
}
