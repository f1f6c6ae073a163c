package io.memroos.registry.domain;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DomainTest {

    private static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");

    private static String fieldOf(Runnable r) {
        RegistryException e = assertThrows(RegistryException.class, r::run);
        assertEquals(RegistryException.Kind.INVALID, e.kind());
        return e.field();
    }

    @Test
    void recordsValidateAndNameTheField() {
        Endpoint ok = new Endpoint(EndpointKind.A2A, "https://a.example/a2a");
        assertEquals("name", fieldOf(() -> new AgentDraft(" ", null, "o", null, null, ok)));
        assertEquals("owner", fieldOf(() -> new AgentDraft("n", null, null, null, null, ok)));
        assertEquals("endpoint", fieldOf(() -> new AgentDraft("n", null, "o", null, null, null)));
        assertEquals("capabilities[1]", fieldOf(() -> new AgentDraft("n", null, "o", List.of("a", ""), null, ok)));
        assertEquals("name", fieldOf(() -> new AgentDraft("x".repeat(129), null, "o", null, null, ok)));
        assertEquals("url", fieldOf(() -> new Endpoint(EndpointKind.REST, "mailto:x@y")));
        assertEquals("url", fieldOf(() -> new Endpoint(EndpointKind.REST, "http://")));
        assertEquals("kind", fieldOf(() -> EndpointKind.parse("kind", "grpc")));
        assertEquals("tags[0]", fieldOf(() -> new Skill("id", "n", null, List.of(" "))));
        AgentDraft draft = new AgentDraft(" padded ", null, "o", List.of("a", "a", "b"), null, ok);
        assertEquals("padded", draft.name());
        assertEquals(List.of("a", "b"), draft.capabilities(), "capabilities are de-duplicated in order");
        assertEquals("", draft.description());
    }

    @Test
    void patchesCheckOnlyWhatIsPresent() {
        AgentPatch empty = new AgentPatch(null, null, null, null, null, null);
        assertNull(empty.name());
        assertEquals("name", fieldOf(() -> new AgentPatch("", null, null, null, null, null)));
        assertEquals("owner", fieldOf(() -> new AgentPatch(null, null, " ", null, null, null)));
    }

    @Test
    void heartbeatsBoundLoadAndMetrics() {
        assertEquals("load", fieldOf(() -> new Heartbeat("a", NOW, "ok", 1.01, null, null)));
        assertEquals("load", fieldOf(() -> new Heartbeat("a", NOW, "ok", Double.NaN, null, null)));
        assertEquals("status", fieldOf(() -> new Heartbeat("a", NOW, null, 0.5, null, null)));
        Map<String, Object> metrics = new HashMap<>();
        for (int i = 0; i < 64; i++) {
            metrics.put("k" + i, i);
        }
        assertEquals(64, new Heartbeat("a", NOW, "ok", 0.0, null, metrics).metrics().size());
        metrics.put("one-more", null);
        assertEquals("metrics", fieldOf(() -> new Heartbeat("a", NOW, "ok", 1.0, null, metrics)));
    }

    @Test
    void livenessFollowsTheThresholds() {
        LivenessPolicy p = new LivenessPolicy(Duration.ofSeconds(60), Duration.ofSeconds(300), 3);
        assertEquals(Liveness.OFFLINE, p.of(null, 0, NOW));
        assertEquals(Liveness.ONLINE, p.of(NOW, 0, NOW));
        assertEquals(Liveness.ONLINE, p.of(NOW.minusSeconds(60), 0, NOW));
        assertEquals(Liveness.STALE, p.of(NOW.minusSeconds(61), 0, NOW));
        assertEquals(Liveness.STALE, p.of(NOW.minusSeconds(300), 0, NOW));
        assertEquals(Liveness.OFFLINE, p.of(NOW.minusSeconds(301), 0, NOW));
        assertEquals(Liveness.ONLINE, p.of(NOW, 2, NOW));
        assertEquals(Liveness.UNREACHABLE, p.of(NOW, 3, NOW));
        assertThrows(IllegalArgumentException.class,
                () -> new LivenessPolicy(Duration.ofSeconds(60), Duration.ofSeconds(10), 3));
    }

    @Test
    void keysHaveTheContractFormatAndHash() {
        String prefix = AgentKeys.newPrefix();
        assertTrue(prefix.matches("[0-9a-f]{8}"));
        String key = AgentKeys.newKey(prefix);
        assertTrue(key.matches("mrk_" + prefix + "_[A-Za-z0-9_-]{43}"), key);
        assertEquals(prefix, AgentKeys.prefixOf(key));
        assertNull(AgentKeys.prefixOf("mrk_XYZ_abc"));
        assertNull(AgentKeys.prefixOf(null));
        String hash = AgentKeys.sha256Hex(key);
        assertEquals(64, hash.length());
        assertTrue(AgentKeys.matches(key, hash));
        assertFalse(AgentKeys.matches(key + "x", hash));
        assertFalse(AgentKeys.matches(key, "zz"));
        AgentKey stored = new AgentKey("key_1", "agt_1", prefix, hash, null, NOW, null, NOW.plusSeconds(1), null);
        assertTrue(stored.liveAt(NOW));
        assertFalse(stored.liveAt(NOW.plusSeconds(1)));
        assertEquals("mrk_" + prefix, stored.displayPrefix());
        assertFalse(new IssuedKey(stored, key).toString().contains(key), "toString never shows the plaintext");
    }

    @Test
    void callersActOnlyWithinTheirRights() {
        Caller.operator().mayActOn("agt_1");
        Caller.agent("agt_1").mayActOn("agt_1");
        assertEquals(RegistryException.Kind.FORBIDDEN,
                assertThrows(RegistryException.class, () -> Caller.agent("agt_1").mayActOn("agt_2")).kind());
        assertEquals(RegistryException.Kind.FORBIDDEN,
                assertThrows(RegistryException.class, () -> Caller.service().mayActOn("agt_2")).kind());
        assertThrows(RegistryException.class, () -> Caller.agent("agt_1").mustBeOperator("x"));
        assertThrows(RegistryException.class, () -> Caller.operator().mustBeAgent());
        assertEquals(RegistryException.Kind.UNAUTHORIZED,
                assertThrows(RegistryException.class, () -> Caller.agent(null)).kind());
    }

    @Test
    void cardUrlsGetTheWellKnownPathAppended() {
        assertEquals("https://a.example/.well-known/agent-card.json",
                RemoteAgentService.cardUrlOf("https://a.example"));
        assertEquals("https://a.example/base/.well-known/agent-card.json",
                RemoteAgentService.cardUrlOf("https://a.example/base/"));
        assertEquals("https://a.example/x/.well-known/agent-card.json",
                RemoteAgentService.cardUrlOf("https://a.example/x/.well-known/agent-card.json"));
        assertEquals("cardUrl", fieldOf(() -> RemoteAgentService.cardUrlOf("gopher://a.example")));
    }

    @Test
    void remotePollingStateKnowsWhenItIsDue() {
        RemoteAgent r = new RemoteAgent("agt_1", "http://x/", 60, true, null, NOW, NOW, 0, null);
        assertFalse(r.dueAt(NOW.plusSeconds(59)));
        assertTrue(r.dueAt(NOW.plusSeconds(60)));
        assertFalse(r.withPolling(60, false).dueAt(NOW.plusSeconds(600)));
        RemoteAgent failed = r.failed(NOW, "boom").failed(NOW, "boom");
        assertEquals(2, failed.consecutiveFailures());
        assertEquals(0, failed.succeeded(NOW, "\"e\"").consecutiveFailures());
        assertNull(failed.succeeded(NOW, null).lastError());
    }
}
