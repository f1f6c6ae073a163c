package io.memroos.gateway;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.ConfigProvider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** Shared steps of the API tests: everything goes through the gateway, to the real registry. */
final class Fixtures {

    private Fixtures() {
    }

    static Path dataDir() {
        return Path.of(ConfigProvider.getConfig().getValue("memroos.data-dir", String.class));
    }

    static String registryUrl() {
        return ConfigProvider.getConfig().getValue("memroos.gateway.services.registry", String.class);
    }

    static Path registryLog() {
        return Path.of(ConfigProvider.getConfig().getValue("memroos.test.registry-log", String.class));
    }

    static String operatorKey() {
        try {
            return Files.readString(dataDir().resolve("operator.key")).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RequestSpecification asOperator() {
        return given().header("Authorization", "Bearer " + operatorKey());
    }

    static RequestSpecification withKey(String key) {
        return given().header("Authorization", "Bearer " + key);
    }

    static Map<String, Object> agentBody(String name) {
        return Map.of("name", name, "description", "test agent " + name, "owner", "tests",
                "capabilities", List.of("search", "test"), "skills", List.of(),
                "endpoint", Map.of("kind", "rest", "url", "http://127.0.0.1:9/agent"));
    }

    /** Registers an agent as the operator and returns its id. */
    static String registerAgent(String namePrefix) {
        return asOperator().contentType(ContentType.JSON).body(agentBody(namePrefix + "-" + UUID.randomUUID().toString().substring(0, 8)))
                .post("/api/agents")
                .then().statusCode(201).extract().path("id");
    }

    /** Issues a key for the agent as the operator; returns the NewKey JSON (with the plaintext). */
    static JsonPath createKey(String agentId) {
        return asOperator().contentType(ContentType.JSON).body(Map.of("label", "test"))
                .post("/api/agents/{id}/keys", agentId)
                .then().statusCode(201).extract().jsonPath();
    }
}
