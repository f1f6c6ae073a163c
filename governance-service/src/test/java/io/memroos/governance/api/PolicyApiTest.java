package io.memroos.governance.api;

import io.memroos.governance.domain.PolicyService;
import io.memroos.governance.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.memroos.governance.api.Api.asAgent;
import static io.memroos.governance.api.Api.asOperator;
import static io.memroos.governance.api.Api.asService;
import static io.memroos.governance.api.Api.decide;
import static io.memroos.governance.api.Api.decision;
import static io.memroos.governance.api.Api.problemType;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class PolicyApiTest {

    @AfterEach
    void restoreDefaults() {
        List<Map<String, String>> set = PolicyService.defaults().entrySet().stream()
                .map(e -> Map.of("id", e.getKey(), "text", e.getValue())).toList();
        asOperator().body(Map.of("policies", set, "comment", "test reset")).put("/api/policies").then().statusCode(200);
    }

    @Test
    void defaultSetHasTheGatewayActions() {
        asOperator().get("/api/policies").then().statusCode(200)
                .body("version", greaterThan(0))
                .body("policies.id", hasItem("operator-all"))
                .body("policies.id", hasItem("agent-own-resources"))
                .body("policies.find { it.id == 'operator-all' }.effect", equalTo("permit"));
    }

    @Test
    void operatorMayDoEverything() {
        for (String action : PolicyService.GATEWAY_ACTIONS) {
            asService().body(decision("operator", null, action, "agent", "a1", null)).post("/internal/decisions")
                    .then().statusCode(200)
                    .body("decision", equalTo("allow"))
                    .body("policies", hasItem("operator-all"))
                    .body("decisionId", notNullValue())
                    .body("policyVersion", greaterThan(0));
        }
    }

    @Test
    void agentActsOnItsOwnResourcesOnly() {
        String a = Api.agent();
        String b = Api.agent();
        assertEquals("allow", decide(decision("agent", a, "key.rotate", "agent", a, null)));
        assertEquals("allow", decide(decision("agent", a, "agent.update", "agent", a, null)));
        assertEquals("deny", decide(decision("agent", a, "key.rotate", "agent", b, null)));
        assertEquals("allow", decide(decision("agent", a, "memory.read.cross-scope", "memory-scope", "s1", a)));
        assertEquals("deny", decide(decision("agent", a, "memory.read.cross-scope", "memory-scope", "s1", b)));
        // owned, but forbidden to agents by the default set
        asService().body(decision("agent", a, "agent.delete", "agent", a, null)).post("/internal/decisions")
                .then().statusCode(200).body("decision", equalTo("deny"))
                .body("policies", equalTo(List.of("agent-no-self-management")));
        // no policy permits: deny with no policy named
        asService().body(decision("agent", a, "audit.export", "audit", "all", null)).post("/internal/decisions")
                .then().statusCode(200).body("decision", equalTo("deny"));
        assertEquals("allow", decide(decision("service", "registry-service", "agent.create", "agent", a, null)));
        assertEquals("deny", decide(decision("service", "registry-service", "policy.change", "policy-set", "all", null)));
    }

    @Test
    void customPolicyChangesDecisionsAndTheCacheFollows() {
        String a = Api.agent();
        Map<String, Object> ask = decision("agent", a, "evidence.export", "evidence-bundle", "x", null);
        assertEquals("deny", decide(ask));
        assertEquals("deny", decide(ask)); // now cached
        long before = ((Number) asService().get("/internal/policies/version").then().statusCode(200).extract()
                .path("version")).longValue();
        String text = "@id(\"auditors-export\")\npermit (principal is Agent, action == Action::\"evidence.export\", "
                + "resource is EvidenceBundle)\nwhen { context has purpose && context.purpose like \"audit*\" };";
        asOperator().body(Map.of("text", text, "comment", "auditors")).put("/api/policies/auditors-export")
                .then().statusCode(200).body("version", equalTo((int) before + 1))
                .body("policies.id", hasItem("auditors-export"));
        assertEquals(before + 1, ((Number) asService().get("/internal/policies/version").then().extract()
                .path("version")).longValue());
        assertEquals("deny", decide(ask), "no purpose: the condition is false");
        Map<String, Object> withPurpose = new java.util.HashMap<>(ask);
        withPurpose.put("purpose", "audit of november");
        asService().body(withPurpose).post("/internal/decisions").then().statusCode(200)
                .body("decision", equalTo("allow")).body("policies", equalTo(List.of("auditors-export")))
                .body("cached", equalTo(false));
        asService().body(withPurpose).post("/internal/decisions").then().statusCode(200)
                .body("decision", equalTo("allow")).body("cached", equalTo(true));
        // a forbid wins over the permit
        asOperator().body(Map.of("text", "@id(\"no-exports\") forbid (principal, action == Action::\"evidence.export\", resource);"))
                .put("/api/policies/no-exports").then().statusCode(200);
        asService().body(withPurpose).post("/internal/decisions").then().statusCode(200)
                .body("decision", equalTo("deny")).body("policies", equalTo(List.of("no-exports")));
    }

    @Test
    void invalidPolicyIsRefusedWithTheParsersMessage() {
        long version = ((Number) asOperator().get("/api/policies").then().extract().path("version")).longValue();
        asOperator().body(Map.of("text", "permit (principal, action, resource) when { principal.name == };"))
                .put("/api/policies/broken").then().statusCode(400)
                .body("type", problemType("validation"))
                .body("errors[0].field", equalTo("policies.broken"))
                .body("detail", containsString("line 1, column 63"))
                .body("detail", containsString("unexpected token `}`"));
        asOperator().body(Map.of("policies", List.of(Map.of("id", "p1", "text", "permit (principal, action resource);"))))
                .post("/api/policies/validate").then().statusCode(200)
                .body("valid", equalTo(false))
                .body("errors[0].policy", equalTo("p1"))
                .body("errors[0].message", containsString("unexpected token `resource`"))
                .body("errors[0].line", equalTo(1)).body("errors[0].column", equalTo(27));
        asOperator().body(Map.of("text", "@id(\"ok\") permit (principal, action, resource);"))
                .post("/api/policies/validate").then().statusCode(200).body("valid", equalTo(true));
        assertEquals(version, ((Number) asOperator().get("/api/policies").then().extract().path("version")).longValue(),
                "validation and refusals never save");
        asOperator().body(Map.of("text", "@id(\"other\") permit (principal, action, resource);"))
                .put("/api/policies/mismatch").then().statusCode(400).body("detail", containsString("differs from the id"));
        asOperator().body(Map.of("policies", List.of())).put("/api/policies").then().statusCode(400)
                .body("errors[0].field", equalTo("policies"));
        asOperator().body(Map.of("policies", List.of(Map.of("id", "x", "text", "permit (principal, action, resource);")),
                "bogus", 1)).put("/api/policies").then().statusCode(400).body("errors[0].field", equalTo("bogus"));
    }

    @Test
    void versionsAreKeptAndRestorable() {
        long v0 = ((Number) asOperator().get("/api/policies").then().extract().path("version")).longValue();
        asOperator().body(Map.of("text", "@id(\"temp\") permit (principal, action == Action::\"x\", resource);"))
                .put("/api/policies/temp").then().statusCode(200);
        asOperator().delete("/api/policies/temp").then().statusCode(200).body("version", equalTo((int) v0 + 2));
        asOperator().get("/api/policies/versions").then().statusCode(200)
                .body("items[0].version", equalTo((int) v0 + 2))
                .body("items[1].policies", hasItem("temp"));
        asOperator().get("/api/policies/versions/" + (v0 + 1)).then().statusCode(200)
                .body("policies.id", hasItem("temp"));
        asOperator().post("/api/policies/versions/" + (v0 + 1) + "/restore").then().statusCode(200)
                .body("version", equalTo((int) v0 + 3))
                .body("comment", equalTo("restored version " + (v0 + 1)))
                .body("policies.id", hasItem("temp"));
        asOperator().get("/api/policies/versions/999999").then().statusCode(404).body("type", problemType("not-found"));
        asOperator().get("/api/policies/versions?limit=1").then().statusCode(200)
                .body("items", hasSize(1)).body("nextCursor", notNullValue());
        // every change is audited
        asOperator().queryParam("type", "policy.changed").queryParam("limit", 500).get("/api/audit").then()
                .statusCode(200).body("items.size()", greaterThan(2));
    }

    @Test
    void onlyTheOperatorManagesPolicies() {
        asAgent("a1").get("/api/policies").then().statusCode(403).body("type", problemType("forbidden"));
        asService().get("/api/policies").then().statusCode(403);
        asAgent("a1").body(decision("agent", "a1", "key.rotate", "agent", "a1", null)).post("/internal/decisions")
                .then().statusCode(403);
        RestAssured.given().get("/api/policies").then().statusCode(401).body("type", problemType("unauthorized"));
        Api.as(TestTokens.otherKeyOperator()).get("/api/policies").then().statusCode(401);
        Api.as(TestTokens.expiredOperator()).get("/internal/policies/version").then().statusCode(401);
    }

    @Test
    void decisionRequestsAreValidated() {
        asService().body(Map.of("action", "x", "asset", Map.of("type", "a", "id", "b"))).post("/internal/decisions")
                .then().statusCode(400).body("errors[0].field", equalTo("actor"));
        asService().body(decision("robot", "r", "x", "a", "b", null)).post("/internal/decisions")
                .then().statusCode(400).body("errors[0].field", equalTo("actor.type"));
        Map<String, Object> bad = decision("agent", "a", "x", "a", "b", null);
        ((Map<String, Object>) bad.get("asset")).put("label", "top-secret");
        asService().body(bad).post("/internal/decisions").then().statusCode(400)
                .body("errors[0].field", equalTo("asset.label"));
        asService().body("{").post("/internal/decisions").then().statusCode(400);
    }

    @Test
    void operatorDecideRouteAndDecisionsAreRecorded() {
        String a = Api.agent();
        String id = asOperator().body(decision("agent", a, "key.create", "agent", a, null)).post("/api/policies/decide")
                .then().statusCode(200).body("decision", equalTo("allow")).extract().path("decisionId");
        // the record is written off the caller's path: wait for it
        long deadline = System.currentTimeMillis() + 5000;
        boolean found = false;
        while (!found && System.currentTimeMillis() < deadline) {
            List<String> ids = asOperator().queryParam("type", "policy.decision").queryParam("agentId", a)
                    .get("/api/audit").then().statusCode(200).extract().path("items.id");
            found = ids.contains(id);
        }
        assertTrue(found, "decision " + id + " is in the audit log");
        assertNotEquals(null, id);
    }
}
