package io.memroos.memory.api;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.memroos.memory.api.Api.asAgent;
import static io.memroos.memory.api.Api.asOperator;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
class GraphApiTest {

    @Test
    void entitiesAndRelationsWithValidity() {
        String a = Api.agent();
        String tom = asAgent(a).body(Map.of("name", "Tom", "type", "person", "userId", "u1"))
                .post("/api/memory/graph/entities").then().statusCode(200).body("agentId", equalTo(a))
                .extract().path("id");
        asAgent(a).body(Map.of("name", "tom", "userId", "u1", "properties", Map.of("age", 41)))
                .post("/api/memory/graph/entities").then().statusCode(200).body("id", equalTo(tom))
                .body("type", equalTo("person")).body("properties.age", equalTo(41));
        String lyon = asAgent(a).body(Map.of("fromId", tom, "type", "lived_in", "to", "Lyon", "userId", "u1",
                        "validFrom", "2020-01-01T00:00:00Z", "validTo", "2025-06-01T00:00:00Z"))
                .post("/api/memory/graph/relations").then().statusCode(201).body("recordedAt", notNullValue())
                .extract().path("id");
        String paris = asAgent(a).body(Map.of("fromId", tom, "type", "lives_in", "to", "Paris", "userId", "u1",
                        "validFrom", "2025-06-01T00:00:00Z"))
                .post("/api/memory/graph/relations").then().statusCode(201).extract().path("id");
        asAgent(a).queryParam("entityId", tom).queryParam("userId", "u1").get("/api/memory/graph/neighbourhood").then()
                .statusCode(200).body("entities.name", containsInAnyOrder("Tom", "Paris"))
                .body("relations", hasSize(1)).body("relations[0].id", equalTo(paris));
        asAgent(a).queryParam("name", "Tom").queryParam("userId", "u1").queryParam("asOf", "2022-03-01T00:00:00Z")
                .get("/api/memory/graph/neighbourhood").then().statusCode(200)
                .body("entities.name", containsInAnyOrder("Tom", "Lyon")).body("relations[0].id", equalTo(lyon));
        asAgent(a).delete("/api/memory/graph/relations/" + paris).then().statusCode(200)
                .body("invalidatedAt", notNullValue()).body("validTo", notNullValue());
        asAgent(a).queryParam("entityId", tom).queryParam("userId", "u1").get("/api/memory/graph/relations").then()
                .body("items", hasSize(0));
        asAgent(a).queryParam("entityId", tom).queryParam("userId", "u1").queryParam("all", true)
                .get("/api/memory/graph/relations").then().body("items", hasSize(2));
        asAgent(a).queryParam("userId", "u1").queryParam("prefix", "pa").get("/api/memory/graph/entities").then()
                .body("items.name", containsInAnyOrder("Paris"));
    }

    @Test
    void graphSearchNeverLeaksAcrossAgents() {
        String a = Api.agent();
        String b = Api.agent();
        String ea = asAgent(a).body(Map.of("name", "Secret Project")).post("/api/memory/graph/entities").then()
                .statusCode(200).extract().path("id");
        String rel = asAgent(a).body(Map.of("fromId", ea, "type", "owned_by", "to", "Alice"))
                .post("/api/memory/graph/relations").then().statusCode(201).extract().path("id");
        asAgent(b).get("/api/memory/graph/entities").then().statusCode(200).body("items", hasSize(0));
        asAgent(b).queryParam("entityId", ea).get("/api/memory/graph/neighbourhood").then().statusCode(404);
        asAgent(b).queryParam("name", "Secret Project").get("/api/memory/graph/neighbourhood").then().statusCode(404);
        asAgent(b).delete("/api/memory/graph/relations/" + rel).then().statusCode(404);
        asAgent(b).body(Map.of("fromId", ea, "type", "steals", "to", "Bob")).post("/api/memory/graph/relations").then()
                .statusCode(400).body("errors[0].field", equalTo("fromId"));
        asAgent(b).queryParam("entityId", ea).get("/api/memory/graph/relations").then().body("items", hasSize(0));
        asAgent(b).queryParam("agentId", a).get("/api/memory/graph/entities").then().statusCode(403);
        asOperator().queryParam("agentId", a).get("/api/memory/graph/entities").then().body("items", hasSize(2));
    }

    @Test
    void graphValidation() {
        String a = Api.agent();
        asAgent(a).body(Map.of("name", " ")).post("/api/memory/graph/entities").then().statusCode(400)
                .body("errors[0].field", equalTo("name"));
        asAgent(a).body(Map.of("from", "A", "to", "B")).post("/api/memory/graph/relations").then().statusCode(400)
                .body("errors[0].field", equalTo("type"));
        asAgent(a).body(Map.of("from", "A", "type", "x", "to", "B", "validFrom", "2025-01-01T00:00:00Z",
                "validTo", "2024-01-01T00:00:00Z")).post("/api/memory/graph/relations").then().statusCode(400)
                .body("errors[0].field", equalTo("validTo"));
        asAgent(a).body(Map.of("type", "x", "to", "B")).post("/api/memory/graph/relations").then().statusCode(400)
                .body("errors[0].field", equalTo("from"));
        asAgent(a).queryParam("name", "A").queryParam("depth", 9).get("/api/memory/graph/neighbourhood").then()
                .statusCode(400).body("errors[0].field", equalTo("depth"));
        asAgent(a).queryParam("name", "A").queryParam("asOf", "soon").get("/api/memory/graph/neighbourhood").then()
                .statusCode(400).body("errors[0].field", equalTo("asOf"));
    }
}
