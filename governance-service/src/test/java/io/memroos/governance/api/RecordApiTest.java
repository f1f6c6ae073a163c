package io.memroos.governance.api;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static io.memroos.governance.api.Api.asAgent;
import static io.memroos.governance.api.Api.asOperator;
import static io.memroos.governance.api.Api.asService;
import static io.memroos.governance.api.Api.problemType;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
class RecordApiTest {

    static final String DIGEST = "a".repeat(64);

    static Map<String, Object> toolCall(String tool, String outcome) {
        Map<String, Object> m = new HashMap<>();
        m.put("tool", tool);
        m.put("argsDigest", DIGEST);
        m.put("durationMs", 12);
        m.put("outcome", outcome);
        m.put("taskId", "t1");
        return m;
    }

    static Map<String, Object> usage(String model, int in, int out, double cost) {
        return new HashMap<>(Map.of("model", model, "provider", "local", "inputTokens", in, "outputTokens", out,
                "latencyMs", 100, "cost", cost));
    }

    @Test
    void agentWritesAndReadsOnlyItsOwnReceipts() {
        String a = Api.agent();
        String b = Api.agent();
        asAgent(a).body(toolCall("search", "ok")).post("/api/tool-attention").then().statusCode(201)
                .body("agentId", equalTo(a)).body("kind", equalTo("tool-attention"))
                .body("eventSeq", greaterThan(0)).body("record.argsDigest", equalTo(DIGEST));
        asAgent(b).body(toolCall("fetch", "error")).post("/api/tool-attention").then().statusCode(201);
        asAgent(a).get("/api/tool-attention").then().statusCode(200).body("items", hasSize(1))
                .body("items[0].record.tool", equalTo("search"));
        asAgent(b).get("/api/tool-attention").then().statusCode(200).body("items", hasSize(1))
                .body("items.agentId", not(hasItem(a)));
        asAgent(b).queryParam("agentId", a).get("/api/tool-attention").then().statusCode(403)
                .body("type", problemType("forbidden"));
        Map<String, Object> asOther = toolCall("x", "ok");
        asOther.put("agentId", a);
        asAgent(b).body(asOther).post("/api/tool-attention").then().statusCode(403);
        asOperator().queryParam("agentId", a).get("/api/tool-attention").then().statusCode(200).body("items", hasSize(1));
        asOperator().get("/api/tool-attention").then().statusCode(200).body("items.agentId", hasItem(a))
                .body("items.agentId", hasItem(b));
        asService().get("/api/tool-attention").then().statusCode(403);
        // every write is an audit event
        asOperator().queryParam("type", "tool.call").queryParam("agentId", a).get("/api/audit").then().statusCode(200)
                .body("items", hasSize(1)).body("items[0].actor", equalTo("agent:" + a));
    }

    @Test
    void receiptsAreValidated() {
        String a = Api.agent();
        Map<String, Object> raw = toolCall("search", "ok");
        raw.put("arguments", Map.of("q", "secret"));
        asAgent(a).body(raw).post("/api/tool-attention").then().statusCode(400)
                .body("errors[0].field", equalTo("arguments"));
        Map<String, Object> badDigest = toolCall("search", "ok");
        badDigest.put("argsDigest", "not-a-digest");
        asAgent(a).body(badDigest).post("/api/tool-attention").then().statusCode(400)
                .body("errors[0].field", equalTo("argsDigest"));
        asAgent(a).body(toolCall("search", "maybe")).post("/api/tool-attention").then().statusCode(400)
                .body("errors[0].field", equalTo("outcome"));
        Map<String, Object> noTokens = usage("m", 1, 1, 0);
        noTokens.remove("inputTokens");
        asAgent(a).body(noTokens).post("/api/model-usage").then().statusCode(400)
                .body("errors[0].field", equalTo("inputTokens"));
        asOperator().body(toolCall("search", "ok")).post("/api/tool-attention").then().statusCode(400)
                .body("errors[0].field", equalTo("agentId"));
        asOperator().queryParam("limit", 0).get("/api/model-usage").then().statusCode(400)
                .body("errors[0].field", equalTo("limit"));
    }

    @Test
    void usageAggregatesPerDayAgentAndModel() {
        String a = Api.agent();
        String b = Api.agent();
        asAgent(a).body(usage("m-large", 100, 50, 0.25)).post("/api/model-usage").then().statusCode(201);
        asAgent(a).body(usage("m-large", 10, 5, 0.25)).post("/api/model-usage").then().statusCode(201);
        asAgent(a).body(usage("m-small", 1, 1, 0.01)).post("/api/model-usage").then().statusCode(201);
        Map<String, Object> old = usage("m-small", 7, 7, 1);
        old.put("at", "2026-01-02T03:04:05Z");
        asAgent(b).body(old).post("/api/model-usage").then().statusCode(201);
        asAgent(a).body(Map.of("model", "m-large", "reason", "long context", "candidates", java.util.List.of("m-small")))
                .post("/api/model-routing").then().statusCode(201);
        asAgent(a).body(Map.of("event", "cache-hit", "value", 3)).post("/api/efficiency").then().statusCode(201);
        asOperator().queryParam("by", "agent,model").queryParam("agentId", a).get("/api/model-usage/aggregate").then()
                .statusCode(200).body("by", equalTo(java.util.List.of("agent", "model")))
                .body("items", hasSize(2))
                .body("items[0].group.model", equalTo("m-large"))
                .body("items[0].count", equalTo(2))
                .body("items[0].inputTokens", equalTo(110))
                .body("items[0].outputTokens", equalTo(55))
                .body("items[0].cost", equalTo(0.5f));
        asOperator().queryParam("by", "day").queryParam("agentId", b).get("/api/model-usage/aggregate").then()
                .statusCode(200).body("items", hasSize(1)).body("items[0].group.day", equalTo("2026-01-02"));
        asOperator().queryParam("by", "day,agent,model").queryParam("from", "2026-01-01").queryParam("to", "2026-01-03")
                .get("/api/model-usage/aggregate").then().statusCode(200).body("items.group.agent", hasItem(b));
        asAgent(a).queryParam("by", "model").get("/api/model-usage/aggregate").then().statusCode(200)
                .body("items", hasSize(2));
        asAgent(a).queryParam("by", "model").queryParam("agentId", b).get("/api/model-usage/aggregate").then()
                .statusCode(403);
        asOperator().queryParam("by", "color").get("/api/model-usage/aggregate").then().statusCode(400)
                .body("errors[0].field", equalTo("by"));
        asAgent(a).get("/api/model-routing").then().statusCode(200).body("items", hasSize(1))
                .body("items[0].record.reason", equalTo("long context"));
        asAgent(a).get("/api/efficiency").then().statusCode(200).body("items[0].record.event", equalTo("cache-hit"))
                .body("items[0].id", notNullValue());
    }
}
