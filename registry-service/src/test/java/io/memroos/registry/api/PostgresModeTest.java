package io.memroos.registry.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Map;
import java.util.UUID;

import static io.memroos.registry.api.Api.as;
import static io.memroos.registry.api.Api.issueKey;
import static io.memroos.registry.api.Api.register;
import static io.memroos.registry.api.TestTokens.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The whole service with {@code memroos.registry.store=postgres} (PostgreSQL on 127.0.0.1:5432, database
 * {@code test}, a fresh schema dropped afterwards): the SQLite datasource is switched off and the API works.
 */
@QuarkusTest
@TestProfile(PostgresModeTest.Postgres.class)
class PostgresModeTest {

    public static class Postgres implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // the poll job is switched off: the schema is dropped after the test while the app still runs
            return Map.of("quarkus.scheduler.enabled", "false",
                    "memroos.registry.store", "postgres",
                    "memroos.registry.postgres.url", "postgresql://127.0.0.1:5432/test",
                    "memroos.registry.postgres.user", "postgres",
                    "memroos.registry.postgres.schema",
                    "registry_qt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10));
        }
    }

    @AfterAll
    static void dropSchema() throws Exception {
        String schema = ConfigProvider.getConfig().getValue("memroos.registry.postgres.schema", String.class);
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", null)) {
            c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Test
    void servesTheApiFromPostgres() {
        assertEquals(false, ConfigProvider.getConfig().getValue("quarkus.datasource.active", Boolean.class),
                "store=postgres switches the SQLite datasource off");
        RestAssured.given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'registry-store' }.data.store", equalTo("postgres"))
                .body("checks.find { it.name == 'Database connections health check' }.data", nullValue());
        String id = register("pg-mode-" + unique(), "pg");
        String key = (String) issueKey(id, Map.of("label", "pg")).get("key");
        as(TestTokens.service()).body(Map.of("key", key)).post("/internal/keys/verify").then().statusCode(200)
                .body("agentId", equalTo(id));
        as(TestTokens.agent(id)).body(Map.of("status", "ok", "load", 0.5)).post("/api/heartbeat").then()
                .statusCode(202).body("liveness", equalTo("online"));
        Api.asOperator().queryParam("capability", "pg").queryParam("status", "online").get("/api/agents")
                .then().statusCode(200).body("items.id", hasItem(id));
    }
}
