package io.memroos.registry.domain;

import io.memroos.contract.outbox.JsonText;
import io.memroos.contract.outbox.OutboxEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The events the registry reports to governance (docs/outbox.md, docs/registry.md). Each is written by the
 * store in the same transaction as the change it describes. Never a key's secret or hash.
 */
public final class RegistryEvents {

    public static final String SOURCE = "registry-service";
    /** The actor of changes the registry makes on its own (remote card polling). */
    public static final String SELF = "service:" + SOURCE;

    private RegistryEvents() {
    }

    static OutboxEvent agentRegistered(String actor, Agent a, Instant at) {
        return event("agent.registered", actor, "agent.register", "agent", a.id(), at, agentData(a, null));
    }

    static OutboxEvent agentIngested(String actor, Agent a, RemoteAgent r, Instant at) {
        Json d = agentData(a, null).field("cardUrl", r.cardUrl()).field("pollIntervalSeconds", r.pollIntervalSeconds());
        return event("agent.card.ingested", actor, "agent.register", "agent", a.id(), at, d);
    }

    static OutboxEvent agentUpdated(String actor, Agent before, Agent after, Instant at) {
        return event("agent.updated", actor, "agent.update", "agent", after.id(), at,
                agentData(after, changed(before, after)));
    }

    static OutboxEvent cardChanged(Agent before, Agent after, Instant at) {
        return event("agent.card.updated", SELF, "agent.update", "agent", after.id(), at,
                agentData(after, changed(before, after)).field("cardUrl", after.cardUrl()));
    }

    static OutboxEvent agentDeregistered(String actor, Agent a, Instant at) {
        return event("agent.deregistered", actor, "agent.delete", "agent", a.id(), at,
                new Json().field("name", a.name()).field("owner", a.owner()));
    }

    static OutboxEvent remoteUnreachable(RemoteAgent r, Instant at) {
        return event("agent.card.unreachable", SELF, "agent.poll", "agent", r.agentId(), at,
                new Json().field("cardUrl", r.cardUrl()).field("consecutiveFailures", r.consecutiveFailures())
                        .field("error", r.lastError()));
    }

    static OutboxEvent remoteReachable(RemoteAgent r, int failuresBefore, Instant at) {
        return event("agent.card.reachable", SELF, "agent.poll", "agent", r.agentId(), at,
                new Json().field("cardUrl", r.cardUrl()).field("failuresBefore", failuresBefore));
    }

    static OutboxEvent remotePollingChanged(String actor, RemoteAgent r, Instant at) {
        return event("agent.card.polling.updated", actor, "agent.update", "agent", r.agentId(), at,
                new Json().field("pollIntervalSeconds", r.pollIntervalSeconds()).field("enabled", r.enabled()));
    }

    static OutboxEvent keyCreated(String actor, AgentKey k, Instant at) {
        return event("key.created", actor, "key.create", "key", k.id(), at, keyData(k));
    }

    static OutboxEvent keyRotated(String actor, AgentKey old, AgentKey replacement, Instant at) {
        return event("key.rotated", actor, "key.rotate", "key", old.id(), at,
                keyData(old).field("replacementKeyId", replacement.id())
                        .field("replacementPrefix", replacement.displayPrefix()));
    }

    static OutboxEvent keyRevoked(String actor, AgentKey k, Instant at) {
        return event("key.revoked", actor, "key.revoke", "key", k.id(), at, keyData(k));
    }

    private static OutboxEvent event(String type, String actor, String action, String assetType, String assetId,
                                     Instant at, Json data) {
        return OutboxEvent.builder().source(SOURCE).type(type).actor(actor).action(action).asset(assetType, assetId)
                .occurredAt(at).data(data.toString()).build();
    }

    private static Json agentData(Agent a, List<String> changed) {
        Json d = new Json().field("name", a.name()).field("owner", a.owner()).field("status", a.status().wire())
                .field("source", a.source().wire()).field("endpointKind", a.endpoint().kind().wire())
                .strings("capabilities", a.capabilities());
        return changed == null ? d : d.strings("changed", changed);
    }

    private static Json keyData(AgentKey k) {
        Json d = new Json().field("agentId", k.agentId()).field("prefix", k.displayPrefix()).field("label", k.label());
        return k.expiresAt() == null ? d : d.field("expiresAt", k.expiresAt().toString());
    }

    /** The names of the fields that differ. */
    static List<String> changed(Agent before, Agent after) {
        List<String> out = new ArrayList<>();
        if (!before.name().equals(after.name())) {
            out.add("name");
        }
        if (!before.description().equals(after.description())) {
            out.add("description");
        }
        if (!before.owner().equals(after.owner())) {
            out.add("owner");
        }
        if (!before.capabilities().equals(after.capabilities())) {
            out.add("capabilities");
        }
        if (!before.skills().equals(after.skills())) {
            out.add("skills");
        }
        if (!before.endpoint().equals(after.endpoint())) {
            out.add("endpoint");
        }
        return out;
    }

    /** A flat JSON object, built with the contract's escaper. */
    private static final class Json {
        private final StringBuilder out = new StringBuilder("{");

        Json field(String name, Object value) {
            if (value == null) {
                return this;
            }
            key(name);
            if (value instanceof Number || value instanceof Boolean) {
                out.append(value);
            } else {
                JsonText.appendQuoted(out, value.toString());
            }
            return this;
        }

        Json strings(String name, List<String> values) {
            key(name);
            out.append('[');
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                JsonText.appendQuoted(out, values.get(i));
            }
            out.append(']');
            return this;
        }

        private void key(String name) {
            if (out.length() > 1) {
                out.append(',');
            }
            JsonText.appendQuoted(out, name);
            out.append(':');
        }

        @Override
        public String toString() {
            return out + "}";
        }
    }
}
