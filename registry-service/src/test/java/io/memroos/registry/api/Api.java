package io.memroos.registry.api;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;

/** Small helpers shared by the API tests. */
final class Api {

    private Api() {
    }

    static RequestSpecification as(String token) {
        return RestAssured.given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    static RequestSpecification asOperator() {
        return as(TestTokens.operator());
    }

    static Map<String, Object> registration(String name, List<String> capabilities) {
        return Map.of(
                "name", name,
                "description", "test agent",
                "owner", "team-test",
                "capabilities", capabilities,
                "skills", List.of(Map.of("id", "sum", "name", "Summarise", "description", "short", "tags",
                        List.of("text"))),
                "endpoint", Map.of("kind", "rest", "url", "http://127.0.0.1:9999/agent"));
    }

    /** Registers an agent as operator and returns its id. */
    static String register(String name, String... capabilities) {
        return asOperator().body(registration(name, List.of(capabilities)))
                .post("/api/agents")
                .then().statusCode(201).extract().path("id");
    }

    /** Issues a key as operator and returns the response body. */
    static Map<String, Object> issueKey(String agentId, Map<String, Object> body) {
        return asOperator().body(body).post("/api/agents/" + agentId + "/keys")
                .then().statusCode(201).extract().jsonPath().getMap("");
    }

    static org.hamcrest.Matcher<Object> problemType(String kind) {
        return equalTo("https://memroos.dev/problems/" + kind);
    }
}
