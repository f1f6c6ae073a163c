package io.memroos.bus.api;

import io.memroos.bus.testing.FakeRegistry;
import io.memroos.bus.testing.FakeRegistryResource;
import io.memroos.bus.testing.TestTokens;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.hamcrest.Matcher;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;

/** Small helpers shared by the API tests. */
final class Api {

    private Api() {
    }

    static FakeRegistry registry() {
        return FakeRegistryResource.registry();
    }

    /** A new active agent in the fake registry. */
    static String agent(String... capabilities) {
        String id = "agt_" + TestTokens.unique();
        registry().add(id, List.of(capabilities));
        return id;
    }

    static RequestSpecification as(String token) {
        return RestAssured.given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    static RequestSpecification asAgent(String id) {
        return as(TestTokens.agent(id));
    }

    static RequestSpecification asOperator() {
        return as(TestTokens.operator());
    }

    static Map<String, Object> to(String recipient, Object body) {
        Map<String, Object> m = new HashMap<>();
        m.put("to", List.of(recipient));
        m.put("body", body);
        return m;
    }

    /** Sends as the agent and returns the new message id. */
    static String send(String from, String recipient, Object body) {
        return asAgent(from).body(to(recipient, body)).post("/api/agent-context/messages")
                .then().statusCode(201).extract().path("id");
    }

    static JsonPath poll(String agent, int max) {
        return asAgent(agent).queryParam("max", max).get("/api/agent-context/inbox")
                .then().statusCode(200).extract().jsonPath();
    }

    static void ack(String agent, String messageId) {
        asAgent(agent).post("/api/agent-context/messages/" + messageId + "/ack").then().statusCode(200);
    }

    static Matcher<Object> problemType(String kind) {
        return equalTo("https://memroos.dev/problems/" + kind);
    }
}
