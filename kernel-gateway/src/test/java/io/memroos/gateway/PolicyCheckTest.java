package io.memroos.gateway;

import io.memroos.gateway.policy.PolicyDecisions;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import static io.memroos.gateway.Fixtures.agentBody;
import static io.memroos.gateway.Fixtures.asOperator;
import static io.memroos.gateway.Fixtures.createKey;
import static io.memroos.gateway.Fixtures.registerAgent;
import static io.memroos.gateway.Fixtures.withKey;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway asks governance before sensitive actions (here the recording {@link FakeGovernance}): allow
 * relays, deny answers 403 with the decision id and the service never sees the request, no answer is 503
 * (fail closed), answers are cached and the cache is dropped after a policy change.
 */
@QuarkusTest
@WithTestResource(RegistryProcess.class)
class PolicyCheckTest {

    @Inject
    PolicyDecisions decisions;

    @BeforeEach
    void clean() {
        FakeGovernance.reset();
        FakeGovernance.up();
        decisions.invalidate();
    }

    @AfterEach
    void restore() {
        FakeGovernance.reset();
        FakeGovernance.up();
        decisions.invalidate();
    }

    @Test
    void anAllowedActionIsAskedForThenRelayed() {
        String name = "allowed-" + UUID.randomUUID().toString().substring(0, 8);
        asOperator().contentType(ContentType.JSON).body(agentBody(name)).post("/api/agents")
                .then().statusCode(201).body("name", equalTo(name));
        assertEquals(1, FakeGovernance.DECISIONS.size());
        String asked = FakeGovernance.DECISIONS.get(0);
        assertTrue(asked.contains("\"actor\":{\"type\":\"operator\",\"id\":\"operator\"}"), asked);
        assertTrue(asked.contains("\"action\":\"agent.create\""), asked);
        assertTrue(asked.contains("\"asset\":{\"type\":\"agent\",\"id\":\"new\"}"), asked);
        String auth = FakeGovernance.AUTHORIZATIONS.get(0);
        assertTrue(auth.startsWith("Bearer "), auth);
        String claims = new String(Base64.getUrlDecoder().decode(auth.substring(7).split("\\.")[1]), StandardCharsets.UTF_8);
        assertTrue(claims.contains("\"sub\":\"service:kernel-gateway\""), claims);
        assertTrue(claims.contains("\"service\""), claims);

        // reads are not asked about
        asOperator().get("/api/agents").then().statusCode(200);
        assertEquals(1, FakeGovernance.DECISIONS.size());
    }

    @Test
    void anAgentManagingItsOwnKeysIsAskedForAsThatAgentOnItsOwnAsset() {
        String agentId = registerAgent("self");
        String key = createKey(agentId).getString("key");
        FakeGovernance.reset();
        withKey(key).contentType(ContentType.JSON).body(Map.of("label", "mine")).post("/api/agents/{id}/keys", agentId)
                .then().statusCode(201);
        String asked = FakeGovernance.DECISIONS.get(0);
        assertTrue(asked.contains("\"actor\":{\"type\":\"agent\",\"id\":\"" + agentId + "\"}"), asked);
        assertTrue(asked.contains("\"action\":\"key.create\""), asked);
        assertTrue(asked.contains("\"owner\":\"" + agentId + "\""), asked);
    }

    @Test
    void aDeniedActionIs403WithTheDecisionIdAndNeverReachesTheService() {
        FakeGovernance.DENY.add("agent.create");
        String name = "denied-" + UUID.randomUUID().toString().substring(0, 8);
        Response refused = asOperator().contentType(ContentType.JSON).body(agentBody(name)).post("/api/agents");
        refused.then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("https://memroos.dev/problems/policy-denied"))
                .body("status", equalTo(403))
                .body("decisionId", startsWith("dec_"))
                .body("action", equalTo("agent.create"))
                .body("policies[0]", equalTo("deny-agent.create"))
                .body("detail", containsString(refused.path("decisionId").toString()))
                .body("requestId", equalTo(refused.header("X-Request-Id")));
        asOperator().queryParam("limit", 200).get("/api/agents").then().statusCode(200)
                .body("items.name", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(name)));

        // the same for key revocation (the cached denial of agent.create is dropped first)
        FakeGovernance.DENY.clear();
        decisions.invalidate();
        String agentId = registerAgent("deny-keys");
        String keyId = createKey(agentId).getString("id");
        FakeGovernance.DENY.add("key.revoke");
        asOperator().delete("/api/agents/{id}/keys/{key}", agentId, keyId).then().statusCode(403)
                .body("action", equalTo("key.revoke"));
        asOperator().get("/api/agents/{id}/keys", agentId).then().statusCode(200)
                .body("find { it.id == '" + keyId + "' }.revokedAt", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void memoryReadsAcrossScopesAndExportsAreChecked() {
        FakeGovernance.DENY.add("memory.read");
        FakeGovernance.DENY.add("evidence.export");
        asOperator().queryParam("agentId", "agt_someone").get("/api/memory").then().statusCode(403)
                .body("action", equalTo("memory.read"));
        assertTrue(FakeGovernance.DECISIONS.get(0).contains("\"asset\":{\"type\":\"memory\",\"id\":\"agt_someone\"}"),
                FakeGovernance.DECISIONS.get(0));
        asOperator().contentType(ContentType.JSON).body(Map.of("query", "x")).post("/api/recall").then().statusCode(403);
        asOperator().contentType(ContentType.JSON).body(Map.of("agentId", "a1")).post("/api/evidence")
                .then().statusCode(403).body("action", equalTo("evidence.export"));
    }

    @Test
    void governanceDownIs503AndNothingIsRelayed() {
        FakeGovernance.down();
        String name = "down-" + UUID.randomUUID().toString().substring(0, 8);
        asOperator().contentType(ContentType.JSON).body(agentBody(name)).post("/api/agents")
                .then().statusCode(503).contentType("application/problem+json")
                .body("type", equalTo("https://memroos.dev/problems/policy-unavailable"))
                .body("detail", containsString("fails closed"));
        FakeGovernance.up();
        FakeGovernance.failWith = 500;
        asOperator().contentType(ContentType.JSON).body(agentBody(name)).post("/api/agents")
                .then().statusCode(503).body("detail", containsString("governance answered 500"));
        FakeGovernance.failWith = 0;
        asOperator().queryParam("limit", 200).get("/api/agents").then().statusCode(200)
                .body("items.name", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(name)));
        // and once governance answers, the same request goes through
        asOperator().contentType(ContentType.JSON).body(agentBody(name)).post("/api/agents").then().statusCode(201);
    }

    @Test
    void decisionsAreCachedAndAPolicyChangeDropsTheCache() {
        String agentId = registerAgent("cached");
        FakeGovernance.reset();
        for (int i = 0; i < 3; i++) {
            asOperator().contentType(ContentType.JSON).body(Map.of("description", "v" + i))
                    .patch("/api/agents/{id}", agentId).then().statusCode(200);
        }
        assertEquals(1, FakeGovernance.DECISIONS.size(), "asked once, then answered from the cache");

        // governance would now deny, but the cached allow still holds ...
        FakeGovernance.DENY.add("agent.update");
        asOperator().contentType(ContentType.JSON).body(Map.of("description", "still")).patch("/api/agents/{id}", agentId)
                .then().statusCode(200);
        // ... until a policy change goes through the gateway (itself a checked action)
        asOperator().contentType(ContentType.JSON).body(Map.of("policies", Map.of())).put("/api/policies")
                .then().statusCode(200);
        assertEquals(1, FakeGovernance.POLICY_WRITES.size());
        assertTrue(FakeGovernance.DECISIONS.stream().anyMatch(d -> d.contains("\"action\":\"policy.update\"")));
        asOperator().contentType(ContentType.JSON).body(Map.of("description", "now")).patch("/api/agents/{id}", agentId)
                .then().statusCode(403).body("action", equalTo("agent.update"));
    }

    @Test
    void aNewPolicyVersionInAnAnswerDropsTheCache() {
        String agentId = registerAgent("versioned");
        asOperator().contentType(ContentType.JSON).body(Map.of("description", "a")).patch("/api/agents/{id}", agentId)
                .then().statusCode(200);
        FakeGovernance.DENY.add("agent.update");
        long before = FakeGovernance.POLICY_VERSION.get();
        FakeGovernance.POLICY_VERSION.incrementAndGet();
        try {
            // another question (a different asset) learns of the new version ...
            asOperator().contentType(ContentType.JSON).body(Map.of("label", "x"))
                    .post("/api/agents/{id}/keys", agentId).then().statusCode(201);
            // ... so the cached allow for agent.update is gone
            asOperator().contentType(ContentType.JSON).body(Map.of("description", "b"))
                    .patch("/api/agents/{id}", agentId).then().statusCode(403);
        } finally {
            FakeGovernance.POLICY_VERSION.set(before);
        }
    }
}
