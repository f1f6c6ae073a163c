package io.memroos.bus.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.memroos.bus.testing.FakeRegistryResource;
import io.memroos.bus.testing.GovernanceReceiver;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.memroos.bus.api.Api.ack;
import static io.memroos.bus.api.Api.agent;
import static io.memroos.bus.api.Api.asAgent;
import static io.memroos.bus.api.Api.asOperator;
import static io.memroos.bus.api.Api.poll;
import static io.memroos.bus.api.Api.send;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bus's outbox reaches a recording governance ({@link GovernanceReceiver}) through the shared relay: who sent,
 * received and acknowledged which message, in order, once, through a governance outage, never a body.
 */
@QuarkusTest
@QuarkusTestResource(FakeRegistryResource.class)
class GovernanceEventsTest {

    static final Duration WAIT = Duration.ofSeconds(15);

    static GovernanceReceiver governance() {
        return FakeRegistryResource.governance();
    }

    static List<JsonNode> eventsOf(String assetId, int atLeast) {
        governance().await(all -> governance().about(assetId).size() >= atLeast, WAIT);
        return governance().about(assetId);
    }

    static List<String> actions(List<JsonNode> events) {
        return events.stream().map(e -> e.path("action").asText()).toList();
    }

    @Test
    void aSendThenAckReachesGovernanceWithItsActorsInOrderAndNoBody() {
        String a = agent();
        String b = agent();
        String id = send(a, b, "a body governance never sees");
        assertEquals(id, poll(b, 1).getString("items[0].message.id"));
        ack(b, id);
        List<JsonNode> events = eventsOf(id, 3);
        assertEquals(List.of("bus.message.send", "bus.message.deliver", "bus.message.ack"), actions(events));
        assertEquals(List.of("agent:" + a, "agent:" + b, "agent:" + b),
                events.stream().map(e -> e.path("actor").asText()).toList());
        for (JsonNode e : events) {
            assertEquals("context-bus", e.path("source").asText());
            assertEquals("bus-message", e.path("asset").path("type").asText());
            assertFalse(e.toString().contains("governance never sees"), e.toString());
        }
        assertEquals(b, events.get(0).path("data").path("recipients").path(0).asText());
        assertEquals("bus.message.sent", events.get(0).path("type").asText());
        assertTrue(governance().subjects().contains("service:context-bus"), governance().subjects().toString());
        assertEquals(0, governance().duplicates());
        // the admin route still lists the outbox, now with the time governance took each event
        long until = System.nanoTime() + WAIT.toNanos();
        while (published(id) < 3 && System.nanoTime() < until) {
            pause();
        }
        assertEquals(3, published(id));
    }

    /** How many outbox rows about message {@code id} the admin route shows as published. */
    private static long published(String id) {
        long after = 0;
        long n = 0;
        while (true) {
            JsonPath page = asOperator().queryParam("after", after).queryParam("limit", 200)
                    .get("/api/agent-context/admin/outbox").then().statusCode(200).extract().jsonPath();
            List<Map<String, Object>> items = page.getList("items");
            if (items.isEmpty()) {
                return n;
            }
            n += items.stream().filter(i -> ("message:" + id).equals(i.get("asset")) && i.get("publishedAt") != null)
                    .count();
            after = page.getLong("last");
        }
    }

    @Test
    void subscriptionsAreAuditedWithoutTheirSecretOrUrlPath() {
        String b = agent();
        String secret = "s3cret-s3cret-s3cret-" + System.nanoTime();
        asAgent(b).body(Map.of("url", "http://127.0.0.1:9/hook/" + secret, "secret", secret))
                .post("/api/agent-context/subscriptions").then().statusCode(200);
        asAgent(b).delete("/api/agent-context/subscriptions").then().statusCode(204);
        List<JsonNode> events = eventsOf(b, 2);
        assertEquals(List.of("bus.subscription.create", "bus.subscription.delete"), actions(events));
        assertEquals("subscription", events.get(0).path("asset").path("type").asText());
        assertEquals("agent:" + b, events.get(0).path("actor").asText());
        assertEquals("http://127.0.0.1:9", events.get(0).path("data").path("urlOrigin").asText());
        assertTrue(events.stream().noneMatch(e -> e.toString().contains(secret)));
    }

    @Test
    void governanceDownThenUpLosesNothingAndDoublesNothingWhileTheBusStaysReady() {
        governance().failWith(503);
        try {
            int refusedBefore = governance().refused();
            String a = agent();
            String b = agent();
            String id = send(a, b, "during the outage");
            long until = System.nanoTime() + WAIT.toNanos();
            while (governance().refused() <= refusedBefore && System.nanoTime() < until) {
                pause();
            }
            assertTrue(governance().refused() > refusedBefore, "the relay tried while governance was down");
            assertTrue(governance().about(id).isEmpty());
            RestAssured.given().get("/q/health/ready").then().statusCode(200)
                    .body("checks.find { it.name == 'governance-outbox' }.status", equalTo("UP"))
                    .body("checks.find { it.name == 'governance-outbox' }.data.pending", greaterThanOrEqualTo(1))
                    .body("checks.find { it.name == 'governance-outbox' }.data.lastError", containsString("503"));
            String metrics = RestAssured.given().get("/q/metrics").then().statusCode(200).extract().asString();
            assertTrue(metrics.contains("memroos_outbox_pending"), "outbox gauges in /q/metrics");
            ack(b, poll(b, 1).getString("items[0].message.id"));
            governance().failWith(0);
            List<JsonNode> events = eventsOf(id, 3);
            assertEquals(List.of("bus.message.send", "bus.message.deliver", "bus.message.ack"), actions(events));
            assertEquals(0, governance().duplicates());
            assertNotNull(events.get(0).path("occurredAt").asText());
        } finally {
            governance().failWith(0);
        }
    }

    private static boolean pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }
}
