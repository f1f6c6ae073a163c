package io.memroos.registry.api;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.memroos.registry.api.Api.as;
import static io.memroos.registry.api.Api.asOperator;
import static io.memroos.registry.api.Api.problemType;
import static io.memroos.registry.api.Api.register;
import static io.memroos.registry.api.Api.registration;
import static io.memroos.registry.api.TestTokens.unique;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@QuarkusTestResource(CardServer.class)
class AgentApiTest {

    @Test
    void registersAndReadsAnAgent() {
        String name = "alpha-" + unique();
        String id = asOperator().body(registration(name, List.of("search", "summarise")))
                .post("/api/agents")
                .then().statusCode(201)
                .header("Location", containsString("/api/agents/agt_"))
                .body("id", startsWith("agt_"))
                .body("name", equalTo(name))
                .body("owner", equalTo("team-test"))
                .body("capabilities", equalTo(List.of("search", "summarise")))
                .body("skills[0].id", equalTo("sum"))
                .body("skills[0].tags", equalTo(List.of("text")))
                .body("endpoint.kind", equalTo("rest"))
                .body("endpoint.url", equalTo("http://127.0.0.1:9999/agent"))
                .body("status", equalTo("active"))
                .body("liveness", equalTo("offline"))
                .body("source", equalTo("registered"))
                .body("cardUrl", nullValue())
                .body("lastHeartbeatAt", nullValue())
                .body("createdAt", notNullValue())
                .extract().path("id");
        asOperator().get("/api/agents/" + id).then().statusCode(200).body("name", equalTo(name));
    }

    @Test
    void refusesInvalidRegistrationsNamingTheField() {
        Map<String, Object> noName = new HashMap<>(registration("x", List.of()));
        noName.remove("name");
        asOperator().body(noName).post("/api/agents").then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", problemType("validation"))
                .body("detail", equalTo("name: must not be blank"))
                .body("errors[0].field", equalTo("name"));

        Map<String, Object> badKind = new HashMap<>(registration("k-" + unique(), List.of()));
        badKind.put("endpoint", Map.of("kind", "smtp", "url", "http://x.example"));
        asOperator().body(badKind).post("/api/agents").then().statusCode(400)
                .body("errors[0].field", equalTo("endpoint.kind"));

        Map<String, Object> badUrl = new HashMap<>(registration("u-" + unique(), List.of()));
        badUrl.put("endpoint", Map.of("kind", "a2a", "url", "ftp://x.example"));
        asOperator().body(badUrl).post("/api/agents").then().statusCode(400)
                .body("errors[0].field", equalTo("endpoint.url"));

        Map<String, Object> badSkill = new HashMap<>(registration("s-" + unique(), List.of()));
        badSkill.put("skills", List.of(Map.of("id", " ", "name", "n")));
        asOperator().body(badSkill).post("/api/agents").then().statusCode(400)
                .body("errors[0].field", equalTo("skills[0].id"));

        Map<String, Object> noEndpoint = new HashMap<>(registration("e-" + unique(), List.of()));
        noEndpoint.remove("endpoint");
        asOperator().body(noEndpoint).post("/api/agents").then().statusCode(400)
                .body("errors[0].field", equalTo("endpoint"));
    }

    @Test
    void refusesUnknownPropertiesWrongTypesAndMalformedJson() {
        Map<String, Object> extra = new HashMap<>(registration("x-" + unique(), List.of()));
        extra.put("bogus", 1);
        asOperator().body(extra).post("/api/agents").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("bogus"))
                .body("detail", containsString("bogus"));

        Map<String, Object> wrongType = new HashMap<>(registration("y-" + unique(), List.of()));
        wrongType.put("capabilities", Map.of("a", 1));
        asOperator().body(wrongType).post("/api/agents").then().statusCode(400)
                .body("errors[0].field", equalTo("capabilities"));

        asOperator().body("{\"name\": ").post("/api/agents").then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", problemType("malformed-json"))
                .body("detail", not(containsString("Exception")));

        asOperator().post("/api/agents").then().statusCode(400)
                .body("errors[0].field", equalTo("body"));
    }

    @Test
    void refusesADuplicateActiveName() {
        String name = "dup-" + unique();
        register(name);
        asOperator().body(registration(name, List.of())).post("/api/agents").then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", problemType("conflict"));
    }

    @Test
    void unknownAgentIs404() {
        asOperator().get("/api/agents/agt_nope").then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", problemType("not-found"))
                .body("instance", equalTo("/api/agents/agt_nope"));
        asOperator().body(Map.of("description", "x")).patch("/api/agents/agt_nope").then().statusCode(404);
        asOperator().delete("/api/agents/agt_nope").then().statusCode(404);
    }

    @Test
    void patchChangesOnlyWhatIsGiven() {
        String name = "patch-" + unique();
        String id = register(name, "one");
        asOperator().body(Map.of("description", "changed", "capabilities", List.of("two")))
                .patch("/api/agents/" + id)
                .then().statusCode(200)
                .body("description", equalTo("changed"))
                .body("capabilities", equalTo(List.of("two")))
                .body("name", equalTo(name))
                .body("endpoint.url", equalTo("http://127.0.0.1:9999/agent"));
        asOperator().body(Map.of("endpoint", Map.of("kind", "a2a", "url", "nope")))
                .patch("/api/agents/" + id)
                .then().statusCode(400).body("errors[0].field", equalTo("endpoint.url"));
        asOperator().body(Map.of("name", "")).patch("/api/agents/" + id)
                .then().statusCode(400).body("errors[0].field", equalTo("name"));
        asOperator().body(Map.of("nickname", "x")).patch("/api/agents/" + id)
                .then().statusCode(400).body("errors[0].field", equalTo("nickname"));
    }

    @Test
    void anAgentMayReadAndUpdateOnlyItself() {
        String me = register("me-" + unique());
        String other = register("other-" + unique());
        String token = TestTokens.agent(me);
        as(token).get("/api/agents/" + me).then().statusCode(200).body("id", equalTo(me));
        as(token).body(Map.of("description", "mine")).patch("/api/agents/" + me)
                .then().statusCode(200).body("description", equalTo("mine"));

        as(token).get("/api/agents/" + other).then().statusCode(403)
                .contentType("application/problem+json").body("type", problemType("forbidden"));
        as(token).body(Map.of("description", "theirs")).patch("/api/agents/" + other).then().statusCode(403);
        as(token).get("/api/agents").then().statusCode(403);
        as(token).body(registration("sneaky-" + unique(), List.of())).post("/api/agents").then().statusCode(403);
        as(token).delete("/api/agents/" + me).then().statusCode(403);
        // a 403 for another agent does not reveal whether it exists
        as(token).get("/api/agents/agt_missing").then().statusCode(403);
    }

    @Test
    void serviceTokensReachOnlyInternalRoutes() {
        String id = register("svc-" + unique());
        as(TestTokens.service()).get("/api/agents/" + id).then().statusCode(403);
        as(TestTokens.service()).get("/api/agents").then().statusCode(403);
    }

    @Test
    void listsWithCursorPaginationAndCapabilityFilter() {
        String capability = "cap-" + unique();
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(register("page-" + i + "-" + unique(), capability));
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var spec = asOperator().queryParam("capability", capability).queryParam("limit", 2);
            if (cursor != null) {
                spec.queryParam("cursor", cursor);
            }
            var body = spec.get("/api/agents").then().statusCode(200).extract().jsonPath();
            seen.addAll(body.getList("items.id", String.class));
            cursor = body.getString("nextCursor");
            pages++;
        } while (cursor != null);
        assertEquals(3, pages);
        assertEquals(created.stream().sorted().toList(), seen);

        asOperator().queryParam("capability", "cap-none-" + unique()).get("/api/agents")
                .then().statusCode(200).body("items", empty()).body("nextCursor", nullValue());
    }

    @Test
    void listRefusesBadParameters() {
        asOperator().queryParam("limit", 201).get("/api/agents").then().statusCode(400)
                .body("errors[0].field", equalTo("limit"));
        asOperator().queryParam("limit", 0).get("/api/agents").then().statusCode(400)
                .body("errors[0].field", equalTo("limit"));
        asOperator().queryParam("limit", "many").get("/api/agents").then().statusCode(400)
                .body("errors[0].field", equalTo("limit"));
        asOperator().queryParam("limit", 200).get("/api/agents").then().statusCode(200);
        asOperator().queryParam("cursor", "!!!").get("/api/agents").then().statusCode(400)
                .body("errors[0].field", equalTo("cursor"));
        asOperator().queryParam("status", "sleepy").get("/api/agents").then().statusCode(400)
                .body("errors[0].field", equalTo("status"));
        asOperator().queryParam("includeDeregistered", "maybe").get("/api/agents").then().statusCode(400)
                .body("errors[0].field", equalTo("includeDeregistered"));
    }

    @Test
    void deregistrationIsSoft() {
        String capability = "gone-" + unique();
        String id = register("bye-" + unique(), capability);
        asOperator().delete("/api/agents/" + id).then().statusCode(204);
        asOperator().delete("/api/agents/" + id).then().statusCode(204);
        asOperator().get("/api/agents/" + id).then().statusCode(200).body("status", equalTo("deregistered"));
        asOperator().queryParam("capability", capability).get("/api/agents")
                .then().statusCode(200).body("items", empty());
        asOperator().queryParam("capability", capability).queryParam("includeDeregistered", true).get("/api/agents")
                .then().statusCode(200).body("items.id", hasItem(id));
        asOperator().body(Map.of("description", "late")).patch("/api/agents/" + id).then().statusCode(409);
    }

    @Test
    void listFiltersByLiveness() {
        String capability = "live-" + unique();
        String beating = register("beating-" + unique(), capability);
        String silent = register("silent-" + unique(), capability);
        as(TestTokens.agent(beating)).body(Map.of("status", "ok")).post("/api/heartbeat").then().statusCode(202);
        asOperator().queryParam("capability", capability).queryParam("status", "online").get("/api/agents")
                .then().statusCode(200).body("items.id", equalTo(List.of(beating)));
        asOperator().queryParam("capability", capability).queryParam("status", "offline").get("/api/agents")
                .then().statusCode(200).body("items.id", equalTo(List.of(silent)));
        asOperator().queryParam("capability", capability).queryParam("status", "stale").get("/api/agents")
                .then().statusCode(200).body("items", empty());
    }
}
