package io.memroos.registry.domain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/** Agents, their keys and heartbeats: every rule of the registry that is not about remote cards. */
public final class AgentService {

    public static final int DEFAULT_PAGE = 50;
    public static final int MAX_PAGE = 200;
    private static final int MAX_KEYS_PER_AGENT = 100;

    private final AgentStore store;
    private final Clock clock;
    private final LivenessPolicy liveness;
    private final int heartbeatRetain;
    private final Duration keyTouchResolution;
    private final Map<String, Instant> lastKeyTouch = new ConcurrentHashMap<>();

    public AgentService(AgentStore store, Clock clock, LivenessPolicy liveness, int heartbeatRetain,
                        Duration keyTouchResolution) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.liveness = Objects.requireNonNull(liveness, "liveness");
        this.heartbeatRetain = heartbeatRetain;
        this.keyTouchResolution = Objects.requireNonNull(keyTouchResolution, "keyTouchResolution");
    }

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    // ---- agents -------------------------------------------------------------------------------

    public AgentView register(Caller caller, AgentDraft draft) {
        caller.mustBeOperator("register agents");
        requireFreeName(draft.name(), null);
        Instant now = now();
        Agent agent = new Agent(Ids.agent(), draft.name(), draft.description(), draft.owner(), draft.capabilities(),
                draft.skills(), draft.endpoint(), AgentStatus.ACTIVE, Source.REGISTERED, null, null, null, now, now);
        store.insertAgent(agent, RegistryEvents.agentRegistered(caller.actor(), agent, now));
        return view(agent);
    }

    public AgentView get(Caller caller, String id) {
        caller.mayActOn(id);
        return view(load(id));
    }

    public AgentView update(Caller caller, String id, AgentPatch patch) {
        caller.mayActOn(id);
        Agent agent = loadActive(id);
        if (patch.name() != null && !patch.name().equals(agent.name())) {
            requireFreeName(patch.name(), id);
        }
        Instant now = now();
        Agent updated = patch.applyTo(agent, now);
        store.updateAgent(updated, RegistryEvents.agentUpdated(caller.actor(), agent, updated, now));
        return view(updated);
    }

    public Page<AgentView> list(Caller caller, String capability, Liveness wanted, boolean includeDeregistered,
                                String afterId, Integer limit) {
        caller.mustBeOperator("list all agents");
        return page(capability, wanted, includeDeregistered, afterId, limit);
    }

    /** For peer services ({@code /internal/agents}): active agents, optionally with a capability. */
    public Page<AgentView> listForService(Caller caller, String capability, String afterId, Integer limit) {
        caller.mustBeService("use internal routes");
        return page(capability, null, false, afterId, limit);
    }

    /** For peer services ({@code /internal/agents/{id}}): any agent, deregistered ones included. */
    public AgentView getForService(Caller caller, String id) {
        caller.mustBeService("use internal routes");
        return view(load(id));
    }

    private Page<AgentView> page(String capability, Liveness wanted, boolean includeDeregistered, String afterId,
                                 Integer limit) {
        int size = limit == null ? DEFAULT_PAGE : limit;
        if (size < 1 || size > MAX_PAGE) {
            throw RegistryException.invalid("limit", "must be between 1 and " + MAX_PAGE);
        }
        Instant now = now();
        AgentQuery query = new AgentQuery(blankToNull(capability), wanted == null ? null : liveness.bounds(wanted, now),
                includeDeregistered, afterId, size);
        Page<Agent> page = store.listAgents(query);
        List<AgentView> views = new ArrayList<>(page.items().size());
        for (Agent agent : page.items()) {
            views.add(view(agent, now));
        }
        return new Page<>(views, page.nextAfterId());
    }

    /** Soft delete: the agent stays readable, is hidden from lists and its keys stop verifying. */
    public void deregister(Caller caller, String id) {
        caller.mustBeOperator("deregister agents");
        Agent agent = load(id);
        if (agent.active()) {
            Instant now = now();
            store.updateAgent(agent.deregistered(now), RegistryEvents.agentDeregistered(caller.actor(), agent, now));
        }
    }

    // ---- keys ---------------------------------------------------------------------------------

    public IssuedKey createKey(Caller caller, String agentId, String label, Instant expiresAt) {
        caller.mayActOn(agentId);
        loadActive(agentId);
        Instant now = now();
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw RegistryException.invalid("expiresAt", "must be in the future");
        }
        if (store.listKeys(agentId).stream().filter(k -> k.liveAt(now)).count() >= MAX_KEYS_PER_AGENT) {
            throw RegistryException.conflict("agent " + agentId + " already has " + MAX_KEYS_PER_AGENT + " live keys");
        }
        IssuedKey issued = newKey(agentId, Checks.optionalText("label", label, 128), now, expiresAt);
        store.insertKey(issued.key(), RegistryEvents.keyCreated(caller.actor(), issued.key(), now));
        return issued;
    }

    public List<AgentKey> keys(Caller caller, String agentId) {
        caller.mayActOn(agentId);
        load(agentId);
        return store.listKeys(agentId);
    }

    /** Issues a replacement with the same label and expiry, and revokes the old key. */
    public IssuedKey rotateKey(Caller caller, String agentId, String keyId) {
        caller.mayActOn(agentId);
        loadActive(agentId);
        AgentKey old = loadKey(agentId, keyId);
        if (old.revokedAt() != null) {
            throw RegistryException.conflict("key " + keyId + " is revoked");
        }
        Instant now = now();
        Instant expiry = old.expiresAt() != null && old.expiresAt().isAfter(now) ? old.expiresAt() : null;
        IssuedKey issued = newKey(agentId, old.label(), now, expiry);
        store.rotateKey(old.id(), now, issued.key(), RegistryEvents.keyRotated(caller.actor(), old, issued.key(), now));
        return issued;
    }

    public void revokeKey(Caller caller, String agentId, String keyId) {
        caller.mayActOn(agentId);
        load(agentId);
        AgentKey key = loadKey(agentId, keyId);
        Instant now = now();
        store.revokeKey(keyId, now, RegistryEvents.keyRevoked(caller.actor(), key, now));
    }

    /** Checks a presented key; any failure is the same 401 so nothing is learnt from the answer. */
    public KeyVerification verify(Caller caller, String key) {
        caller.mustBeService("verify keys");
        if (key == null || key.isBlank()) {
            throw RegistryException.invalid("key", "must not be blank");
        }
        String prefix = AgentKeys.prefixOf(key);
        RegistryException refused = RegistryException.unauthorized("key is unknown, revoked or expired");
        if (prefix == null) {
            throw refused;
        }
        AgentKey stored = store.findKeyByPrefix(prefix).orElseThrow(() -> refused);
        if (!AgentKeys.matches(key, stored.hash())) {
            throw refused;
        }
        Instant now = now();
        if (!stored.liveAt(now)) {
            throw refused;
        }
        Agent agent = store.findAgent(stored.agentId()).orElseThrow(() -> refused);
        if (!agent.active()) {
            throw refused;
        }
        touch(stored.id(), now);
        return new KeyVerification(agent.id(), stored.id(), stored.displayPrefix());
    }

    /** Records last use at most once per resolution per key, so verification stays a read. */
    private void touch(String keyId, Instant now) {
        Instant last = lastKeyTouch.get(keyId);
        if (last != null && last.plus(keyTouchResolution).isAfter(now)) {
            return;
        }
        lastKeyTouch.put(keyId, now);
        store.touchKey(keyId, now);
    }

    private IssuedKey newKey(String agentId, String label, Instant now, Instant expiresAt) {
        for (int attempt = 0; ; attempt++) {
            String prefix = AgentKeys.newPrefix();
            if (store.findKeyByPrefix(prefix).isPresent()) {
                if (attempt > 10) {
                    throw new IllegalStateException("could not find a free key prefix");
                }
                continue;
            }
            String plaintext = AgentKeys.newKey(prefix);
            AgentKey key = new AgentKey(Ids.key(), agentId, prefix, AgentKeys.sha256Hex(plaintext), label, now,
                    null, expiresAt, null);
            return new IssuedKey(key, plaintext);
        }
    }

    // ---- heartbeats ---------------------------------------------------------------------------

    public HeartbeatReceipt heartbeat(Caller caller, String status, Double load, String version,
                                      Map<String, Object> metrics) {
        String agentId = caller.mustBeAgent();
        Agent agent = loadActive(agentId);
        Instant now = now();
        store.recordHeartbeat(new Heartbeat(agentId, now, status, load, version, metrics), heartbeatRetain);
        return new HeartbeatReceipt(agentId, liveness.of(now, failures(agent), now), now);
    }

    public List<Heartbeat> heartbeats(Caller caller, String agentId, Integer limit) {
        caller.mayActOn(agentId);
        load(agentId);
        int size = limit == null ? 20 : limit;
        if (size < 1 || size > MAX_PAGE) {
            throw RegistryException.invalid("limit", "must be between 1 and " + MAX_PAGE);
        }
        return store.recentHeartbeats(agentId, size);
    }

    // ---- shared -------------------------------------------------------------------------------

    public AgentView view(Agent agent) {
        return view(agent, now());
    }

    private AgentView view(Agent agent, Instant now) {
        return new AgentView(agent, liveness.of(agent.lastSeenAt(), failures(agent), now));
    }

    private int failures(Agent agent) {
        if (agent.source() != Source.CARD) {
            return 0;
        }
        return store.findRemote(agent.id()).map(RemoteAgent::consecutiveFailures).orElse(0);
    }

    void requireFreeName(String name, String exceptId) {
        store.findActiveAgentByName(name)
                .filter(other -> !other.id().equals(exceptId))
                .ifPresent(other -> {
                    throw RegistryException.conflict("an active agent named '" + name + "' exists: " + other.id());
                });
    }

    Agent load(String id) {
        return store.findAgent(id).orElseThrow(() -> RegistryException.notFound("no agent " + id));
    }

    private Agent loadActive(String id) {
        Agent agent = load(id);
        if (!agent.active()) {
            throw RegistryException.conflict("agent " + id + " is deregistered");
        }
        return agent;
    }

    private AgentKey loadKey(String agentId, String keyId) {
        return store.findKey(agentId, keyId)
                .orElseThrow(() -> RegistryException.notFound("no key " + keyId + " for agent " + agentId));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
