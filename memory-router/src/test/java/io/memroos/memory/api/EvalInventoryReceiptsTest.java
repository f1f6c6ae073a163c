package io.memroos.memory.api;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;

import static io.memroos.memory.api.Api.asAgent;
import static io.memroos.memory.api.Api.asOperator;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class EvalInventoryReceiptsTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void theShippedSetIsEvaluatedInAThrowawayScope() {
        JsonPath r = asOperator().body(Map.of("set", "memroos-conversations")).post("/api/memory/evals").then()
                .statusCode(200).body("set", equalTo("memroos-conversations")).body("documents", equalTo(240))
                .body("queries", greaterThan(80))
                .body("modes", hasKey("vector")).body("modes", hasKey("keyword")).body("modes", hasKey("hybrid"))
                .body("modes", hasKey("rrf60"))
                .body("modes.hybrid.'recall@5'", notNullValue()).body("modes.hybrid.mrr", notNullValue())
                .body("modes.hybrid.'ndcg@10'", notNullValue()).body("modes.hybrid.latencyMs.p95", notNullValue())
                .body("modes.hybrid.splits", hasKey("heldout"))
                .extract().jsonPath();
        double hybrid = r.getDouble("modes.hybrid.'recall@5'");
        double vector = r.getDouble("modes.vector.'recall@5'");
        double keyword = r.getDouble("modes.keyword.'recall@5'");
        assertTrue(hybrid >= Math.max(vector, keyword), "hybrid " + hybrid + " vs " + vector + "/" + keyword);
        // the throwaway scope is gone
        asOperator().get("/api/memory-inventory").then().statusCode(200)
                .body("scopes.findAll { it.agentId.startsWith('eval-') }.size()", equalTo(0));
    }

    @Test
    void anInlineSetAndItsErrors() {
        String jsonl = String.join("\n",
                "{\"type\":\"doc\",\"id\":\"a\",\"text\":\"The red kettle is in the cupboard.\"}",
                "{\"type\":\"doc\",\"id\":\"b\",\"text\":\"Invoice 5531 was paid on Monday.\"}",
                "{\"type\":\"query\",\"id\":\"q1\",\"query\":\"invoice 5531\",\"relevant\":[\"b\"]}");
        asOperator().body(Map.of("jsonl", jsonl)).post("/api/memory/evals").then().statusCode(200)
                .body("documents", equalTo(2)).body("modes.keyword.'recall@1'", equalTo(1.0f));
        asOperator().contentType("application/x-ndjson").body(jsonl.getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/api/memory/evals").then().statusCode(200)
                .body("set", equalTo("upload"));
        asOperator().body(Map.of("jsonl", "{\"type\":\"query\",\"id\":\"q\",\"query\":\"x\",\"relevant\":[\"zz\"]}"))
                .post("/api/memory/evals").then().statusCode(400);
        asOperator().body(Map.of("jsonl", "not json")).post("/api/memory/evals").then().statusCode(400)
                .body("errors[0].field", equalTo("line 1"));
        asOperator().body(Map.of("set", "nope")).post("/api/memory/evals").then().statusCode(400)
                .body("errors[0].field", equalTo("set"));
        asAgent(Api.agent()).body(Map.of("set", "memroos-conversations")).post("/api/memory/evals").then()
                .statusCode(403);
    }

    @Test
    void inventoryCountsPerScopeAndKindWithIndexHealth() {
        String a = Api.agent();
        Api.remember(a, Map.of("userId", "u1"), Api.msg("user", "first thing"), Api.msg("user", "second thing"));
        String gone = Api.rememberText(a, "third thing");
        asAgent(a).delete("/api/memory/" + gone).then().statusCode(200);
        asAgent(a).body(Map.of("name", "Kettle")).post("/api/memory/graph/entities").then().statusCode(200);
        JsonPath p = asAgent(a).get("/api/memory-inventory").then().statusCode(200)
                .body("index.model", equalTo("all-minilm-l6-v2-q")).body("index.dimension", equalTo(384))
                .body("activeMemories", equalTo(2))
                .body("scopes.kind", hasItem("episode")).body("scopes.kind", hasItem("entity"))
                .body("scopes.kind", hasItem("fact.invalidated"))
                .extract().jsonPath();
        List<Map<String, Object>> scopes = p.getList("scopes");
        assertTrue(scopes.stream().allMatch(s -> a.equals(s.get("agentId"))), "an agent sees only its own");
        Map<String, Object> facts = scopes.stream().filter(s -> "fact".equals(s.get("kind"))).findFirst().orElseThrow();
        assertEquals("u1", facts.get("userId"));
        assertTrue(((Number) facts.get("bytes")).longValue() > 0);
        asOperator().get("/api/memory-inventory").then().statusCode(200)
                .body("index.indexDocs", notNullValue()).body("index.activeRecords", notNullValue())
                .body("receipts.pending", notNullValue());
        asAgent(a).queryParam("agentId", Api.agent()).get("/api/memory-inventory").then().statusCode(403);
    }

    @Test
    void everyWriteAndRecallLeavesAReceiptInTheOutbox() throws Exception {
        String a = Api.agent();
        String id = Api.rememberText(a, "receipt me");
        asAgent(a).body(Map.of("text", "receipt me again")).put("/api/memory/" + id).then().statusCode(200);
        asAgent(a).body(Map.of("query", "receipt", "purpose", "answering a question")).post("/api/recall").then()
                .statusCode(200);
        asAgent(a).delete("/api/memory/" + id).then().statusCode(200);
        List<String> payloads = receipts(a);
        assertEquals(4, payloads.size(), payloads.toString());
        JsonPath write = JsonPath.from(payloads.get(0));
        assertEquals("memory.receipt", write.getString("type"));
        assertEquals("memory-router", write.getString("source"));
        assertEquals("agent:" + a, write.getString("actor"));
        assertEquals("write", write.getString("data.op"));
        assertEquals(a, write.getString("data.scope.agentId"));
        assertEquals(List.of(id), write.getList("data.ids"));
        JsonPath recall = JsonPath.from(payloads.get(2));
        assertEquals("recall", recall.getString("data.op"));
        assertEquals(List.of(id), recall.getList("data.ids"));
        assertEquals("answering a question", recall.getString("data.reason"));
    }

    private List<String> receipts(String agent) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT payload FROM outbox WHERE payload LIKE ? ORDER BY seq")) {
            st.setString(1, "%\"agentId\":\"" + agent + "\"%");
            List<String> out = new java.util.ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }
}
