package io.memroos.registry.store;

import io.memroos.contract.outbox.OutboxEvent;
import io.memroos.contract.outbox.OutboxStore;
import io.memroos.contract.outbox.PendingEvent;
import io.memroos.registry.domain.Agent;
import io.memroos.registry.domain.AgentKey;
import io.memroos.registry.domain.AgentQuery;
import io.memroos.registry.domain.AgentStatus;
import io.memroos.registry.domain.AgentStore;
import io.memroos.registry.domain.Endpoint;
import io.memroos.registry.domain.EndpointKind;
import io.memroos.registry.domain.Heartbeat;
import io.memroos.registry.domain.Liveness;
import io.memroos.registry.domain.LivenessPolicy;
import io.memroos.registry.domain.Page;
import io.memroos.registry.domain.RegistryException;
import io.memroos.registry.domain.RemoteAgent;
import io.memroos.registry.domain.Skill;
import io.memroos.registry.domain.Source;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The behaviour every {@link AgentStore} must have; one subclass per backend. */
abstract class AgentStoreContractTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    AgentStore store;

    /** A store over an empty, migrated database. */
    abstract AgentStore freshStore() throws Exception;

    @BeforeEach
    void setUp() throws Exception {
        store = freshStore();
    }

    static Agent agent(String id, String name, List<String> capabilities) {
        return new Agent(id, name, "does things", "team-a", capabilities,
                List.of(new Skill("s1", "Skill one", "first", List.of("x", "y"))),
                new Endpoint(EndpointKind.REST, "http://agents.example/" + id), AgentStatus.ACTIVE, Source.REGISTERED,
                null, null, null, T0, T0);
    }

    static AgentKey key(String id, String agentId, String prefix) {
        return new AgentKey(id, agentId, prefix, "ab".repeat(32), "ci", T0, null, null, null);
    }

    @Test
    void insertsAndReadsAnAgentWithEveryField() {
        Agent a = agent("agt_1", "alpha", List.of("search", "summarise"));
        store.insertAgent(a);
        Agent read = store.findAgent("agt_1").orElseThrow();
        assertEquals(a, read);
        assertTrue(store.findAgent("agt_missing").isEmpty());
        assertEquals("agt_1", store.findActiveAgentByName("alpha").orElseThrow().id());
    }

    @Test
    void refusesASecondActiveAgentWithTheSameName() {
        store.insertAgent(agent("agt_1", "alpha", List.of()));
        RegistryException e = assertThrows(RegistryException.class,
                () -> store.insertAgent(agent("agt_2", "alpha", List.of())));
        assertEquals(RegistryException.Kind.CONFLICT, e.kind());
    }

    @Test
    void aDeregisteredAgentFreesItsName() {
        Agent a = agent("agt_1", "alpha", List.of());
        store.insertAgent(a);
        store.updateAgent(new Agent(a.id(), a.name(), a.description(), a.owner(), a.capabilities(), a.skills(),
                a.endpoint(), AgentStatus.DEREGISTERED, a.source(), null, null, null, a.createdAt(), T0.plusSeconds(1)));
        assertTrue(store.findActiveAgentByName("alpha").isEmpty());
        store.insertAgent(agent("agt_2", "alpha", List.of()));
        assertEquals(AgentStatus.DEREGISTERED, store.findAgent("agt_1").orElseThrow().status());
    }

    @Test
    void updatesFieldsAndCapabilities() {
        Agent a = agent("agt_1", "alpha", List.of("search"));
        store.insertAgent(a);
        Agent changed = new Agent(a.id(), "alpha2", "new", "team-b", List.of("write"), List.of(),
                new Endpoint(EndpointKind.A2A, "https://a.example/a2a"), AgentStatus.ACTIVE, Source.REGISTERED, null,
                null, T0.plusSeconds(5), a.createdAt(), T0.plusSeconds(9));
        store.updateAgent(changed);
        assertEquals(changed, store.findAgent("agt_1").orElseThrow());
        assertEquals(0, store.listAgents(query("search", null, false, null, 10)).items().size());
        assertEquals(1, store.listAgents(query("write", null, false, null, 10)).items().size());
    }

    @Test
    void lastSeenOnlyMovesForward() {
        Agent a = agent("agt_1", "alpha", List.of());
        store.insertAgent(a);
        store.recordHeartbeat(new Heartbeat("agt_1", T0.plusSeconds(100), "ok", null, null, null), 10);
        // an update built from an older read must not move lastSeenAt back
        store.updateAgent(a);
        Agent read = store.findAgent("agt_1").orElseThrow();
        assertEquals(T0.plusSeconds(100), read.lastSeenAt());
        assertEquals(T0.plusSeconds(100), read.lastHeartbeatAt());
    }

    @Test
    void pagesInIdOrderAndFiltersByCapabilityAndStatus() {
        for (int i = 0; i < 7; i++) {
            store.insertAgent(agent("agt_" + i, "n" + i, i % 2 == 0 ? List.of("even") : List.of("odd")));
        }
        Agent gone = store.findAgent("agt_6").orElseThrow();
        store.updateAgent(new Agent(gone.id(), gone.name(), gone.description(), gone.owner(), gone.capabilities(),
                gone.skills(), gone.endpoint(), AgentStatus.DEREGISTERED, gone.source(), null, null, null,
                gone.createdAt(), T0));
        List<String> ids = new ArrayList<>();
        String after = null;
        do {
            Page<Agent> page = store.listAgents(query(null, null, false, after, 2));
            page.items().forEach(a -> ids.add(a.id()));
            after = page.nextAfterId();
        } while (after != null);
        assertEquals(List.of("agt_0", "agt_1", "agt_2", "agt_3", "agt_4", "agt_5"), ids);
        assertEquals(4, store.listAgents(query("even", null, true, null, 50)).items().size());
        assertEquals(3, store.listAgents(query("even", null, false, null, 50)).items().size());
        assertNull(store.listAgents(query(null, null, false, null, 6)).nextAfterId());
    }

    @Test
    void filtersByLiveness() {
        LivenessPolicy policy = new LivenessPolicy(Duration.ofSeconds(60), Duration.ofSeconds(300), 3);
        Instant now = T0.plusSeconds(10_000);
        store.insertAgent(agent("agt_on", "on", List.of()));
        store.insertAgent(agent("agt_stale", "stale", List.of()));
        store.insertAgent(agent("agt_off", "off", List.of()));
        store.insertAgent(agent("agt_never", "never", List.of()));
        store.recordHeartbeat(new Heartbeat("agt_on", now.minusSeconds(10), "ok", null, null, null), 10);
        store.recordHeartbeat(new Heartbeat("agt_stale", now.minusSeconds(120), "ok", null, null, null), 10);
        store.recordHeartbeat(new Heartbeat("agt_off", now.minusSeconds(600), "ok", null, null, null), 10);
        Agent remote = new Agent("agt_remote", "remote", "", "r", List.of(), List.of(),
                new Endpoint(EndpointKind.A2A, "http://r.example/"), AgentStatus.ACTIVE, Source.CARD,
                "http://r.example/.well-known/agent-card.json", null, now.minusSeconds(5), T0, T0);
        store.insertRemoteAgent(remote, new RemoteAgent("agt_remote", remote.cardUrl(), 60, true, null, now, null, 3,
                "down"), null);
        assertEquals(List.of("agt_on"), ids(Liveness.ONLINE, policy, now));
        assertEquals(List.of("agt_stale"), ids(Liveness.STALE, policy, now));
        assertEquals(List.of("agt_never", "agt_off"), ids(Liveness.OFFLINE, policy, now));
        assertEquals(List.of("agt_remote"), ids(Liveness.UNREACHABLE, policy, now));
    }

    private List<String> ids(Liveness liveness, LivenessPolicy policy, Instant now) {
        return store.listAgents(new AgentQuery(null, policy.bounds(liveness, now), false, null, 50)).items().stream()
                .map(Agent::id).toList();
    }

    @Test
    void keysByPrefixRevokeRotateAndTouch() {
        store.insertAgent(agent("agt_1", "alpha", List.of()));
        store.insertKey(key("key_1", "agt_1", "0000aaaa"));
        assertEquals("key_1", store.findKeyByPrefix("0000aaaa").orElseThrow().id());
        assertTrue(store.findKey("agt_other", "key_1").isEmpty());
        RegistryException dup = assertThrows(RegistryException.class,
                () -> store.insertKey(key("key_2", "agt_1", "0000aaaa")));
        assertEquals(RegistryException.Kind.CONFLICT, dup.kind());

        store.touchKey("key_1", T0.plusSeconds(3));
        assertEquals(T0.plusSeconds(3), store.findKey("agt_1", "key_1").orElseThrow().lastUsedAt());

        store.rotateKey("key_1", T0.plusSeconds(4), key("key_3", "agt_1", "0000bbbb"));
        assertEquals(T0.plusSeconds(4), store.findKey("agt_1", "key_1").orElseThrow().revokedAt());
        assertNull(store.findKey("agt_1", "key_3").orElseThrow().revokedAt());
        assertThrows(RegistryException.class,
                () -> store.rotateKey("key_1", T0.plusSeconds(5), key("key_4", "agt_1", "0000cccc")));
        assertTrue(store.findKeyByPrefix("0000cccc").isEmpty(), "a failed rotation leaves nothing behind");

        assertTrue(store.revokeKey("key_3", T0.plusSeconds(6)));
        assertFalse(store.revokeKey("key_3", T0.plusSeconds(7)));
        assertEquals(List.of("key_1", "key_3"), store.listKeys("agt_1").stream().map(AgentKey::id).toList());
    }

    @Test
    void heartbeatsNewestFirstAndPruned() {
        store.insertAgent(agent("agt_1", "alpha", List.of()));
        for (int i = 0; i < 8; i++) {
            store.recordHeartbeat(new Heartbeat("agt_1", T0.plusSeconds(i), "ok", i / 10.0, "v" + i,
                    Map.of("i", i, "nested", Map.of("a", List.of(1, 2)))), 5);
        }
        List<Heartbeat> beats = store.recentHeartbeats("agt_1", 50);
        assertEquals(5, beats.size());
        assertEquals(T0.plusSeconds(7), beats.get(0).receivedAt());
        assertEquals(0.7, beats.get(0).load(), 1e-9);
        assertEquals("v7", beats.get(0).version());
        assertEquals(7, ((Number) beats.get(0).metrics().get("i")).intValue());
        assertEquals(Map.of("a", List.of(1, 2)), beats.get(0).metrics().get("nested"));
        assertEquals(2, store.recentHeartbeats("agt_1", 2).size());
        assertEquals(T0.plusSeconds(7), store.findAgent("agt_1").orElseThrow().lastHeartbeatAt());
    }

    @Test
    void remotePollingStateAndDueSelection() {
        String url = "http://r.example/.well-known/agent-card.json";
        Agent a = new Agent("agt_r", "remote", "", "r", List.of("a2a"), List.of(),
                new Endpoint(EndpointKind.A2A, "http://r.example/a2a"), AgentStatus.ACTIVE, Source.CARD, url, null,
                T0, T0, T0);
        store.insertRemoteAgent(a, new RemoteAgent("agt_r", url, 60, true, "\"e1\"", T0, T0, 0, null), "{}");
        assertEquals(Source.CARD, store.findAgent("agt_r").orElseThrow().source());
        assertEquals("agt_r", store.findActiveRemoteByCardUrl(url).orElseThrow().agentId());
        assertTrue(store.dueRemotes(T0.plusSeconds(59)).isEmpty());
        assertEquals(1, store.dueRemotes(T0.plusSeconds(60)).size());

        store.updateRemote(new RemoteAgent("agt_r", url, 120, false, "\"e2\"", T0.plusSeconds(61), T0, 2, "boom"),
                "{\"name\":\"remote\"}");
        RemoteAgent r = store.findRemote("agt_r").orElseThrow();
        assertEquals(120, r.pollIntervalSeconds());
        assertFalse(r.enabled());
        assertEquals("\"e2\"", r.etag());
        assertEquals(2, r.consecutiveFailures());
        assertEquals("boom", r.lastError());
        assertTrue(store.dueRemotes(T0.plusSeconds(10_000)).isEmpty(), "disabled agents are never due");
        assertEquals(1, store.listRemotes().size());
    }

    // ---- the governance outbox (docs/outbox.md) ---------------------------------------------------

    static OutboxEvent event(String id, String type) {
        return OutboxEvent.builder().id(id).source("registry-service").type(type).actor("operator")
                .action("agent.register").asset("agent", "agt_x").data("{\"n\":\"" + id + "\"}").build();
    }

    List<String> pendingIds() {
        return ((OutboxAware) store).outbox().fetchPending(100).stream().map(PendingEvent::eventId).toList();
    }

    @Test
    void writesAppendTheirEventsInTheSameTransaction() {
        int[] wakes = {0};
        ((OutboxAware) store).onOutboxAppend(() -> wakes[0]++);
        Agent a = agent("agt_1", "alpha", List.of("search"));
        store.insertAgent(a, event("e1", "agent.registered"));
        assertEquals(List.of("e1"), pendingIds());
        assertEquals(1, wakes[0], "the relay is woken after the commit");
        PendingEvent pending = ((OutboxAware) store).outbox().fetchPending(1).get(0);
        assertEquals(event("e1", "agent.registered").toJson().replaceAll("\"occurredAt\":\"[^\"]+\"", ""),
                pending.payload().replaceAll("\"occurredAt\":\"[^\"]+\"", ""));

        // a write that fails leaves no event behind
        assertThrows(RegistryException.class, () -> store.insertAgent(agent("agt_2", "alpha", List.of()),
                event("e2", "agent.registered")));
        assertEquals(List.of("e1"), pendingIds());
        assertEquals(1, wakes[0]);

        store.updateAgent(a, event("e3", "agent.updated"));
        store.insertKey(key("key_1", "agt_1", "0000aaaa"), event("e4", "key.created"));
        store.rotateKey("key_1", T0.plusSeconds(1), key("key_2", "agt_1", "0000bbbb"), event("e5", "key.rotated"));
        assertThrows(RegistryException.class, () -> store.rotateKey("key_1", T0.plusSeconds(2),
                key("key_3", "agt_1", "0000cccc"), event("e6", "key.rotated")));
        assertTrue(store.revokeKey("key_2", T0.plusSeconds(3), event("e7", "key.revoked")));
        assertFalse(store.revokeKey("key_2", T0.plusSeconds(4), event("e8", "key.revoked")),
                "a second revoke changes nothing and reports nothing");
        Agent remote = new Agent("agt_r", "remote", "", "remote", List.of(), List.of(),
                new Endpoint(EndpointKind.A2A, "http://r.example/a2a"), AgentStatus.ACTIVE, Source.CARD,
                "http://r.example/.well-known/agent-card.json", null, T0, T0, T0);
        RemoteAgent r = new RemoteAgent("agt_r", remote.cardUrl(), 60, true, null, T0, T0, 0, null);
        store.insertRemoteAgent(remote, r, "{}", event("e9", "agent.card.ingested"));
        store.updateRemote(new RemoteAgent("agt_r", remote.cardUrl(), 60, true, null, T0, T0, 1, "down"), null,
                event("e10", "agent.card.unreachable"));
        store.updateRemote(new RemoteAgent("agt_r", remote.cardUrl(), 60, true, null, T0, T0, 2, "down"), null);
        assertEquals(List.of("e1", "e3", "e4", "e5", "e7", "e9", "e10"), pendingIds());
        assertEquals(2, store.findRemote("agt_r").orElseThrow().consecutiveFailures());
        assertEquals(8, wakes[0], "one wake per committed write that carried events (the no-op revoke too)");
    }

    @Test
    void theOutboxTableServesTheRelay() {
        store.insertAgent(agent("agt_1", "alpha", List.of()), event("e1", "a"), event("e2", "b"));
        store.insertAgent(agent("agt_2", "beta", List.of()), event("e3", "c"));
        OutboxStore outbox = ((OutboxAware) store).outbox();
        List<PendingEvent> pending = outbox.fetchPending(10);
        assertEquals(3, outbox.countPending());
        assertEquals(2, outbox.fetchPending(2).size());
        outbox.markDelivered(List.of(pending.get(0).seq(), pending.get(2).seq()), T0);
        assertEquals(List.of("e2"), pendingIds());
        outbox.park(pending.get(1).seq(), "HTTP 400", T0);
        assertEquals(0, outbox.countPending());
        assertEquals(1, outbox.countParked());
        assertEquals(1, outbox.requeueParked());
        assertEquals(List.of("e2"), pendingIds());
        outbox.markDelivered(List.of(pending.get(1).seq()), T0.plusSeconds(100));
        assertEquals(2, outbox.purgeDelivered(T0.plusSeconds(50)), "only rows delivered before the cut");
        assertEquals(1, outbox.purgeDelivered(T0.plusSeconds(101)));
        assertEquals(0, outbox.countPending());
    }

    @Test
    void pingAnswers() {
        store.ping();
    }

    static AgentQuery query(String capability, Liveness liveness, boolean all, String after, int limit) {
        return new AgentQuery(capability, null, all, after, limit);
    }

    static String unique() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }
}
