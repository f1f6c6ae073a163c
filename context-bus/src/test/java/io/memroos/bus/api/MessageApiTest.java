package io.memroos.bus.api;

import io.memroos.bus.testing.FakeRegistryResource;
import io.memroos.bus.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.memroos.bus.api.Api.ack;
import static io.memroos.bus.api.Api.agent;
import static io.memroos.bus.api.Api.as;
import static io.memroos.bus.api.Api.asAgent;
import static io.memroos.bus.api.Api.asOperator;
import static io.memroos.bus.api.Api.poll;
import static io.memroos.bus.api.Api.problemType;
import static io.memroos.bus.api.Api.registry;
import static io.memroos.bus.api.Api.send;
import static io.memroos.bus.api.Api.to;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(FakeRegistryResource.class)
class MessageApiTest {

    @Test
    void sendsReceivesAndAcknowledgesAMessage() {
        String a = agent();
        String b = agent();
        Map<String, Object> body = new HashMap<>(to(b, Map.of("task", "summarise", "n", 3)));
        body.put("subject", "hello");
        body.put("priority", 7);
        body.put("label", "confidential");
        String id = asAgent(a).body(body).post("/api/agent-context/messages")
                .then().statusCode(201)
                .header("Location", containsString("/api/agent-context/messages/"))
                .body("sender", equalTo(a))
                .body("recipients", equalTo(List.of(b)))
                .body("bodyKind", equalTo("json"))
                .body("body.task", equalTo("summarise"))
                .body("threadId", notNullValue())
                .body("label", equalTo("confidential"))
                .extract().path("id");

        JsonPath inbox = poll(b, 10);
        assertEquals(1, inbox.getList("items").size());
        assertEquals(id, inbox.getString("items[0].message.id"));
        assertEquals(1, inbox.getInt("items[0].attempts"));
        assertEquals("hello", inbox.getString("items[0].message.subject"));
        assertEquals(3, inbox.getInt("items[0].message.body.n"));
        assertTrue(inbox.getLong("items[0].seq") >= 1);

        asAgent(b).body(Map.of("receipt", inbox.getString("items[0].receipt")))
                .post("/api/agent-context/messages/" + id + "/ack")
                .then().statusCode(200).body("status", equalTo("acked"));
        asAgent(b).post("/api/agent-context/messages/" + id + "/ack")
                .then().statusCode(200).body("status", equalTo("already-acked"));
        assertEquals(0, poll(b, 10).getList("items").size());
    }

    @Test
    void aTextBodyStaysText() {
        String a = agent();
        String b = agent();
        send(a, b, "plain words");
        JsonPath inbox = poll(b, 1);
        assertEquals("text", inbox.getString("items[0].message.bodyKind"));
        assertEquals("plain words", inbox.getString("items[0].message.body"));
    }

    @Test
    void theSenderIsTheCallerNeverABodyField() {
        String a = agent();
        String b = agent();
        Map<String, Object> body = new HashMap<>(to(b, "x"));
        body.put("sender", b);
        asAgent(a).body(body).post("/api/agent-context/messages")
                .then().statusCode(400).body("type", problemType("validation"))
                .body("errors[0].field", equalTo("sender"));
    }

    @Test
    void operatorsSendAsOperator() {
        String b = agent();
        asOperator().body(to(b, "from the operator")).post("/api/agent-context/messages")
                .then().statusCode(201).body("sender", equalTo("operator"));
    }

    @Test
    void sendingToAMissingOrDeregisteredAgentIs404WithTheReason() {
        String a = agent();
        asAgent(a).body(to("agt_nobody_here", "x")).post("/api/agent-context/messages")
                .then().statusCode(404).body("type", problemType("not-found"))
                .body("detail", equalTo("to[0]: agent agt_nobody_here does not exist"))
                .body("errors[0].field", equalTo("to[0]"));
        String gone = agent();
        registry().deregister(gone);
        asAgent(a).body(to(gone, "x")).post("/api/agent-context/messages")
                .then().statusCode(404).body("detail", containsString("is deregistered"));
    }

    @Test
    void sendsToAListAndToEveryPeerWithACapability() {
        String a = agent("translate");
        String b = agent();
        String c = agent();
        asAgent(a).body(Map.of("to", List.of(b, c), "body", "to both")).post("/api/agent-context/messages")
                .then().statusCode(201).body("recipients", equalTo(List.of(b, c)));
        assertEquals(1, poll(b, 10).getList("items").size());
        assertEquals(1, poll(c, 10).getList("items").size());

        String cap = "cap-" + TestTokens.unique();
        String d = agent(cap);
        String e = agent(cap);
        List<String> recipients = asAgent(d).body(Map.of("capability", cap, "body", "to my kind"))
                .post("/api/agent-context/messages").then().statusCode(201).extract().path("recipients");
        assertEquals(List.of(e), recipients, "the sender is not its own recipient");
        asAgent(a).body(Map.of("capability", "cap-nobody-has", "body", "x")).post("/api/agent-context/messages")
                .then().statusCode(404).body("errors[0].field", equalTo("capability"));
        asAgent(a).body(Map.of("capability", cap, "to", List.of(b), "body", "x")).post("/api/agent-context/messages")
                .then().statusCode(400).body("errors[0].field", equalTo("to"));
    }

    @Test
    void aRepeatedIdempotencyKeyReturnsTheFirstMessageAndEnqueuesOnce() {
        String a = agent();
        String b = agent();
        Map<String, Object> body = new HashMap<>(to(b, "once"));
        body.put("idempotencyKey", "order-42");
        String first = asAgent(a).body(body).post("/api/agent-context/messages")
                .then().statusCode(201).extract().path("id");
        body.put("body", "a different body");
        asAgent(a).body(body).post("/api/agent-context/messages")
                .then().statusCode(200).header("Idempotent-Replay", "true")
                .body("id", equalTo(first)).body("body", equalTo("once"));
        // the key is per sender: another sender's key does not collide
        String c = agent();
        String other = asAgent(c).body(body).post("/api/agent-context/messages")
                .then().statusCode(201).extract().path("id");
        assertNotEquals(first, other);
        JsonPath inbox = poll(b, 10);
        assertEquals(2, inbox.getList("items").size());
    }

    @Test
    void oversizedBodiesAreRefusedWith413() {
        String a = agent();
        String b = agent();
        asAgent(a).body(to(b, "x".repeat(262_145))).post("/api/agent-context/messages")
                .then().statusCode(413).body("type", problemType("payload-too-large"))
                .body("detail", containsString("body: is 262145 bytes"));
        asAgent(a).body(to(b, "x".repeat(262_144))).post("/api/agent-context/messages").then().statusCode(201);
    }

    @Test
    void aFullBacklogRefusesSendsWith429() {
        String a = agent();
        String b = agent();
        for (int i = 0; i < 100; i++) {
            send(a, b, "m" + i);
        }
        asAgent(a).body(to(b, "one too many")).post("/api/agent-context/messages")
                .then().statusCode(429).body("type", problemType("backlog-full"))
                .header("Retry-After", "1")
                .body("detail", containsString("the inbox of agent " + b + " already holds 100"));
        JsonPath inbox = poll(b, 1);
        ack(b, inbox.getString("items[0].message.id"));
        send(a, b, "room again");
    }

    @Test
    void invalidFieldsAreNamed() {
        String a = agent();
        String b = agent();
        Map<String, Object> body = new HashMap<>(to(b, "x"));
        body.put("priority", 12);
        asAgent(a).body(body).post("/api/agent-context/messages")
                .then().statusCode(400).body("errors[0].field", equalTo("priority"));
        asAgent(a).body(Map.of("to", List.of(b))).post("/api/agent-context/messages")
                .then().statusCode(400).body("errors[0].field", equalTo("body"));
        asAgent(a).body("{\"to\": [\"" + b + "\"], \"body\": ").post("/api/agent-context/messages")
                .then().statusCode(400).body("type", problemType("malformed-json"));
        asAgent(b).queryParam("wait", "99").get("/api/agent-context/inbox")
                .then().statusCode(400).body("errors[0].field", equalTo("wait"));
        asAgent(b).queryParam("max", "abc").get("/api/agent-context/inbox")
                .then().statusCode(400).body("errors[0].field", equalTo("max"));
    }

    @Test
    void anUnacknowledgedMessageIsDeliveredAgainAfterTheVisibilityTimeout() throws Exception {
        String a = agent();
        String b = agent();
        String id = send(a, b, "again");
        JsonPath first = poll(b, 1);
        String oldReceipt = first.getString("items[0].receipt");
        assertEquals(0, poll(b, 1).getList("items").size(), "invisible while in flight");
        Thread.sleep(1300);
        JsonPath second = poll(b, 1);
        assertEquals(id, second.getString("items[0].message.id"));
        assertEquals(2, second.getInt("items[0].attempts"));
        assertNotEquals(oldReceipt, second.getString("items[0].receipt"));
        asAgent(b).body(Map.of("receipt", oldReceipt)).post("/api/agent-context/messages/" + id + "/ack")
                .then().statusCode(409).body("detail", containsString("receipt"));
        asAgent(b).body(Map.of("receipt", second.getString("items[0].receipt")))
                .post("/api/agent-context/messages/" + id + "/ack").then().statusCode(200);
    }

    @Test
    void aLongPollIsWokenBySend() throws Exception {
        String a = agent();
        String b = agent();
        long start = System.nanoTime();
        CompletableFuture<JsonPath> waiting = CompletableFuture.supplyAsync(() ->
                asAgent(b).queryParam("wait", 10).get("/api/agent-context/inbox")
                        .then().statusCode(200).extract().jsonPath());
        Thread.sleep(400);
        String id = send(a, b, "wake up");
        JsonPath got = waiting.get(5, TimeUnit.SECONDS);
        assertEquals(id, got.getString("items[0].message.id"));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
        ack(b, id);
        // an empty wait ends after its timeout with no items
        long t0 = System.nanoTime();
        assertEquals(0, asAgent(b).queryParam("wait", 1).get("/api/agent-context/inbox")
                .then().statusCode(200).extract().jsonPath().getList("items").size());
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(900));
    }

    @Test
    void aNackRequeuesAfterItsDelay() throws Exception {
        String a = agent();
        String b = agent();
        String id = send(a, b, "not now");
        poll(b, 1);
        asAgent(b).body(Map.of("delaySeconds", 0)).post("/api/agent-context/messages/" + id + "/nack")
                .then().statusCode(200).body("status", equalTo("nacked"));
        JsonPath again = poll(b, 1);
        assertEquals(2, again.getInt("items[0].attempts"));
        asAgent(b).body(Map.of("delaySeconds", 1)).post("/api/agent-context/messages/" + id + "/nack")
                .then().statusCode(200);
        assertEquals(0, poll(b, 1).getList("items").size());
        Thread.sleep(1100);
        assertEquals(3, poll(b, 1).getInt("items[0].attempts"));
        asAgent(b).body(Map.of("delaySeconds", 7200)).post("/api/agent-context/messages/" + id + "/nack")
                .then().statusCode(400).body("errors[0].field", equalTo("delaySeconds"));
    }

    @Test
    void messagesOfOneSenderArriveInTheOrderSentUnderConcurrentSenders() throws Exception {
        String b = agent();
        List<String> senders = List.of(agent(), agent(), agent(), agent());
        int perSender = 20;
        List<CompletableFuture<Void>> sending = new ArrayList<>();
        for (String s : senders) {
            sending.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < perSender; i++) {
                    send(s, b, s + ":" + i);
                }
            }));
        }
        Map<String, Integer> last = new HashMap<>();
        int received = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (received < senders.size() * perSender && System.nanoTime() < deadline) {
            JsonPath inbox = asAgent(b).queryParam("max", 7).queryParam("wait", 1).get("/api/agent-context/inbox")
                    .then().statusCode(200).extract().jsonPath();
            List<Map<String, Object>> items = inbox.getList("items");
            List<Map<String, Object>> acks = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                String text = inbox.getString("items[" + i + "].message.body");
                String sender = text.substring(0, text.indexOf(':'));
                int n = Integer.parseInt(text.substring(text.indexOf(':') + 1));
                int previous = last.getOrDefault(sender, -1);
                assertEquals(previous + 1, n, "messages from " + sender + " out of order");
                last.put(sender, n);
                acks.add(Map.of("messageId", inbox.getString("items[" + i + "].message.id")));
                received++;
            }
            if (!acks.isEmpty()) {
                asAgent(b).body(Map.of("acks", acks)).post("/api/agent-context/inbox/ack")
                        .then().statusCode(200).body("results.status", not(org.hamcrest.Matchers.hasItem("not-found")));
            }
        }
        CompletableFuture.allOf(sending.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        assertEquals(senders.size() * perSender, received);
    }

    @Test
    void repliesAreThreadedAndReadInOrder() {
        String a = agent();
        String b = agent();
        String c = agent();
        String first = send(a, b, "question");
        String thread = asAgent(a).get("/api/agent-context/messages/" + first).then().statusCode(200)
                .extract().path("threadId");
        Map<String, Object> reply = new HashMap<>(to(a, "answer"));
        reply.put("replyTo", first);
        asAgent(b).body(reply).post("/api/agent-context/messages")
                .then().statusCode(201).body("threadId", equalTo(thread)).body("replyTo", equalTo(first));
        Map<String, Object> followUp = new HashMap<>(to(b, "thanks"));
        followUp.put("threadId", thread);
        send(a, b, "unrelated");
        asAgent(a).body(followUp).post("/api/agent-context/messages").then().statusCode(201);

        asAgent(a).get("/api/agent-context/threads/" + thread).then().statusCode(200)
                .body("messages", hasSize(3))
                .body("messages.body", equalTo(List.of("question", "answer", "thanks")));
        asOperator().get("/api/agent-context/threads/" + thread).then().statusCode(200).body("messages", hasSize(3));
        asAgent(c).get("/api/agent-context/threads/" + thread).then().statusCode(404);
        // c cannot reply into a thread it is not part of
        Map<String, Object> intrude = new HashMap<>(to(a, "me too"));
        intrude.put("replyTo", first);
        asAgent(c).body(intrude).post("/api/agent-context/messages")
                .then().statusCode(404).body("errors[0].field", equalTo("replyTo"));
    }

    @Test
    void anAgentReadsOnlyItsOwnInbox() {
        String a = agent();
        String b = agent();
        String c = agent();
        String id = send(a, b, "for b only");
        asAgent(c).queryParam("agentId", b).get("/api/agent-context/inbox")
                .then().statusCode(403).body("type", problemType("forbidden"));
        assertEquals(0, poll(c, 10).getList("items").size());
        asAgent(c).post("/api/agent-context/messages/" + id + "/ack").then().statusCode(404);
        asAgent(c).get("/api/agent-context/messages/" + id).then().statusCode(404);
        asAgent(c).queryParam("agentId", b).post("/api/agent-context/messages/" + id + "/ack").then().statusCode(403);
        asAgent(c).get("/api/agent-context/admin/backlog").then().statusCode(403);
        asAgent(c).get("/api/agent-context/admin/dead-letters").then().statusCode(403);
        as(TestTokens.service()).get("/api/agent-context/inbox").then().statusCode(403);
        RestAssured.given().get("/api/agent-context/inbox").then().statusCode(401)
                .body("type", problemType("unauthorized"));
        as(TestTokens.otherKeyOperator()).get("/api/agent-context/admin/backlog").then().statusCode(401);
        // the operator may read (and ack) any inbox by naming it
        JsonPath inbox = asOperator().queryParam("agentId", b).get("/api/agent-context/inbox")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(id, inbox.getString("items[0].message.id"));
        asOperator().queryParam("agentId", b).post("/api/agent-context/messages/" + id + "/ack").then().statusCode(200);
        asOperator().get("/api/agent-context/inbox").then().statusCode(400).body("errors[0].field", equalTo("agentId"));
    }

    @Test
    void badTokensAreRefusedEvenAfterAGoodOneWasRemembered() {
        String operator = TestTokens.operator();
        as(operator).get("/api/agent-context/admin/backlog").then().statusCode(200);
        as(operator).get("/api/agent-context/admin/backlog").then().statusCode(200);
        as(TestTokens.expiredOperator()).get("/api/agent-context/admin/backlog").then().statusCode(401)
                .header("WWW-Authenticate", "Bearer");
        as(TestTokens.wrongIssuerOperator()).get("/api/agent-context/admin/backlog").then().statusCode(401);
        as(TestTokens.wrongAudienceOperator()).get("/api/agent-context/admin/backlog").then().statusCode(401);
        as(operator + "x").get("/api/agent-context/admin/backlog").then().statusCode(401);
    }

    @Test
    void requestIdsAreEchoedAndProblemsCarryThem() {
        RestAssured.given().header("X-Request-Id", "req-123").get("/api/agent-context/inbox")
                .then().statusCode(401).header("X-Request-Id", "req-123").body("requestId", equalTo("req-123"));
    }

    @Test
    void peersAreTheOtherActiveAgentsWithCapabilitiesAndLiveness() {
        String cap = "peer-" + TestTokens.unique();
        String a = agent(cap);
        String b = agent(cap, "extra");
        List<String> ids = asAgent(a).queryParam("capability", cap).get("/api/agent-peers")
                .then().statusCode(200).extract().path("items.id");
        assertEquals(List.of(b), ids);
        asAgent(a).queryParam("capability", cap).get("/api/agent-peers").then()
                .body("items[0].capabilities", equalTo(List.of(cap, "extra")))
                .body("items[0].liveness", equalTo("online"));
        List<String> all = asAgent(a).get("/api/agent-peers").then().statusCode(200).extract().path("items.id");
        assertTrue(all.contains(b) && !all.contains(a));
    }

    @Test
    void aRegistryOutageIsA503WithTheReason() throws Exception {
        String a = agent();
        registry().down(true);
        try {
            Thread.sleep(250); // past the test cache
            asAgent(a).body(to("agt_" + TestTokens.unique(), "x")).post("/api/agent-context/messages")
                    .then().statusCode(503).body("type", problemType("dependency-unavailable"))
                    .body("detail", containsString("registry"));
            asAgent(a).get("/api/agent-peers").then().statusCode(503);
        } finally {
            registry().down(false);
        }
        assertTrue(registry().lastAuthorization().startsWith("Bearer "), "the bus signs its own token");
    }
}
