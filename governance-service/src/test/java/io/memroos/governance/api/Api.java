package io.memroos.governance.api;

import io.memroos.governance.testing.TestTokens;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.hamcrest.Matcher;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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

    static RequestSpecification asAgent(String id) {
        return as(TestTokens.agent(id));
    }

    static RequestSpecification asService() {
        return as(TestTokens.service("registry-service"));
    }

    static String agent() {
        return "agt_" + TestTokens.unique();
    }

    static Map<String, Object> event(String id, String type, String actor, String assetType, String assetId,
                                     Map<String, Object> data) {
        Map<String, Object> e = new HashMap<>();
        e.put("id", id);
        e.put("source", "registry-service");
        e.put("type", type);
        e.put("occurredAt", "2026-11-24T04:00:00Z");
        e.put("actor", actor);
        e.put("action", type.replace("registered", "register"));
        e.put("asset", Map.of("type", assetType, "id", assetId));
        e.put("data", data);
        return e;
    }

    static Map<String, Object> agentRegistered(String agentId) {
        return event(UUID.randomUUID().toString(), "agent.registered", "operator", "agent", agentId,
                Map.of("name", "n-" + agentId, "n", 1.50));
    }

    static Map<String, Object> batch(List<Map<String, Object>> events) {
        return Map.of("events", events);
    }

    static Map<String, Object> decision(String actorType, String actorId, String action, String assetType,
                                        String assetId, String owner) {
        Map<String, Object> actor = new HashMap<>();
        actor.put("type", actorType);
        if (actorId != null) {
            actor.put("id", actorId);
        }
        Map<String, Object> asset = new HashMap<>();
        asset.put("type", assetType);
        asset.put("id", assetId);
        if (owner != null) {
            asset.put("owner", owner);
        }
        Map<String, Object> body = new HashMap<>();
        body.put("actor", actor);
        body.put("action", action);
        body.put("asset", asset);
        return body;
    }

    static String decide(Map<String, Object> body) {
        return asService().body(body).post("/internal/decisions").then().statusCode(200).extract().path("decision");
    }

    static Matcher<Object> problemType(String kind) {
        return equalTo("https://memroos.dev/problems/" + kind);
    }
}
