package io.memroos.gateway.policy;

import io.memroos.gateway.auth.Caller;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SensitiveActionsTest {

    private static final Caller OPERATOR = Caller.operatorByKey();
    private static final Caller AGENT = Caller.agent("agt_1", "key_1");

    private static PolicyQuery q(HttpMethod m, String path, Caller c, Map<String, String> params) {
        return SensitiveActions.classify(m, path, c, params::get);
    }

    private static PolicyQuery q(HttpMethod m, String path, Caller c) {
        return q(m, path, c, Map.of());
    }

    private static String describe(PolicyQuery p) {
        return p == null ? null : p.actorType() + ":" + p.actorId() + " " + p.action() + " " + p.assetType() + "/"
                + p.assetId() + (p.owner() == null ? "" : " owner=" + p.owner());
    }

    @Test
    void agentAndKeyManagement() {
        assertEquals("operator:operator agent.create agent/new", describe(q(HttpMethod.POST, "/api/agents", OPERATOR)));
        assertEquals("operator:operator agent.update agent/a1 owner=a1", describe(q(HttpMethod.PATCH, "/api/agents/a1", OPERATOR)));
        assertEquals("operator:operator agent.delete agent/a1 owner=a1", describe(q(HttpMethod.DELETE, "/api/agents/a1", OPERATOR)));
        assertEquals("agent:agt_1 key.create key/new owner=agt_1", describe(q(HttpMethod.POST, "/api/agents/agt_1/keys", AGENT)));
        assertEquals("agent:agt_1 key.rotate key/k1 owner=agt_1",
                describe(q(HttpMethod.POST, "/api/agents/agt_1/keys/k1/rotate", AGENT)));
        assertEquals("operator:operator key.revoke key/k1 owner=a1",
                describe(q(HttpMethod.DELETE, "/api/agents/a1/keys/k1", OPERATOR)));
        assertEquals("operator:operator agent.create agent/new", describe(q(HttpMethod.POST, "/api/remote-agents", OPERATOR)));
        assertEquals("operator:operator agent.update agent/r1 owner=r1",
                describe(q(HttpMethod.PATCH, "/api/remote-agents/r1", OPERATOR)));
    }

    @Test
    void readsAndHeartbeatsAreNotSensitive() {
        assertNull(q(HttpMethod.GET, "/api/agents", OPERATOR));
        assertNull(q(HttpMethod.GET, "/api/agents/a1", OPERATOR));
        assertNull(q(HttpMethod.GET, "/api/agents/a1/keys", OPERATOR));
        assertNull(q(HttpMethod.POST, "/api/heartbeat", AGENT));
        assertNull(q(HttpMethod.POST, "/api/remote-agents/r1/refresh", OPERATOR));
        assertNull(q(HttpMethod.GET, "/api/audit", OPERATOR));
        assertNull(q(HttpMethod.GET, "/api/audit/verify", OPERATOR));
        assertNull(q(HttpMethod.GET, "/api/policies", OPERATOR));
        assertNull(q(HttpMethod.POST, "/api/policies/validate", OPERATOR));
        assertNull(q(HttpMethod.POST, "/api/policies/decide", OPERATOR));
        assertNull(q(HttpMethod.POST, "/api/agents", null), "no caller (public route): nothing to ask");
        assertNull(q(HttpMethod.GET, "/api", OPERATOR));
        assertNull(q(HttpMethod.POST, "/api/agent-context/messages", AGENT));
    }

    @Test
    void memoryAcrossScopesIsTheOperatorsOnly() {
        assertEquals("operator:operator memory.read memory/agt_9",
                describe(q(HttpMethod.GET, "/api/memory", OPERATOR, Map.of("agentId", "agt_9"))));
        assertEquals("operator:operator memory.read memory/all", describe(q(HttpMethod.GET, "/api/memory-inventory", OPERATOR)));
        assertEquals("operator:operator memory.read memory/all", describe(q(HttpMethod.POST, "/api/recall", OPERATOR)));
        assertEquals("operator:operator memory.read memory/all",
                describe(q(HttpMethod.GET, "/api/memory", OPERATOR, Map.of("agentId", "bad id with spaces"))));
        assertNull(q(HttpMethod.GET, "/api/memory", AGENT), "an agent reads its own scope");
        assertNull(q(HttpMethod.POST, "/api/recall", AGENT));
        assertNull(q(HttpMethod.POST, "/api/memory", OPERATOR), "writes are not reads across scopes");
    }

    @Test
    void exportsAndPolicyChanges() {
        assertEquals("operator:operator evidence.export evidence/new", describe(q(HttpMethod.POST, "/api/evidence", OPERATOR)));
        assertEquals("operator:operator audit.export audit/all", describe(q(HttpMethod.GET, "/api/audit/export", OPERATOR)));
        assertEquals("operator:operator audit.export audit/all",
                describe(q(HttpMethod.GET, "/api/audit", OPERATOR, Map.of("format", "jsonl"))));
        PolicyQuery put = q(HttpMethod.PUT, "/api/policies", OPERATOR);
        assertEquals("operator:operator policy.update policy/all", describe(put));
        assertTrue(put.changesPolicy());
        assertEquals("operator:operator policy.update policy/p1", describe(q(HttpMethod.DELETE, "/api/policies/p1", OPERATOR)));
        assertEquals("operator:operator policy.update policy/versions/3/restore",
                describe(q(HttpMethod.POST, "/api/policies/versions/3/restore", OPERATOR)));
        assertTrue(q(HttpMethod.PUT, "/api/classification/assets/agent/a1", OPERATOR).changesPolicy());
        assertFalse(q(HttpMethod.POST, "/api/agents", OPERATOR).changesPolicy());
    }

    @Test
    void theRequestBodyNamesActorActionAndAsset() {
        PolicyQuery p = q(HttpMethod.DELETE, "/api/agents/a1/keys/k1", AGENT);
        assertEquals("{\"actor\":{\"type\":\"agent\",\"id\":\"agt_1\"},\"action\":\"key.revoke\","
                + "\"asset\":{\"type\":\"key\",\"id\":\"k1\",\"owner\":\"a1\"},"
                + "\"context\":{\"via\":\"kernel-gateway\",\"requestId\":\"r1\"}}", p.toJson("r1").encode());
    }

    @Test
    void decisionsAreReadStrictly() {
        Decision d = PolicyDecisions.parse(new io.vertx.core.json.JsonObject(
                "{\"decision\":\"deny\",\"policies\":[\"p1\"],\"decisionId\":\"d1\",\"policyVersion\":7}"));
        assertFalse(d.allowed());
        assertEquals("d1", d.decisionId());
        assertEquals(7, d.policyVersion());
        assertEquals(java.util.List.of("p1"), d.policies());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> PolicyDecisions.parse(new io.vertx.core.json.JsonObject("{\"decision\":\"maybe\"}")));
    }
}
