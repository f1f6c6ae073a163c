package io.memroos.memory.api;

import io.memroos.memory.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.memroos.memory.api.Api.asAgent;
import static io.memroos.memory.api.Api.asOperator;
import static io.memroos.memory.api.Api.msg;
import static io.memroos.memory.api.Api.problemType;
import static io.memroos.memory.api.Api.remember;
import static io.memroos.memory.api.Api.rememberText;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

@QuarkusTest
class MemoryApiTest {

    @Test
    void chatMessagesBecomeOneMemoryPerTurnAndEpisodes() {
        String a = Api.agent();
        var r = asAgent(a).body(Map.of("userId", "u1", "sessionId", "s1", "metadata", Map.of("topic", "pets"),
                        "messages", List.of(msg("user", "I adopted a beagle called Rufus."),
                                msg("assistant", "Lovely! How old is Rufus?"))))
                .post("/api/memory").then().statusCode(200)
                .body("results", hasSize(2))
                .body("results[0].event", equalTo("ADD"))
                .body("results[0].text", equalTo("I adopted a beagle called Rufus."))
                .body("episodes", hasSize(2))
                .body("pipeline", equalTo("deterministic"))
                .extract().jsonPath();
        String id = r.getString("results[0].id");
        asAgent(a).get("/api/memory/" + id).then().statusCode(200)
                .body("agentId", equalTo(a)).body("userId", equalTo("u1")).body("sessionId", equalTo("s1"))
                .body("metadata.topic", equalTo("pets")).body("metadata.role", equalTo("user"))
                .body("version", equalTo(1)).body("status", equalTo("active"));
    }

    @Test
    void textIsSplitIntoSentences() {
        String a = Api.agent();
        asAgent(a).body(Map.of("text", "Maria prefers window seats. She is allergic to peanuts!\nHer badge is 4471."))
                .post("/api/memory").then().statusCode(200)
                .body("results.text", contains("Maria prefers window seats.", "She is allergic to peanuts!",
                        "Her badge is 4471."));
    }

    @Test
    void exactDuplicatesAreFolded() {
        String a = Api.agent();
        String first = rememberText(a, "The wifi password is on the fridge.");
        asAgent(a).body(Map.of("text", "the wifi password is on the fridge")).post("/api/memory").then()
                .statusCode(200).body("results[0].id", equalTo(first)).body("results[0].event", equalTo("NOOP"));
        asAgent(a).get("/api/memory").then().statusCode(200).body("items", hasSize(1));
    }

    @Test
    void updateWritesANewVersionAndHistoryKeepsTheOld() {
        String a = Api.agent();
        String id = rememberText(a, "Tom lives in Lyon.");
        asAgent(a).body(Map.of("text", "Tom lives in Paris.", "reason", "moved")).put("/api/memory/" + id).then()
                .statusCode(200).body("version", equalTo(2)).body("text", equalTo("Tom lives in Paris."));
        asAgent(a).get("/api/memory/" + id + "/history").then().statusCode(200)
                .body("history", hasSize(2))
                .body("history[0].text", equalTo("Tom lives in Lyon.")).body("history[0].validTo", notNullValue())
                .body("history[1].change", equalTo("update")).body("history[1].reason", equalTo("moved"))
                .body("history[1].actor", equalTo("agent:" + a)).body("history[1].validTo", nullValue());
    }

    @Test
    void deleteInvalidatesAndNeverDestroys() {
        String a = Api.agent();
        String id = rememberText(a, "The launch is on Friday.");
        asAgent(a).delete("/api/memory/" + id).then().statusCode(200).body("status", equalTo("invalidated"));
        asAgent(a).get("/api/memory/" + id).then().statusCode(200).body("text", equalTo("The launch is on Friday."))
                .body("status", equalTo("invalidated"));
        asAgent(a).get("/api/memory/" + id + "/history").then().body("history.change", contains("create", "invalidate"));
        asAgent(a).get("/api/memory").then().body("items", hasSize(0));
        asAgent(a).queryParam("includeInvalid", true).get("/api/memory").then().body("items", hasSize(1));
        asAgent(a).body(Map.of("text", "x")).put("/api/memory/" + id).then().statusCode(409);
    }

    @Test
    void anotherAgentsMemoryIsNotFound() {
        String a = Api.agent();
        String b = Api.agent();
        String id = rememberText(a, "A's secret plan.");
        asAgent(b).get("/api/memory/" + id).then().statusCode(404).body("type", problemType("not-found"));
        asAgent(b).get("/api/memory/" + id + "/history").then().statusCode(404);
        asAgent(b).body(Map.of("text", "hijack")).put("/api/memory/" + id).then().statusCode(404);
        asAgent(b).delete("/api/memory/" + id).then().statusCode(404);
        asAgent(b).queryParam("agentId", a).get("/api/memory").then().statusCode(403);
        asOperator().get("/api/memory/" + id).then().statusCode(200);
        asOperator().queryParam("agentId", a).get("/api/memory").then().statusCode(200).body("items", hasSize(1));
    }

    @Test
    void scopeComesFromTheTokenNeverFromPayloadMetadata() {
        String a = Api.agent();
        String b = Api.agent();
        String id = remember(a, Map.of("metadata", Map.of("agentId", b, "userId", "victim")),
                msg("user", "planted memory")).get(0);
        asAgent(a).get("/api/memory/" + id).then().body("agentId", equalTo(a)).body("userId", nullValue());
        asAgent(b).get("/api/memory/" + id).then().statusCode(404);
        asAgent(b).get("/api/memory").then().body("items", hasSize(0));
        asAgent(a).body(Map.of("agentId", b, "text", "x")).post("/api/memory").then().statusCode(403);
    }

    @Test
    void theOperatorWritesForANamedAgent() {
        String a = Api.agent();
        asOperator().body(Map.of("text", "no agent named")).post("/api/memory").then().statusCode(400)
                .body("errors[0].field", equalTo("agentId"));
        String id = asOperator().body(Map.of("agentId", a, "text", "written by the operator")).post("/api/memory")
                .then().statusCode(200).extract().path("results[0].id");
        asAgent(a).get("/api/memory/" + id).then().statusCode(200);
        asOperator().get("/api/memory/" + id + "/history").then().body("history[0].actor", equalTo("operator"));
    }

    @Test
    void listFiltersAndPages() {
        String a = Api.agent();
        for (int i = 0; i < 5; i++) {
            asAgent(a).body(Map.of("text", "note number " + i, "metadata", Map.of("n", i, "even", i % 2 == 0)))
                    .post("/api/memory").then().statusCode(200);
        }
        var page = asAgent(a).queryParam("limit", 2).get("/api/memory").then().statusCode(200)
                .body("items", hasSize(2)).body("items[0].text", equalTo("note number 4"))
                .extract().jsonPath();
        asAgent(a).queryParam("limit", 2).queryParam("cursor", page.getString("nextCursor")).get("/api/memory").then()
                .body("items.text", contains("note number 2", "note number 1"));
        asAgent(a).queryParam("filter", "{\"field\":\"metadata.even\",\"op\":\"eq\",\"value\":true}")
                .get("/api/memory").then().statusCode(200).body("items", hasSize(3));
        asAgent(a).queryParam("filter", "{\"field\":\"metadata.n\",\"op\":\"between\",\"value\":1}")
                .get("/api/memory").then().statusCode(400).body("errors[0].field", equalTo("filter.op"));
        asAgent(a).queryParam("limit", 201).get("/api/memory").then().statusCode(400)
                .body("errors[0].field", equalTo("limit"));
        asAgent(a).queryParam("limit", 0).get("/api/memory").then().statusCode(400);
    }

    @Test
    void largeInputsBecomeAJob() {
        String a = Api.agent();
        List<Map<String, Object>> messages = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            messages.add(msg(i % 2 == 0 ? "user" : "assistant", "turn number " + i + " of a long conversation"));
        }
        var accepted = asAgent(a).body(Map.of("messages", messages)).post("/api/memory").then().statusCode(202)
                .header("Location", startsWith("/api/memory/jobs/job_")).body("status", equalTo("queued"))
                .extract().jsonPath();
        String job = accepted.getString("jobId");
        String status = "";
        for (int i = 0; i < 200 && !status.equals("done"); i++) {
            status = asAgent(a).get("/api/memory/jobs/" + job).then().statusCode(200).extract().path("status");
            if (!status.equals("done")) {
                sleep(100);
            }
        }
        assertEquals("done", status);
        asAgent(a).get("/api/memory/jobs/" + job).then().body("ids", hasSize(12)).body("items", equalTo(12));
        asAgent(Api.agent()).get("/api/memory/jobs/" + job).then().statusCode(404);
        asAgent(a).get("/api/memory").then().body("items", hasSize(12));
    }

    @Test
    void inputValidationNamesTheField() {
        String a = Api.agent();
        asAgent(a).body(Map.of()).post("/api/memory").then().statusCode(400)
                .body("type", problemType("validation"));
        asAgent(a).body(Map.of("text", "x", "messages", List.of(msg("user", "y")))).post("/api/memory").then()
                .statusCode(400);
        asAgent(a).body(Map.of("messages", List.of(msg("robot", "y")))).post("/api/memory").then().statusCode(400)
                .body("errors[0].field", equalTo("messages[0].role"));
        asAgent(a).body(Map.of("messages", List.of(msg("user", " ")))).post("/api/memory").then().statusCode(400)
                .body("errors[0].field", equalTo("messages[0].content"));
        asAgent(a).body(Map.of("text", "x", "colour", "red")).post("/api/memory").then().statusCode(400)
                .body("errors[0].field", equalTo("colour"));
        asAgent(a).body(Map.of("text", "x", "metadata", Map.of("bad key!", 1))).post("/api/memory").then()
                .statusCode(400).body("errors[0].field", equalTo("metadata.bad key!"));
        asAgent(a).body(Map.of("text", "x", "metadata", Map.of("nested", Map.of("a", 1)))).post("/api/memory").then()
                .statusCode(400).body("errors[0].field", equalTo("metadata.nested"));
        asAgent(a).body(Map.of("text", "y".repeat(40_000))).post("/api/memory").then().statusCode(413)
                .body("errors[0].field", equalTo("text"));
    }

    @Test
    void bodiesOverTheLimitAre413() {
        String a = Api.agent();
        asAgent(a).body("{\"text\":\"" + "z".repeat(1_100_000) + "\"}").post("/api/memory").then().statusCode(413)
                .body("type", problemType("payload-too-large"));
    }

    @Test
    void everyRouteNeedsAValidToken() {
        RestAssured.given().get("/api/memory").then().statusCode(401);
        Api.as(TestTokens.expiredOperator()).get("/api/memory?agentId=x").then().statusCode(401);
        Api.as(TestTokens.otherKeyOperator()).get("/api/memory?agentId=x").then().statusCode(401);
        Api.as(TestTokens.wrongIssuerOperator()).get("/api/memory?agentId=x").then().statusCode(401);
        Api.as(TestTokens.service()).get("/api/memory").then().statusCode(403);
        RestAssured.given().get("/api/memory-inventory").then().statusCode(401);
        RestAssured.given().contentType("application/json").body("{}").post("/api/recall").then().statusCode(401);
    }

    @Test
    void theAgentShimImpliesTheScope() {
        String a = Api.agent();
        String id = asAgent(a).body(Map.of("text", "via the shim")).post("/api/agent-memory").then().statusCode(200)
                .extract().path("results[0].id");
        asAgent(a).get("/api/agent-memory/" + id).then().statusCode(200).body("agentId", equalTo(a));
        asAgent(a).get("/api/agent-memory").then().body("items", hasSize(1));
        asAgent(Api.agent()).get("/api/agent-memory/" + id).then().statusCode(404);
        asOperator().get("/api/agent-memory").then().statusCode(403);
        asAgent(a).body(Map.of("query", "shim")).post("/api/agent-memory/recall").then().statusCode(200)
                .body("results[0].id", equalTo(id));
    }

    @Test
    void episodesAppendAndSearch() {
        String a = Api.agent();
        asAgent(a).body(Map.of("sessionId", "s9", "messages", List.of(msg("user", "The boiler makes a knocking noise"),
                msg("event", "technician booked for Monday")))).post("/api/memory/episodes").then().statusCode(201)
                .body("items", hasSize(2));
        asAgent(a).queryParam("q", "knocking boilers").get("/api/memory/episodes").then().statusCode(200)
                .body("items", hasSize(1)).body("items[0].content", equalTo("The boiler makes a knocking noise"));
        asAgent(a).get("/api/memory/episodes").then().body("items.role", contains("user", "event"));
        asAgent(Api.agent()).queryParam("q", "boiler").get("/api/memory/episodes").then().body("items", hasSize(0));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void idsDiffer() {
        String a = Api.agent();
        assertNotEquals(rememberText(a, "one thing"), rememberText(a, "another thing"));
    }
}
