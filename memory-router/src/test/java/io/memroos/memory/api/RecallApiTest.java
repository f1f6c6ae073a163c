package io.memroos.memory.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.memroos.memory.api.Api.asAgent;
import static io.memroos.memory.api.Api.asOperator;
import static io.memroos.memory.api.Api.msg;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class RecallApiTest {

    /** Five memories with metadata to filter on; returns their ids by a short name. */
    private static Map<String, String> corpus(String agent) {
        Map<String, String> ids = new HashMap<>();
        String[][] rows = {
                {"lisbon", "We booked a hotel in Lisbon for October.", "travel", "5", "u1"},
                {"sardines", "Grilled sardines are my favourite dinner.", "food", "3", "u1"},
                {"code", "The door code for the office is 4471.", "work", "4", "u2"},
                {"train", "The train from Lisbon to Porto takes three hours.", "travel", "2", "u2"},
                {"cat", "My cat Nori sleeps on the windowsill.", "pets", "1", "u1"}};
        for (String[] r : rows) {
            String id = asAgent(agent).body(Map.of("text", r[1], "userId", r[4], "metadata",
                            Map.of("topic", r[2], "stars", Integer.parseInt(r[3]), "tags", List.of(r[2], "t" + r[3]))))
                    .post("/api/memory").then().statusCode(200).extract().path("results[0].id");
            ids.put(r[0], id);
        }
        return ids;
    }

    private static JsonPath recall(String agent, Map<String, Object> body) {
        return asAgent(agent).body(body).post("/api/recall").then().statusCode(200).extract().jsonPath();
    }

    private static Set<String> ids(JsonPath p) {
        return Set.copyOf(p.getList("results.id", String.class));
    }

    private static Map<String, Object> q(String query, Object filter) {
        Map<String, Object> m = new HashMap<>();
        m.put("query", query);
        m.put("k", 10);
        if (filter != null) {
            m.put("filter", filter);
        }
        return m;
    }

    private static Map<String, Object> cond(String field, String op, Object value) {
        return Map.of("field", field, "op", op, "value", value);
    }

    @Test
    void semanticAndExactQueriesFindTheirMemory() {
        String a = Api.agent();
        Map<String, String> ids = corpus(a);
        assertEquals(ids.get("sardines"), recall(a, Map.of("query", "what fish does she like to eat?"))
                .getString("results[0].id"));
        assertEquals(ids.get("code"), recall(a, Map.of("query", "4471")).getString("results[0].id"));
        assertEquals(ids.get("cat"), recall(a, Map.of("query", "Where does the kitty nap?"))
                .getString("results[0].id"));
    }

    @Test
    void recallNeverCrossesAgents() {
        String a = Api.agent();
        String b = Api.agent();
        corpus(a);
        asAgent(b).body(Map.of("query", "Lisbon hotel")).post("/api/recall").then().statusCode(200)
                .body("results", hasSize(0));
        asAgent(b).body(Map.of("query", "Lisbon", "agentId", a)).post("/api/recall").then().statusCode(403);
        asOperator().body(Map.of("query", "Lisbon", "agentId", a)).post("/api/recall").then().statusCode(200)
                .body("results.size()", greaterThan(0));
    }

    @Test
    void userScopeNarrowsRecall() {
        String a = Api.agent();
        Map<String, String> ids = corpus(a);
        JsonPath p = recall(a, Map.of("query", "Lisbon", "userId", "u2", "k", 10));
        assertTrue(ids(p).contains(ids.get("train")));
        assertFalse(ids(p).contains(ids.get("lisbon")));
    }

    @Test
    void filterOperators() {
        String a = Api.agent();
        Map<String, String> ids = corpus(a);
        assertEquals(Set.of(ids.get("lisbon"), ids.get("train")),
                ids(recall(a, q("trip", cond("metadata.topic", "eq", "travel")))));
        assertFalse(ids(recall(a, q("trip", cond("metadata.topic", "ne", "travel")))).contains(ids.get("lisbon")));
        assertEquals(Set.of(ids.get("sardines"), ids.get("cat")),
                ids(recall(a, q("things", cond("metadata.topic", "in", List.of("food", "pets"))))));
        assertEquals(Set.of(ids.get("lisbon"), ids.get("code")),
                ids(recall(a, q("things", cond("metadata.stars", "range", Map.of("gte", 4))))));
        assertEquals(Set.of(ids.get("train")),
                ids(recall(a, q("things", cond("metadata.tags", "contains", "t2")))));
        assertEquals(Set.of(ids.get("code"), ids.get("train")),
                ids(recall(a, q("things", cond("userId", "eq", "u2")))));
        assertEquals(5, ids(recall(a, q("things", cond("createdAt", "range",
                Map.of("gte", "2000-01-01T00:00:00Z"))))).size());
    }

    @Test
    void filterAndOrNot() {
        String a = Api.agent();
        Map<String, String> ids = corpus(a);
        assertEquals(Set.of(ids.get("train")), ids(recall(a, q("x", Map.of("and", List.of(
                cond("metadata.topic", "eq", "travel"), cond("userId", "eq", "u2")))))));
        assertEquals(Set.of(ids.get("code"), ids.get("cat")), ids(recall(a, q("x", Map.of("or", List.of(
                cond("metadata.topic", "eq", "work"), cond("metadata.topic", "eq", "pets")))))));
        assertEquals(Set.of(ids.get("sardines"), ids.get("code"), ids.get("cat")),
                ids(recall(a, q("x", Map.of("not", cond("metadata.topic", "eq", "travel"))))));
    }

    @Test
    void aBadFilterIs400NamingTheField() {
        String a = Api.agent();
        bad(a, cond("colour", "eq", "red"), "filter.field");
        bad(a, cond("metadata.topic", "like", "x"), "filter.op");
        bad(a, cond("metadata.topic", "in", "notalist"), "filter.value");
        bad(a, cond("metadata.stars", "range", Map.of("around", 3)), "filter.value.around");
        bad(a, cond("metadata.stars", "range", Map.of("gte", "three")), "filter.value.gte");
        bad(a, cond("createdAt", "range", Map.of("gte", "yesterday")), "filter.value.gte");
        bad(a, Map.of("and", List.of(cond("metadata.a", "eq", 1), Map.of("field", "metadata.b", "op", "eq"))),
                "filter.and[1].value");
        bad(a, Map.of("or", List.of()), "filter.or");
        bad(a, Map.of("not", "x"), "filter.not");
        bad(a, Map.of("field", "metadata.a", "op", "eq", "value", 1, "extra", true), "filter.extra");
        asAgent(a).body(Map.of("query", "x", "k", 0)).post("/api/recall").then().statusCode(400)
                .body("errors[0].field", equalTo("k"));
        asAgent(a).body(Map.of("query", "x", "k", 500)).post("/api/recall").then().statusCode(400)
                .body("errors[0].field", equalTo("k"));
        asAgent(a).body(Map.of("query", " ")).post("/api/recall").then().statusCode(400)
                .body("errors[0].field", equalTo("query"));
        asAgent(a).body(Map.of("query", "x", "mode", "magic")).post("/api/recall").then().statusCode(400)
                .body("errors[0].field", equalTo("mode"));
    }

    private static void bad(String agent, Object filter, String field) {
        asAgent(agent).body(q("x", filter)).post("/api/recall").then().statusCode(400)
                .body("type", Api.problemType("validation")).body("errors[0].field", equalTo(field));
    }

    @Test
    void explainShowsEachSignal() {
        String a = Api.agent();
        Map<String, String> ids = corpus(a);
        JsonPath p = asAgent(a).body(Map.of("query", "Lisbon train", "explain", true)).post("/api/recall").then()
                .statusCode(200).body("mode", equalTo("hybrid")).body("fusion", equalTo("weighted"))
                .body("results[0].explain", hasKey("vector"))
                .body("results[0].explain", hasKey("keyword"))
                .body("results[0].explain.keyword.rank", notNullValue())
                .extract().jsonPath();
        assertEquals(ids.get("train"), p.getString("results[0].id"));
        Map<String, Map<String, Object>> explain = p.getMap("results[0].explain");
        double sum = explain.values().stream().mapToDouble(s -> ((Number) s.get("contribution")).doubleValue()).sum();
        assertEquals(p.getDouble("results[0].score"), sum, 1e-4, "the contributions add up to the score");
        asAgent(a).body(Map.of("query", "Lisbon train")).post("/api/recall").then()
                .body("results[0].explain", equalTo(null));
        asAgent(a).body(Map.of("query", "Lisbon train", "mode", "keyword")).post("/api/recall").then()
                .body("mode", equalTo("keyword")).body("results[0].id", equalTo(ids.get("train")));
    }

    @Test
    void invalidatedAndUpdatedMemoriesRecallTheirCurrentState() {
        String a = Api.agent();
        Map<String, String> ids = corpus(a);
        asAgent(a).delete("/api/memory/" + ids.get("cat")).then().statusCode(200);
        assertFalse(ids(recall(a, Map.of("query", "cat Nori windowsill"))).contains(ids.get("cat")));
        asAgent(a).body(Map.of("text", "The door code for the office changed to 9090.")).put("/api/memory/" + ids.get("code"))
                .then().statusCode(200);
        JsonPath p = recall(a, Map.of("query", "9090"));
        assertEquals(ids.get("code"), p.getString("results[0].id"));
        assertEquals("The door code for the office changed to 9090.", p.getString("results[0].text"));
    }

    @Test
    void graphNeighbourhoodFeedsRecall() {
        String a = Api.agent();
        String id = asAgent(a).body(Map.of("text", "Priya signed the contract yesterday.")).post("/api/memory").then()
                .statusCode(200).extract().path("results[0].id");
        asAgent(a).body(Map.of("text", "The weather was grey all week.")).post("/api/memory").then().statusCode(200);
        asAgent(a).body(Map.of("from", "Acme Corp", "type", "has_lawyer", "to", "Priya")).post("/api/memory/graph/relations")
                .then().statusCode(201);
        JsonPath p = asAgent(a).body(Map.of("query", "What happened with Acme Corp?", "explain", true))
                .post("/api/recall").then().statusCode(200).extract().jsonPath();
        assertEquals(id, p.getString("results[0].id"));
        assertTrue(p.getMap("results[0].explain").containsKey("graph"), "found through the graph");
    }

    @Test
    void neighbouringTurnsAreSurfaced() {
        String a = Api.agent();
        List<String> ids = Api.remember(a, Map.of("sessionId", "s1"),
                msg("user", "What should I pack for the hike on Saturday?"),
                msg("assistant", "Bring rain gear, two litres of water and a headlamp."),
                msg("user", "Thanks!"));
        JsonPath p = asAgent(a).body(Map.of("query", "packing list for the Saturday hike", "explain", true, "k", 3))
                .post("/api/recall").then().statusCode(200).extract().jsonPath();
        assertTrue(p.getList("results.id").contains(ids.get(1)));
    }

    @Test
    void proactiveSurfacesOnlyRelevantMemoriesWithinTheAgentsLimit() {
        String a = Api.agent();
        Map<String, String> ids = corpus(a);
        JsonPath p = asAgent(a).body(Map.of("context", "I'm about to book train tickets from Lisbon to Porto",
                "explain", true)).post("/api/recall/proactive").then().statusCode(200)
                .body("mode", equalTo("proactive")).extract().jsonPath();
        assertEquals(ids.get("train"), p.getString("results[0].id"));
        assertTrue(p.getList("results").size() <= 5);
        asAgent(a).body(Map.of("context", "quantum chromodynamics lattice gauge theory")).post("/api/recall/proactive")
                .then().statusCode(200).body("results", hasSize(0));
        asAgent(a).body(Map.of("context", " ")).post("/api/recall/proactive").then().statusCode(400)
                .body("errors[0].field", equalTo("context"));
    }

    @Test
    void perAgentProactiveLimitApplies() {
        String quiet = "agt-quiet";
        corpus(quiet);
        asAgent(quiet).body(Map.of("context", "Lisbon travel plans and trains")).post("/api/recall/proactive").then()
                .statusCode(200).body("results", hasSize(1));
    }
}
