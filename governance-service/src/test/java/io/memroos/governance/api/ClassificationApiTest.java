package io.memroos.governance.api;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.memroos.governance.api.Api.asAgent;
import static io.memroos.governance.api.Api.asOperator;
import static io.memroos.governance.api.Api.asService;
import static io.memroos.governance.api.Api.decision;
import static io.memroos.governance.api.Api.problemType;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
class ClassificationApiTest {

    static Map<String, Object> ref(String type, String id) {
        return Map.of("type", type, "id", id);
    }

    @Test
    void derivedAssetsInheritTheHighestLabelOfTheirSources() {
        String s = Api.agent();
        asOperator().get("/api/classification/labels").then().statusCode(200)
                .body("labels", equalTo(List.of("public", "internal", "confidential", "restricted")));
        asOperator().body(Map.of("label", "internal")).put("/api/classification/assets/memory/" + s + "-a").then()
                .statusCode(200).body("label", equalTo("internal")).body("explicitLabel", equalTo("internal"));
        asOperator().body(Map.of("label", "confidential")).put("/api/classification/assets/memory/" + s + "-b").then()
                .statusCode(200);
        // derived from a (internal) and b (confidential), explicitly public: confidential wins
        asOperator().body(Map.of("label", "public", "derivedFrom", List.of(ref("memory", s + "-a"), ref("memory", s + "-b"))))
                .put("/api/classification/assets/summary/" + s).then().statusCode(200)
                .body("label", equalTo("confidential")).body("explicitLabel", equalTo("public"))
                .body("derivedFrom", hasSize(2));
        // an explicit label above the sources stays
        asOperator().body(Map.of("label", "restricted", "derivedFrom", List.of(ref("memory", s + "-a"))))
                .put("/api/classification/assets/report/" + s).then().statusCode(200).body("label", equalTo("restricted"));
        // a second-level derivation without its own label
        asOperator().body(Map.of("derivedFrom", List.of(ref("summary", s))))
                .put("/api/classification/assets/digest/" + s).then().statusCode(200)
                .body("label", equalTo("confidential")).body("explicitLabel", nullValue());
        // raising a source carries through both levels
        asOperator().body(Map.of("label", "restricted")).put("/api/classification/assets/memory/" + s + "-a").then()
                .statusCode(200);
        asOperator().get("/api/classification/assets/summary/" + s).then().statusCode(200).body("label", equalTo("restricted"));
        asOperator().get("/api/classification/assets/digest/" + s).then().statusCode(200).body("label", equalTo("restricted"));
        asOperator().queryParam("label", "restricted").queryParam("limit", 500).get("/api/classification/assets").then()
                .statusCode(200).body("items.id", hasItem(s));
        asOperator().get("/api/classification/assets/summary/nothing-" + s).then().statusCode(404);
    }

    @Test
    void labelsAreValidatedAndOperatorOnly() {
        asOperator().body(Map.of("label", "secret")).put("/api/classification/assets/memory/x").then().statusCode(400)
                .body("errors[0].field", equalTo("label"));
        asOperator().body(Map.of()).put("/api/classification/assets/memory/x").then().statusCode(400)
                .body("errors[0].field", equalTo("label"));
        asOperator().body(Map.of("derivedFrom", List.of(ref("memory", "x")))).put("/api/classification/assets/memory/x")
                .then().statusCode(400).body("errors[0].field", equalTo("derivedFrom[0]"));
        asAgent("a1").body(Map.of("label", "public")).put("/api/classification/assets/memory/x").then().statusCode(403)
                .body("type", problemType("forbidden"));
    }

    @Test
    void theLabelFeedsDecisions() {
        String a = Api.agent();
        Map<String, Object> ask = decision("agent", a, "memory.read.cross-scope", "memory-scope", "scope-" + a, a);
        asService().body(ask).post("/internal/decisions").then().statusCode(200).body("decision", equalTo("allow"));
        asOperator().body(Map.of("label", "restricted")).put("/api/classification/assets/memory-scope/scope-" + a)
                .then().statusCode(200);
        asService().body(ask).post("/internal/decisions").then().statusCode(200)
                .body("decision", equalTo("deny")).body("label", equalTo("restricted"))
                .body("policies", equalTo(List.of("restricted-cross-scope")));
    }
}
