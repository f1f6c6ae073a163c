package io.memroos.governance.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.memroos.governance.api.Api.agentRegistered;
import static io.memroos.governance.api.Api.asAgent;
import static io.memroos.governance.api.Api.asOperator;
import static io.memroos.governance.api.Api.asService;
import static io.memroos.governance.api.Api.batch;
import static io.memroos.governance.api.Api.problemType;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
class AuditApiTest {

    @Test
    void ingestIsIdempotentByEventId() {
        String agent = Api.agent();
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            events.add(agentRegistered(agent));
        }
        asService().body(batch(events)).post("/internal/events").then().statusCode(200)
                .body("accepted", equalTo(5)).body("duplicates", equalTo(0));
        asService().body(batch(events)).post("/internal/events").then().statusCode(200)
                .body("accepted", equalTo(0)).body("duplicates", equalTo(5));
        // a batch repeating one id inside itself, plus one new
        List<Map<String, Object>> mixed = List.of(events.get(0), agentRegistered(agent), events.get(0));
        asService().body(batch(mixed)).post("/internal/events").then().statusCode(200)
                .body("accepted", equalTo(1)).body("duplicates", equalTo(2));
        asOperator().queryParam("assetType", "agent").queryParam("assetId", agent).get("/api/audit").then()
                .statusCode(200).body("items", hasSize(6))
                .body("items[0].source", equalTo("registry-service"))
                .body("items[0].asset.id", equalTo(agent))
                .body("items[0].data.n", equalTo(1.5f))
                .body("items[0].hash", notNullValue())
                .body("items[1].prevHash", notNullValue());
    }

    @Test
    void aBatchIsValidatedWhole() {
        String agent = Api.agent();
        Map<String, Object> bad = new HashMap<>(agentRegistered(agent));
        bad.remove("id");
        asService().body(batch(List.of(agentRegistered(agent), agentRegistered(agent), agentRegistered(agent), bad)))
                .post("/internal/events").then().statusCode(400)
                .body("type", problemType("validation"))
                .body("errors[0].field", equalTo("events[3].id"));
        asOperator().queryParam("assetId", agent).get("/api/audit").then().statusCode(200).body("items", hasSize(0));
        Map<String, Object> badActor = new HashMap<>(agentRegistered(agent));
        badActor.put("actor", "robot");
        asService().body(batch(List.of(badActor))).post("/internal/events").then().statusCode(400)
                .body("errors[0].field", equalTo("events[0].actor"));
        Map<String, Object> badTime = new HashMap<>(agentRegistered(agent));
        badTime.put("occurredAt", "yesterday");
        asService().body(batch(List.of(badTime))).post("/internal/events").then().statusCode(400)
                .body("errors[0].field", equalTo("events[0].occurredAt"));
        Map<String, Object> extra = new HashMap<>(agentRegistered(agent));
        extra.put("color", "red");
        asService().body(batch(List.of(extra))).post("/internal/events").then().statusCode(400)
                .body("errors[0].field", equalTo("events[0].color"));
        Map<String, Object> badLabel = new HashMap<>(agentRegistered(agent));
        badLabel.put("label", "secret");
        asService().body(batch(List.of(badLabel))).post("/internal/events").then().statusCode(400)
                .body("errors[0].field", equalTo("events[0].label"));
        asService().body(batch(List.of())).post("/internal/events").then().statusCode(400)
                .body("errors[0].field", equalTo("events"));
        List<Map<String, Object>> tooMany = new ArrayList<>();
        for (int i = 0; i < 501; i++) {
            tooMany.add(agentRegistered(agent));
        }
        asService().body(batch(tooMany)).post("/internal/events").then().statusCode(413)
                .body("type", problemType("payload-too-large"));
    }

    @Test
    void memoryReceiptsAreKeptAndIsolated() {
        String a = Api.agent();
        String b = Api.agent();
        Map<String, Object> receipt = Api.event(UUID.randomUUID().toString(), "memory.receipt", "agent:" + a,
                "memory-scope", "s1", Map.of("op", "recall", "scope", Map.of("agent", a), "ids", List.of("m1", "m2"),
                        "reason", "answering"));
        receipt.put("action", "memory.recall");
        asService().body(batch(List.of(receipt))).post("/internal/events").then().statusCode(200).body("accepted", equalTo(1));
        asAgent(a).get("/api/audit/memory-receipts").then().statusCode(200).body("items", hasSize(1))
                .body("items[0].record.op", equalTo("recall")).body("items[0].record.ids", hasSize(2));
        asAgent(b).get("/api/audit/memory-receipts").then().statusCode(200).body("items", hasSize(0));
        asAgent(b).queryParam("agentId", a).get("/api/audit/memory-receipts").then().statusCode(403);
        Map<String, Object> bad = Api.event(UUID.randomUUID().toString(), "memory.receipt", "agent:" + a, "memory-scope",
                "s1", Map.of("op", "delete", "ids", List.of()));
        asService().body(batch(List.of(bad))).post("/internal/events").then().statusCode(400)
                .body("errors[0].field", equalTo("events[0].data.op"));
    }

    @Test
    void searchFiltersAndPages() {
        String agent = Api.agent();
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            events.add(agentRegistered(agent));
        }
        asService().body(batch(events)).post("/internal/events").then().statusCode(200);
        var first = asOperator().queryParam("assetId", agent).queryParam("limit", 3).get("/api/audit").then()
                .statusCode(200).body("items", hasSize(3)).body("nextCursor", notNullValue()).extract().jsonPath();
        asOperator().queryParam("assetId", agent).queryParam("limit", 3).queryParam("cursor", first.getString("nextCursor"))
                .get("/api/audit").then().statusCode(200).body("items", hasSize(3))
                .body("items[0].seq", greaterThan(first.getInt("items[2].seq")));
        asOperator().queryParam("assetId", agent).queryParam("limit", 7).get("/api/audit").then()
                .statusCode(200).body("items", hasSize(7)).body("nextCursor", nullValue());
        asOperator().queryParam("assetId", agent).queryParam("actor", "agent:nobody").get("/api/audit").then()
                .statusCode(200).body("items", hasSize(0));
        asOperator().queryParam("assetId", agent).queryParam("from", "2999-01-01T00:00:00Z").get("/api/audit").then()
                .statusCode(200).body("items", hasSize(0));
        asOperator().queryParam("assetId", agent).queryParam("source", "registry-service").queryParam("type", "agent.registered")
                .get("/api/audit").then().statusCode(200).body("items", hasSize(7));
        asOperator().queryParam("limit", 501).get("/api/audit").then().statusCode(400)
                .body("errors[0].field", equalTo("limit"));
        asOperator().queryParam("cursor", "nope").get("/api/audit").then().statusCode(400)
                .body("errors[0].field", equalTo("cursor"));
        asOperator().queryParam("from", "not-a-time").get("/api/audit").then().statusCode(400)
                .body("errors[0].field", equalTo("from"));
    }

    @Test
    void chainVerifiesAfterANormalRunAndStatusShowsTheHead() {
        String agent = Api.agent();
        for (int round = 0; round < 3; round++) {
            List<Map<String, Object>> events = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                events.add(agentRegistered(agent));
            }
            asService().body(batch(events)).post("/internal/events").then().statusCode(200);
        }
        asOperator().get("/api/audit/verify").then().statusCode(200)
                .body("ok", equalTo(true)).body("events", greaterThan(119)).body("checkpoints", greaterThan(0))
                .body("failure", nullValue());
        asOperator().get("/api/audit/status").then().statusCode(200)
                .body("headSeq", greaterThan(119)).body("headHash", notNullValue())
                .body("lastCheckpoint.signature", notNullValue())
                .body("lastVerify", startsWith("ok@"));
        String pem = asOperator().get("/api/audit/public-key").then().statusCode(200)
                .header("X-Key-Id", notNullValue()).extract().asString();
        assertEquals(true, pem.startsWith("-----BEGIN PUBLIC KEY-----"));
    }

    @Test
    void accessRules() {
        asAgent("a1").get("/api/audit").then().statusCode(403).body("type", problemType("forbidden"));
        asService().get("/api/audit").then().statusCode(403);
        asService().get("/api/audit/verify").then().statusCode(403);
        asAgent("a1").body(batch(List.of(agentRegistered("x")))).post("/internal/events").then().statusCode(403);
        RestAssured.given().contentType("application/json").body("{}").post("/internal/events").then().statusCode(401)
                .body("type", problemType("unauthorized"));
        asOperator().body(batch(List.of(agentRegistered(Api.agent())))).post("/internal/events").then().statusCode(200)
                .body("accepted", equalTo(1));
        asService().body("{\"events\": [").post("/internal/events").then().statusCode(400)
                .body("detail", containsString("JSON"));
        asService().body("{\"events\": [], \"pad\": \"" + "x".repeat(3 * 1024 * 1024) + "\"}").post("/internal/events")
                .then().statusCode(413).body("type", problemType("payload-too-large"));
    }
}
