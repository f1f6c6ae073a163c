package io.memroos.registry.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.memroos.registry.api.Api.as;
import static io.memroos.registry.api.Api.asOperator;
import static io.memroos.registry.api.Api.register;
import static io.memroos.registry.api.TestTokens.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The registry's internal agent routes for peer services. */
@QuarkusTest
class InternalAgentApiTest {

    @Test
    void aServiceReadsAgentsDeregisteredOnesIncluded() {
        String id = register("internal-" + unique());
        as(TestTokens.service()).get("/internal/agents/" + id).then().statusCode(200)
                .body("id", equalTo(id)).body("status", equalTo("active"));
        asOperator().delete("/api/agents/" + id).then().statusCode(204);
        as(TestTokens.service()).get("/internal/agents/" + id).then().statusCode(200)
                .body("status", equalTo("deregistered"));
        as(TestTokens.service()).get("/internal/agents/agt_nope").then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void aServiceListsActiveAgentsByCapabilityWithACursor() {
        String capability = "int-" + unique();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(register("int-list-" + i + "-" + unique(), capability));
        }
        asOperator().delete("/api/agents/" + ids.get(2)).then().statusCode(204);
        var first = as(TestTokens.service()).queryParam("capability", capability).queryParam("limit", 1)
                .get("/internal/agents").then().statusCode(200).extract().jsonPath();
        List<String> seen = new ArrayList<>(first.getList("items.id", String.class));
        var second = as(TestTokens.service()).queryParam("capability", capability).queryParam("limit", 1)
                .queryParam("cursor", first.getString("nextCursor")).get("/internal/agents")
                .then().statusCode(200).extract().jsonPath();
        seen.addAll(second.getList("items.id", String.class));
        assertEquals(ids.subList(0, 2).stream().sorted().toList(), seen);
        as(TestTokens.service()).queryParam("limit", 201).get("/internal/agents").then().statusCode(400)
                .body("errors[0].field", equalTo("limit"));
    }

    @Test
    void internalRoutesAreForServiceTokensOnly() {
        String id = register("int-auth-" + unique());
        asOperator().get("/internal/agents/" + id).then().statusCode(403);
        as(TestTokens.agent(id)).get("/internal/agents/" + id).then().statusCode(403);
        as(TestTokens.agent(id)).get("/internal/agents").then().statusCode(403);
        RestAssured.given().get("/internal/agents").then().statusCode(401);
    }
}
