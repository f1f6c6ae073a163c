package io.memroos.a2a.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.memroos.a2a.GovernanceReceiver;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The broker's audit events reach a recording governance ({@link GovernanceReceiver}) through the outbox relay:
 * who did what to which task, in order, once, through a governance outage.
 */
@QuarkusTest
@QuarkusTestResource(FakePeers.class)
class GovernanceEventsTest {

    static final Duration WAIT = Duration.ofSeconds(15);

    static RequestSpecification as(String token) {
        return RestAssured.given().urlEncodingEnabled(false).auth().oauth2(token).contentType(ContentType.JSON);
    }

    static String rpc(String method, String params) {
        return "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":" + params + "}";
    }

    static String message(String text) {
        return "{\"messageId\":\"" + UUID.randomUUID() + "\",\"role\":\"ROLE_USER\",\"parts\":[{\"text\":\"" + text
                + "\"}]}";
    }

    static String sendAs(String token, String agent, String text) {
        return as(token).body(rpc("SendMessage", "{\"message\":" + message(text) + "}"))
                .post("/a2a/agents/" + agent).then().statusCode(200).extract().path("result.task.id");
    }

    static GovernanceReceiver governance() {
        return FakePeers.governance;
    }

    static List<JsonNode> eventsOf(String taskId, int atLeast) {
        governance().await(all -> governance().about(taskId).size() >= atLeast, WAIT);
        return governance().about(taskId);
    }

    static void assertEvent(JsonNode e, String action, String actor, String assetId) {
        assertEquals(action, e.path("action").asText(), e.toString());
        assertEquals(actor, e.path("actor").asText(), e.toString());
        assertEquals("a2a-task", e.path("asset").path("type").asText(), e.toString());
        assertEquals(assetId, e.path("asset").path("id").asText(), e.toString());
        assertEquals("a2a-broker", e.path("source").asText(), e.toString());
        assertFalse(e.path("id").asText().isBlank());
        assertFalse(e.path("occurredAt").asText().isBlank());
    }

    @Test
    void aBlockingSendIsAuditedAsCreatedByTheCallerAndCompletedByTheAgent() {
        String id = sendAs(TestTokens.agent("agt_caller"), "agt_a2a", "audit me");
        List<JsonNode> events = eventsOf(id, 2);
        assertEquals(2, events.size(), events.toString());
        JsonNode created = events.get(0);
        assertEvent(created, "a2a.task.create", "agent:agt_caller", id);
        assertEquals("a2a.task.created", created.path("type").asText());
        JsonNode d = created.path("data");
        assertEquals("agt_a2a", d.path("targetAgent").asText());
        assertFalse(d.path("contextId").asText().isBlank());
        assertEquals("agent", d.path("endpoint").asText());
        assertEquals("a2a", d.path("targetKind").asText());
        assertEquals("JSONRPC", d.path("binding").asText());
        assertEquals("1.0", d.path("protocolVersion").asText());
        JsonNode state = events.get(1);
        assertEvent(state, "a2a.task.state", "agent:agt_a2a", id);
        assertEquals("TASK_STATE_SUBMITTED", state.path("data").path("from").asText());
        assertEquals("TASK_STATE_COMPLETED", state.path("data").path("to").asText());
        assertFalse(created.toString().contains("audit me"), "no message content in audit events");
        assertTrue(governance().subjects().contains("service:a2a-broker"), governance().subjects().toString());
        assertEquals(0, governance().duplicates());
    }

    @Test
    void aLegacyRestAndKernelSendNameTheirBindingAndVersion() {
        String body = rpc("message/send", "{\"message\":{\"kind\":\"message\",\"messageId\":\"m-legacy-audit\","
                + "\"role\":\"user\",\"parts\":[{\"kind\":\"text\",\"text\":\"old\"}],"
                + "\"metadata\":{\"targetAgent\":\"agt_a2a\"}}}");
        String legacy = as(TestTokens.operator()).body(body).post("/a2a").then().statusCode(200)
                .extract().path("result.id");
        JsonNode created = eventsOf(legacy, 1).get(0);
        assertEvent(created, "a2a.task.create", "operator", legacy);
        assertEquals("0.3", created.path("data").path("protocolVersion").asText());
        assertEquals("kernel", created.path("data").path("endpoint").asText());
        String rest = as(TestTokens.operator()).body("{\"message\":" + message("over rest") + "}")
                .post("/a2a/agents/agt_a2a/message:send").then().log().ifValidationFails().statusCode(200).extract().path("task.id");
        JsonNode restCreated = eventsOf(rest, 1).get(0);
        assertEquals("HTTP+JSON", restCreated.path("data").path("binding").asText());
        assertEquals("1.0", restCreated.path("data").path("protocolVersion").asText());
    }

    @Test
    void cancelAndWebhooksAreAuditedWithoutTheirSecrets() {
        String caller = TestTokens.agent("agt_caller");
        String id = as(caller).body(rpc("SendMessage", "{\"message\":" + message("slow") + "}"))
                .post("/a2a/agents/agt_rest").then().body("result.task.status.state", equalTo("TASK_STATE_SUBMITTED"))
                .extract().path("result.task.id");
        String secret = "tok-" + System.nanoTime();
        as(caller).body("{\"taskId\":\"" + id + "\",\"id\":\"hook1\",\"url\":\"http://127.0.0.1:" + FakePeers.port
                        + "/hook?key=" + secret + "\",\"token\":\"" + secret + "\",\"authentication\":{\"scheme\":"
                        + "\"Bearer\",\"credentials\":\"" + secret + "\"}}")
                .post("/tasks/" + id + "/pushNotificationConfigs").then().log().ifValidationFails().statusCode(200);
        as(caller).delete("/tasks/" + id + "/pushNotificationConfigs/hook1").then().statusCode(204);
        as(caller).post("/tasks/" + id + ":cancel").then().statusCode(200)
                .body("status.state", equalTo("TASK_STATE_CANCELED"));
        List<JsonNode> events = eventsOf(id, 3);
        assertEquals(3, events.size(), events.toString());
        assertEvent(events.get(0), "a2a.task.create", "agent:agt_caller", id);
        assertEquals("rest", events.get(0).path("data").path("targetKind").asText());
        assertEvent(events.get(1), "a2a.task.cancel", "agent:agt_caller", id);
        assertEvent(events.get(2), "a2a.task.state", "agent:agt_caller", id);
        assertEquals("TASK_STATE_CANCELED", events.get(2).path("data").path("to").asText());
        List<JsonNode> hooks = governance().await(all -> governance().about(id + "/hook1").size() >= 2, WAIT);
        List<JsonNode> push = governance().about(id + "/hook1");
        assertEquals("a2a.push-config.create", push.get(0).path("action").asText());
        assertEquals("a2a-push-config", push.get(0).path("asset").path("type").asText());
        assertEquals("agent:agt_caller", push.get(0).path("actor").asText());
        assertEquals("http://127.0.0.1:" + FakePeers.port, push.get(0).path("data").path("urlOrigin").asText());
        assertEquals("Bearer", push.get(0).path("data").path("authScheme").asText());
        assertEquals("a2a.push-config.delete", push.get(1).path("action").asText());
        assertTrue(hooks.stream().noneMatch(e -> e.toString().contains(secret)), "no token, key or credential");
    }

    @Test
    void aDeliveryGivenUpAfterTheDeadlineIsTheBrokersDecision() {
        String id = as(TestTokens.operator()).body(rpc("SendMessage", "{\"message\":" + message("anyone?")
                        + ",\"configuration\":{\"returnImmediately\":true}}"))
                .post("/a2a/agents/agt_offline").then().statusCode(200).extract().path("result.task.id");
        List<JsonNode> events = eventsOf(id, 3);
        assertEvent(events.get(0), "a2a.task.create", "operator", id);
        assertEvent(events.get(1), "a2a.task.deliver", "service:a2a-broker", id);
        assertEquals("a2a.task.delivery-failed", events.get(1).path("type").asText());
        assertEquals("agt_offline", events.get(1).path("data").path("targetAgent").asText());
        assertEvent(events.get(2), "a2a.task.state", "service:a2a-broker", id);
        assertEquals("TASK_STATE_FAILED", events.get(2).path("data").path("to").asText());
    }

    @Test
    void governanceDownThenUpLosesNothingAndDoublesNothingWhileTheBrokerStaysReady() {
        governance().failWith(503);
        try {
            int refusedBefore = governance().refused();
            String a = sendAs(TestTokens.operator(), "agt_a2a", "during the outage 1");
            String b = sendAs(TestTokens.operator(), "agt_a2a", "during the outage 2");
            long until = System.nanoTime() + WAIT.toNanos();
            while (governance().refused() <= refusedBefore && System.nanoTime() < until) {
                sleep(20);
            }
            assertTrue(governance().refused() > refusedBefore, "the relay tried while governance was down");
            assertTrue(governance().about(a).isEmpty());
            RestAssured.given().get("/q/health/ready").then().statusCode(200)
                    .body("checks.find { it.name == 'governance-outbox' }.status", equalTo("UP"))
                    .body("checks.find { it.name == 'governance-outbox' }.data.pending", greaterThanOrEqualTo(4))
                    .body("checks.find { it.name == 'governance-outbox' }.data.lastError",
                            org.hamcrest.Matchers.containsString("503"));
            String metrics = RestAssured.given().get("/q/metrics").then().statusCode(200).extract().asString();
            assertTrue(metrics.contains("memroos_outbox_pending"), "outbox gauges in /q/metrics");
            assertTrue(metrics.contains("memroos_outbox_failures"));
            governance().failWith(0);
            assertEquals(2, eventsOf(a, 2).size());
            assertEquals(2, eventsOf(b, 2).size());
            assertEquals("a2a.task.create", governance().about(a).get(0).path("action").asText());
            assertEquals("a2a.task.state", governance().about(b).get(1).path("action").asText());
            assertEquals(0, governance().duplicates());
            until = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < until && !RestAssured.given().get("/q/health/ready").then().extract()
                    .path("checks.find { it.name == 'governance-outbox' }.data.pending").equals(0)) {
                sleep(50);
            }
            RestAssured.given().get("/q/health/ready").then()
                    .body("checks.find { it.name == 'governance-outbox' }.data.pending", equalTo(0))
                    .body("checks.name", hasItem("a2a-store"));
        } finally {
            governance().failWith(0);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
