package io.memroos.registry.api;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Map;

import static io.memroos.registry.api.Api.as;
import static io.memroos.registry.api.Api.asOperator;
import static io.memroos.registry.api.Api.problemType;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Authentication, errors, request ids, body limit and the /q endpoints. */
@QuarkusTest
class PlatformApiTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aMissingTokenIs401WithAProblemBody() {
        RestAssured.given().get("/api/agents").then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("type", problemType("unauthorized"))
                .body("status", equalTo(401))
                .body("instance", equalTo("/api/agents"));
        RestAssured.given().get("/api/agents/agt_x/keys").then().statusCode(401);
        RestAssured.given().contentType("application/json").body("{}").post("/api/remote-agents").then().statusCode(401);
    }

    @Test
    void badTokensAre401() {
        as(TestTokens.otherKeyOperator()).get("/api/agents").then().statusCode(401)
                .contentType("application/problem+json").body("type", problemType("unauthorized"));
        as(TestTokens.expiredOperator()).get("/api/agents").then().statusCode(401)
                .contentType("application/problem+json");
        as(TestTokens.wrongIssuerOperator()).get("/api/agents").then().statusCode(401);
        as(TestTokens.wrongAudienceOperator()).get("/api/agents").then().statusCode(401);
        as("not.a.jwt").get("/api/agents").then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void anAgentTokenMustNameTheSameAgentTwice() {
        String id = Api.register("twice-" + TestTokens.unique());
        as(TestTokens.mismatchedAgent(id)).get("/api/agents/" + id).then().statusCode(401)
                .contentType("application/problem+json");
        as(TestTokens.agent(id)).get("/api/agents/" + id).then().statusCode(200);
    }

    @Test
    void identityComesOnlyFromTheToken() {
        RestAssured.given().header("X-Agent-Id", "agt_x").header("X-Role", "operator").get("/api/agents")
                .then().statusCode(401);
    }

    @Test
    void bodiesOverOneMebibyteAre413() {
        String big = "{\"name\":\"" + "x".repeat(1024 * 1024 + 10) + "\"}";
        asOperator().body(big).post("/api/agents").then().statusCode(413)
                .contentType("application/problem+json")
                .body("type", problemType("payload-too-large"))
                .body("status", equalTo(413));
    }

    @Test
    void chunkedBodiesOverOneMebibyteAre413Too() {
        byte[] big = ("{\"name\":\"" + "x".repeat(1024 * 1024 + 10) + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        asOperator().body(new java.io.ByteArrayInputStream(big)).post("/api/agents").then().statusCode(413)
                .contentType("application/problem+json")
                .body("type", problemType("payload-too-large"));
    }

    @Test
    void echoesOrAssignsARequestId() {
        RestAssured.given().header("X-Request-Id", "req-123").get("/api/agents").then().statusCode(401)
                .header("X-Request-Id", "req-123")
                .body("requestId", equalTo("req-123"));
        asOperator().get("/api/agents/agt_nope").then().statusCode(404)
                .header("X-Request-Id", matchesPattern("[0-9a-f-]{36}"));
        RestAssured.given().header("X-Request-Id", "bad id with spaces").get("/q/health/live").then()
                .header("X-Request-Id", matchesPattern("[0-9a-f-]{36}"));
    }

    @Test
    void unknownRoutesAndMethodsAreProblems() {
        asOperator().get("/api/nothing-here").then().statusCode(404).contentType("application/problem+json");
        asOperator().put("/api/agents").then().statusCode(405).contentType("application/problem+json");
        asOperator().contentType("text/plain").body("hi").post("/api/agents").then().statusCode(415)
                .contentType("application/problem+json");
    }

    @Test
    void neverLeaksAStackTrace() {
        asOperator().body("[1,2,3]").post("/api/agents").then().statusCode(400)
                .body(not(containsString("at io.")))
                .body(not(containsString("Exception")));
    }

    @Test
    void healthIsPublicAndChecksTheStore() {
        RestAssured.given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("registry-store"));
        RestAssured.given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void metricsArePublic() {
        RestAssured.given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_"));
    }

    @Test
    void openApiDescribesEveryRouteAndTheBearerScheme() {
        String doc = RestAssured.given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .extract().asString();
        for (String path : new String[]{"/api/agents", "/api/agents/{id}", "/api/agents/{id}/keys",
                "/api/agents/{id}/keys/{keyId}", "/api/agents/{id}/keys/{keyId}/rotate", "/api/heartbeat",
                "/api/agents/{id}/heartbeats", "/api/remote-agents", "/api/remote-agents/{id}",
                "/api/remote-agents/{id}/refresh", "/internal/keys/verify", "/internal/agents",
                "/internal/agents/{id}"}) {
            org.junit.jupiter.api.Assertions.assertTrue(doc.contains("\"" + path + "\""), path);
        }
        RestAssured.given().queryParam("format", "json").get("/q/openapi").then()
                .body("components.securitySchemes.internalJwt.scheme", equalTo("bearer"))
                .body("paths.'/api/agents'.post.summary", containsString("Register"))
                .body("paths.'/api/agents'.post.tags", hasItem("agents"))
                .body("paths.'/api/agents/{id}'.get.responses.'404'.content.'application/problem+json'.schema.$ref",
                        equalTo("#/components/schemas/Problem"))
                .body("components.schemas.Problem.properties.errors.type", equalTo("array"));
    }

    @Test
    void theSqliteDatasourceUsesWalAndABusyTimeout() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            try (ResultSet rs = c.createStatement().executeQuery("PRAGMA journal_mode")) {
                rs.next();
                assertEquals("wal", rs.getString(1));
            }
            try (ResultSet rs = c.createStatement().executeQuery("PRAGMA busy_timeout")) {
                rs.next();
                assertEquals(5000, rs.getInt(1));
            }
        }
    }

    @Test
    void malformedCursorAndEmptyBodiesAreProblems() {
        asOperator().body(Map.of()).patch("/api/agents/agt_nope").then().statusCode(404)
                .contentType("application/problem+json");
    }
}
