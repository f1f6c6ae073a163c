package io.memroos.memory.api;

import io.memroos.memory.testing.TestTokens;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.hamcrest.Matcher;

import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;

/** Small helpers shared by the API tests. */
final class Api {

    private Api() {
    }

    static String agent() {
        return "agt_" + TestTokens.unique();
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

    static Map<String, Object> msg(String role, String content) {
        return Map.of("role", role, "content", content);
    }

    /** Remembers chat messages as the agent; returns the ids in order. */
    static List<String> remember(String agent, Map<String, Object> extra, Map<String, Object>... messages) {
        Map<String, Object> body = new java.util.HashMap<>(extra);
        body.put("messages", List.of(messages));
        return asAgent(agent).body(body).post("/api/memory").then().statusCode(200).extract().path("results.id");
    }

    static String rememberText(String agent, String text) {
        return asAgent(agent).body(Map.of("text", text)).post("/api/memory").then().statusCode(200)
                .extract().path("results[0].id");
    }

    static Matcher<Object> problemType(String kind) {
        return equalTo("https://memroos.dev/problems/" + kind);
    }
}
