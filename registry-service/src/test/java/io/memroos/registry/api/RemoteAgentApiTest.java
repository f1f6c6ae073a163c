package io.memroos.registry.api;

import io.memroos.registry.domain.RemoteAgentService;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.memroos.registry.api.Api.as;
import static io.memroos.registry.api.Api.asOperator;
import static io.memroos.registry.api.TestTokens.unique;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class RemoteAgentApiTest {

    static final String WELL_KNOWN = "/.well-known/agent-card.json";

    @ConfigProperty(name = "memroos.test.card-server")
    String cards;

    @Inject
    RemoteAgentService remotes;

    @Inject
    io.quarkus.scheduler.Scheduler scheduler;

    @Test
    void thePollJobIsScheduled() {
        org.junit.jupiter.api.Assertions.assertNotNull(scheduler.getScheduledJob("remote-card-poll"));
        assertTrue(scheduler.isRunning());
    }

    private io.restassured.response.ValidatableResponse ingest(String cardUrl) {
        return asOperator().body(Map.of("cardUrl", cardUrl, "pollIntervalSeconds", 3600)).post("/api/remote-agents")
                .then();
    }

    private int counter(String what, String name) {
        return Integer.parseInt(RestAssured.given().get(cards + "/control/" + what + "/" + name).asString());
    }

    private void control(String what, String name) {
        RestAssured.given().post(cards + "/control/" + what + "/" + name).then().statusCode(204);
    }

    @Test
    void ingestsAnA2a10CardFromItsBaseUrl() {
        String id = ingest(cards + "/allowed/v10").statusCode(201)
                .body("id", startsWith("agt_"))
                .body("name", equalTo("Card Agent Ten"))
                .body("source", equalTo("card"))
                .body("cardUrl", equalTo(cards + "/allowed/v10" + WELL_KNOWN))
                .body("endpoint.kind", equalTo("a2a"))
                .body("endpoint.url", equalTo(cards + "/agents/ten"))
                .body("owner", equalTo("Example Org"))
                .body("skills[0].id", equalTo("translate"))
                .body("skills[0].tags", equalTo(List.of("language", "text")))
                .body("capabilities", hasItem("a2a.streaming"))
                .body("liveness", equalTo("online"))
                .extract().path("id");
        asOperator().get("/api/agents/" + id).then().statusCode(200).body("source", equalTo("card"));
        // the same card twice is a conflict
        ingest(cards + "/allowed/v10" + WELL_KNOWN).statusCode(409);
    }

    @Test
    void ingestsAnA2a03Card() {
        ingest(cards + "/allowed/v03" + WELL_KNOWN).statusCode(201)
                .body("name", equalTo("Card Agent Oh Three"))
                .body("endpoint.url", equalTo(cards + "/agents/three"))
                .body("skills[0].id", equalTo("weather"))
                .body("capabilities", hasItem("a2a.push-notifications"))
                .body("owner", equalTo("remote"));
    }

    @Test
    void followsARedirectThatStaysAllowed() {
        ingest(cards + "/allowed/redirect-ok").statusCode(201).body("name", equalTo("Card Agent Redirected"));
    }

    @Test
    void refusesALoopbackUrlOutsideTheAllowlist() {
        ingest(cards + "/private").statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("cardUrl"))
                .body("detail", equalTo("cardUrl: host 127.0.0.1 resolves to a loopback address, not in the allowlist"));
        ingest("http://localhost:1/x").statusCode(400).body("detail", containsString("loopback"));
        ingest("http://10.1.2.3/x").statusCode(400).body("detail", containsString("a private address"));
        ingest("http://169.254.169.254/latest").statusCode(400).body("detail", containsString("link-local"));
        ingest("http://[::1]:8080/").statusCode(400).body("detail", containsString("loopback"));
        ingest("http://0.0.0.0/").statusCode(400).body("detail", containsString("unspecified"));
        ingest("file:///etc/passwd").statusCode(400).body("errors[0].field", equalTo("cardUrl"));
    }

    @Test
    void refusesARedirectToARefusedAddress() {
        ingest(cards + "/allowed/redirect").statusCode(400)
                .body("errors[0].field", equalTo("cardUrl"))
                .body("detail", containsString("resolves to a loopback address, not in the allowlist"));
    }

    @Test
    void refusesACardOverTheSizeLimit() {
        ingest(cards + "/allowed/big").statusCode(400)
                .body("detail", equalTo("cardUrl: the card is larger than 262144 bytes"));
    }

    @Test
    void refusesAnInvalidCardNamingTheField() {
        ingest(cards + "/allowed/invalid").statusCode(400)
                .body("errors[0].field", equalTo("card.name"))
                .body("detail", containsString("card.name: is required"));
    }

    @Test
    void refusesASlowServer() {
        long start = System.nanoTime();
        ingest(cards + "/allowed/slow").statusCode(400)
                .body("detail", containsString("no complete answer within 1500 ms"));
        assertTrue((System.nanoTime() - start) / 1_000_000 < 3900, "the fetch gave up at its deadline");
    }

    @Test
    void refusesBadIngestRequests() {
        asOperator().body(Map.of("cardUrl", cards + "/allowed/v10", "pollIntervalSeconds", 5))
                .post("/api/remote-agents").then().statusCode(400)
                .body("errors[0].field", equalTo("pollIntervalSeconds"));
        asOperator().body(Map.of()).post("/api/remote-agents").then().statusCode(400)
                .body("errors[0].field", equalTo("cardUrl"));
        as(TestTokens.agent("agt_x")).body(Map.of("cardUrl", cards + "/allowed/v10"))
                .post("/api/remote-agents").then().statusCode(403);
        as(TestTokens.agent("agt_x")).get("/api/remote-agents").then().statusCode(403);
        asOperator().get("/api/remote-agents/agt_nope").then().statusCode(404);
        asOperator().body(Map.of("enabled", false)).patch("/api/remote-agents/agt_nope").then().statusCode(404);
    }

    @Test
    void pollingHonoursETagsAndMarksRepeatedFailuresUnreachable() {
        String name = "poll" + unique();
        String id = ingest(cards + "/allowed/etag/" + name).statusCode(201)
                .body("name", equalTo("Polled " + name)).extract().path("id");
        asOperator().get("/api/remote-agents/" + id).then().statusCode(200)
                .body("etag", equalTo("\"v1-" + name + "\""))
                .body("pollIntervalSeconds", equalTo(3600))
                .body("enabled", equalTo(true))
                .body("consecutiveFailures", equalTo(0));

        asOperator().post("/api/remote-agents/" + id + "/refresh").then().statusCode(200)
                .body("consecutiveFailures", equalTo(0))
                .body("lastError", nullValue())
                .body("liveness", equalTo("online"));
        assertEquals(1, counter("304", name), "the refresh sent If-None-Match and got 304");
        asOperator().get("/api/agents/" + id).then().body("name", equalTo("Polled " + name));

        control("fail", name);
        for (int i = 1; i <= 3; i++) {
            asOperator().post("/api/remote-agents/" + id + "/refresh").then().statusCode(200)
                    .body("consecutiveFailures", equalTo(i))
                    .body("lastError", containsString("HTTP 500"));
        }
        asOperator().get("/api/agents/" + id).then().body("liveness", equalTo("unreachable"));
        asOperator().queryParam("status", "unreachable").get("/api/agents").then().statusCode(200)
                .body("items.id", hasItem(id));
        asOperator().get("/api/remote-agents").then().statusCode(200)
                .body("find { it.agentId == '" + id + "' }.liveness", equalTo("unreachable"));

        control("ok", name);
        asOperator().post("/api/remote-agents/" + id + "/refresh").then().statusCode(200)
                .body("consecutiveFailures", equalTo(0)).body("liveness", equalTo("online"));
    }

    @Test
    void theSchedulerPollsOnlyDueEnabledAgents() {
        String name = "sched" + unique();
        String id = ingest(cards + "/allowed/etag/" + name).statusCode(201).extract().path("id");
        int before = counter("hits", name);
        remotes.pollDue(Instant.now());
        assertEquals(before, counter("hits", name), "not due yet: interval is an hour");
        remotes.pollDue(Instant.now().plusSeconds(3601));
        assertEquals(before + 1, counter("hits", name), "due after its interval");
        assertEquals(1, counter("304", name));

        asOperator().body(Map.of("enabled", false, "pollIntervalSeconds", 60)).patch("/api/remote-agents/" + id)
                .then().statusCode(200).body("enabled", equalTo(false)).body("pollIntervalSeconds", equalTo(60));
        remotes.pollDue(Instant.now().plusSeconds(7200));
        assertEquals(before + 1, counter("hits", name), "disabled agents are not polled");
        asOperator().body(Map.of("pollIntervalSeconds", 1)).patch("/api/remote-agents/" + id)
                .then().statusCode(400).body("errors[0].field", equalTo("pollIntervalSeconds"));
        asOperator().get("/api/remote-agents").then().statusCode(200)
                .body("find { it.agentId == '" + id + "' }.lastFetchedAt", notNullValue());
    }
}
