package io.memroos.registry.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.memroos.registry.api.Api.as;
import static io.memroos.registry.api.Api.asOperator;
import static io.memroos.registry.api.Api.register;
import static io.memroos.registry.api.TestTokens.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
class HeartbeatApiTest {

    @Test
    void anAgentPostsHeartbeatsAndBecomesOnline() {
        String agent = register("beat-" + unique());
        String token = TestTokens.agent(agent);
        as(token).body(Map.of("status", "ok", "load", 0.25, "version", "1.2.3",
                        "metrics", Map.of("queue", 3, "model", "small")))
                .post("/api/heartbeat")
                .then().statusCode(202)
                .body("agentId", equalTo(agent))
                .body("liveness", equalTo("online"))
                .body("receivedAt", notNullValue());
        as(token).body(Map.of("status", "busy", "load", 1)).post("/api/heartbeat").then().statusCode(202);

        asOperator().get("/api/agents/" + agent).then().statusCode(200)
                .body("liveness", equalTo("online"))
                .body("lastHeartbeatAt", notNullValue());
        as(token).get("/api/agents/" + agent + "/heartbeats").then().statusCode(200)
                .body("", hasSize(2))
                .body("[0].status", equalTo("busy"))
                .body("[1].status", equalTo("ok"))
                .body("[1].load", equalTo(0.25f))
                .body("[1].version", equalTo("1.2.3"))
                .body("[1].metrics.queue", equalTo(3))
                .body("[1].metrics.model", equalTo("small"));
        asOperator().queryParam("limit", 1).get("/api/agents/" + agent + "/heartbeats").then().statusCode(200)
                .body("", hasSize(1));
        asOperator().queryParam("limit", 500).get("/api/agents/" + agent + "/heartbeats").then().statusCode(400)
                .body("errors[0].field", equalTo("limit"));
    }

    @Test
    void onlyAgentTokensPostHeartbeats() {
        asOperator().body(Map.of("status", "ok")).post("/api/heartbeat").then().statusCode(403);
        as(TestTokens.service()).body(Map.of("status", "ok")).post("/api/heartbeat").then().statusCode(403);
        RestAssured.given().contentType("application/json").body(Map.of("status", "ok")).post("/api/heartbeat")
                .then().statusCode(401);
        as(TestTokens.agent("agt_unknown")).body(Map.of("status", "ok")).post("/api/heartbeat").then()
                .statusCode(404);
    }

    @Test
    void refusesInvalidHeartbeatsNamingTheField() {
        String agent = register("bad-beat-" + unique());
        String token = TestTokens.agent(agent);
        as(token).body(Map.of("status", "ok", "load", 1.5)).post("/api/heartbeat").then().statusCode(400)
                .body("errors[0].field", equalTo("load"));
        as(token).body(Map.of("status", "ok", "load", -0.1)).post("/api/heartbeat").then().statusCode(400)
                .body("errors[0].field", equalTo("load"));
        as(token).body(Map.of("status", "ok", "load", "heavy")).post("/api/heartbeat").then().statusCode(400)
                .body("errors[0].field", equalTo("load"));
        as(token).body(Map.of("load", 0.1)).post("/api/heartbeat").then().statusCode(400)
                .body("errors[0].field", equalTo("status"));
        Map<String, Object> metrics = new HashMap<>();
        for (int i = 0; i < 65; i++) {
            metrics.put("m" + i, i);
        }
        as(token).body(Map.of("status", "ok", "metrics", metrics)).post("/api/heartbeat").then().statusCode(400)
                .body("errors[0].field", equalTo("metrics"));
        as(token).body(Map.of("status", "ok", "metrics", List.of(1))).post("/api/heartbeat").then().statusCode(400)
                .body("errors[0].field", equalTo("metrics"));
        as(token).body(Map.of("status", "ok", "cpu", 1)).post("/api/heartbeat").then().statusCode(400)
                .body("errors[0].field", equalTo("cpu"));
    }

    @Test
    void anAgentReadsOnlyItsOwnHeartbeats() {
        String me = register("hb-me-" + unique());
        String other = register("hb-other-" + unique());
        as(TestTokens.agent(me)).get("/api/agents/" + other + "/heartbeats").then().statusCode(403);
        as(TestTokens.agent(me)).get("/api/agents/" + me + "/heartbeats").then().statusCode(200);
        asOperator().get("/api/agents/agt_nope/heartbeats").then().statusCode(404);
    }

    @Test
    void concurrentHeartbeatsAreAllRecorded() throws Exception {
        List<String> agents = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            agents.add(register("hb-par-" + i + "-" + unique()));
        }
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Integer>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 80; i++) {
                String agent = agents.get(i % agents.size());
                results.add(pool.submit(() -> as(TestTokens.agent(agent)).body(Map.of("status", "ok"))
                        .post("/api/heartbeat").statusCode()));
            }
            for (var r : results) {
                org.junit.jupiter.api.Assertions.assertEquals(202, r.get());
            }
        } finally {
            pool.shutdown();
        }
        for (String agent : agents) {
            asOperator().queryParam("limit", 200).get("/api/agents/" + agent + "/heartbeats").then()
                    .statusCode(200).body("", hasSize(20));
        }
    }

    @Test
    void aDeregisteredAgentCannotBeat() {
        String agent = register("hb-gone-" + unique());
        asOperator().delete("/api/agents/" + agent).then().statusCode(204);
        as(TestTokens.agent(agent)).body(Map.of("status", "ok")).post("/api/heartbeat").then().statusCode(409);
    }
}
