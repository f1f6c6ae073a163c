package io.memroos.registry.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.smallrye.jwt.util.KeyUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static io.memroos.registry.api.Api.asOperator;
import static io.memroos.registry.api.Api.issueKey;
import static io.memroos.registry.api.Api.register;
import static io.memroos.registry.api.TestTokens.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Registry writes reach governance through the outbox: written while governance is down, delivered once
 * it is up, each exactly once, in order, with a {@code service:registry-service} token.
 */
@QuarkusTest
@TestProfile(GovernanceOutboxTest.WithGovernance.class)
class GovernanceOutboxTest {

    public static class WithGovernance implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("memroos.registry.governance.url", "http://127.0.0.1:" + GovernanceReceiver.PORT,
                    "memroos.registry.governance.poll-interval", "100ms",
                    "memroos.registry.governance.backoff-initial", "50ms",
                    "memroos.registry.governance.backoff-max", "300ms",
                    "quarkus.scheduler.enabled", "false");
        }
    }

    private final GovernanceReceiver governance = new GovernanceReceiver();

    @AfterEach
    void stop() {
        governance.down();
    }

    @Test
    void writesWhileGovernanceIsDownArriveOnceWhenItIsUp() throws Exception {
        // governance is down: every write still succeeds
        String name = "outbox-" + unique();
        String agentId = register(name, "search");
        asOperator().body(Map.of("description", "changed")).patch("/api/agents/" + agentId)
                .then().statusCode(200);
        Map<String, Object> key = issueKey(agentId, Map.of("label", "ci"));
        String keyId = (String) key.get("id");
        String secret = (String) key.get("key");
        Map<String, Object> rotated = asOperator().post("/api/agents/" + agentId + "/keys/" + keyId + "/rotate")
                .then().statusCode(201).extract().jsonPath().getMap("");
        String newKeyId = (String) rotated.get("id");
        asOperator().delete("/api/agents/" + agentId + "/keys/" + newKeyId).then().statusCode(204);
        asOperator().delete("/api/agents/" + agentId).then().statusCode(204);

        await("failed attempts while down", () -> outboxHealth("failures") >= 2);
        assertTrue(outboxHealth("pending") >= 6, "the events wait in the outbox");
        assertTrue(governance.events.isEmpty());

        governance.up();
        await("outbox drained", () -> outboxHealth("pending") == 0 && mine(agentId).size() >= 6);
        List<String> events = mine(agentId);
        List<String> types = new ArrayList<>();
        for (String e : events) {
            types.add(field(e, "type"));
        }
        assertEquals(List.of("agent.registered", "agent.updated", "key.created", "key.rotated", "key.revoked",
                "agent.deregistered"), types);
        assertEquals(governance.acceptedIds.size(), new HashSet<>(governance.acceptedIds).size(), "no id twice");

        String registered = events.get(0);
        assertEquals("registry-service", field(registered, "source"));
        assertEquals("operator", field(registered, "actor"));
        assertEquals("agent.register", field(registered, "action"));
        assertTrue(registered.contains("\"asset\":{\"type\":\"agent\",\"id\":\"" + agentId + "\"}"), registered);
        assertTrue(registered.contains("\"name\":\"" + name + "\""), registered);
        assertTrue(events.get(1).contains("\"changed\":[\"description\"]"), events.get(1));
        assertTrue(events.get(2).contains("\"asset\":{\"type\":\"key\",\"id\":\"" + keyId + "\"}"), events.get(2));
        assertTrue(events.get(3).contains("\"replacementKeyId\":\"" + newKeyId + "\""), events.get(3));
        assertEquals("agent.delete", field(events.get(5), "action"));
        for (String e : events) {
            assertFalse(e.contains(secret.substring(13)), "never a key secret: " + e);
            assertFalse(e.contains((String) rotated.get("key")), "never a key secret: " + e);
        }

        // the token: service:registry-service, signed with the internal key
        String token = governance.tokens.get(governance.tokens.size() - 1);
        assertTrue(token.startsWith("Bearer "));
        String[] parts = token.substring(7).split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        assertTrue(claims.contains("\"sub\":\"service:registry-service\""), claims);
        assertTrue(claims.contains("\"iss\":\"memroos-gateway\""), claims);
        assertTrue(claims.contains("\"service\""), claims);
        PublicKey publicKey = KeyUtils.decodePublicKey(
                Files.readString(Path.of("src/test/resources/test-keys/public.pem")));
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initVerify(publicKey);
        rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertTrue(rs256.verify(Base64.getUrlDecoder().decode(parts[2])), "signed with the internal key");

        // governance up: the next write arrives promptly (the relay is woken after the commit)
        long before = System.nanoTime();
        String second = register("outbox-" + unique());
        await("prompt delivery", () -> mine(second).size() == 1);
        assertTrue(System.nanoTime() - before < 3_000_000_000L);
    }

    @Test
    void aFailedWriteReportsNothing() throws Exception {
        governance.up();
        String name = "outbox-dup-" + unique();
        String first = register(name);
        asOperator().body(Api.registration(name, List.of())).post("/api/agents").then().statusCode(409);
        await("first delivered", () -> mine(first).size() == 1 && outboxHealth("pending") == 0);
        long sameName = governance.events.stream().filter(e -> e.contains("\"name\":\"" + name + "\"")).count();
        assertEquals(1, sameName, "the refused registration left no event");
    }

    private List<String> mine(String agentId) {
        List<String> out = new ArrayList<>();
        for (String e : governance.events) {
            if (e.contains("\"id\":\"" + agentId + "\"") || e.contains("\"agentId\":\"" + agentId + "\"")) {
                out.add(e);
            }
        }
        return out;
    }

    private static String field(String json, String name) {
        String marker = "\"" + name + "\":\"";
        int i = json.indexOf(marker);
        if (i < 0) {
            return null;
        }
        int from = i + marker.length();
        return json.substring(from, json.indexOf('"', from));
    }

    private static long outboxHealth(String field) {
        Object v = RestAssured.given().get("/q/health/ready").then().extract()
                .path("checks.find { it.name == 'governance-outbox' }.data." + field);
        return v == null ? -1 : ((Number) v).longValue();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(50);
        }
        fail("timed out waiting for " + what);
    }
}
