package io.memroos.gateway;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static io.memroos.gateway.Fixtures.asOperator;
import static io.memroos.gateway.Fixtures.createKey;
import static io.memroos.gateway.Fixtures.registerAgent;
import static io.memroos.gateway.Fixtures.withKey;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The proxy, end to end: client -> gateway -> the real registry-service. */
@QuarkusTest
@WithTestResource(RegistryProcess.class)
class ProxyApiTest {

    @Test
    void agentsCrudWithFiltersAndCursorGoesThroughTheGateway() {
        String name = "crud-" + UUID.randomUUID().toString().substring(0, 8);
        Response created = asOperator().contentType(ContentType.JSON)
                .body(Map.of("name", name, "description", "d", "owner", "ops", "capabilities", List.of("crud-cap-" + name),
                        "skills", List.of(), "endpoint", Map.of("kind", "a2a", "url", "http://10.0.0.5:9000/a2a")))
                .post("/api/agents");
        created.then().statusCode(201).contentType(ContentType.JSON)
                .header("Location", containsString("/api/agents/"))
                .body("name", equalTo(name)).body("status", equalTo("active")).body("endpoint.kind", equalTo("a2a"));
        String id = created.path("id");

        asOperator().queryParam("capability", "crud-cap-" + name).get("/api/agents")
                .then().statusCode(200).body("items.id", equalTo(List.of(id)));

        registerAgent("page");
        JsonPath first = asOperator().queryParam("limit", 1).get("/api/agents").then().statusCode(200).extract().jsonPath();
        assertEquals(1, first.getList("items").size());
        String cursor = first.getString("nextCursor");
        assertTrue(cursor != null && !cursor.isEmpty(), "a first page of 1 has a next cursor");
        asOperator().queryParam("limit", 1).queryParam("cursor", cursor).get("/api/agents")
                .then().statusCode(200).body("items[0].id", not(equalTo(first.getString("items[0].id"))));

        asOperator().get("/api/agents/{id}", id).then().statusCode(200).body("id", equalTo(id));
        asOperator().contentType(ContentType.JSON).body(Map.of("description", "patched")).patch("/api/agents/{id}", id)
                .then().statusCode(200).body("description", equalTo("patched"));
        asOperator().delete("/api/agents/{id}", id).then().statusCode(204);
        asOperator().get("/api/agents/{id}", id).then().statusCode(200).body("status", equalTo("deregistered"));
    }

    @Test
    void registryProblemsAreRelayedAsTheyAre() {
        asOperator().contentType(ContentType.JSON)
                .body(Map.of("name", "", "owner", "o", "endpoint", Map.of("kind", "rest", "url", "http://h/")))
                .post("/api/agents")
                .then().statusCode(400).contentType("application/problem+json")
                .body("status", equalTo(400)).body("errors.field", hasItem("name"));
        asOperator().contentType(ContentType.JSON).body("{\"name\":\"x\",\"bogus\":1}").post("/api/agents")
                .then().statusCode(400).contentType("application/problem+json").body("detail", containsString("bogus"));
        asOperator().get("/api/agents/{id}", "no-such-agent").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void keysCanBeCreatedListedRotatedAndRevoked() {
        String id = registerAgent("keys");
        JsonPath key = createKey(id);
        assertTrue(key.getString("key").matches("mrk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}"), key.getString("key"));
        String keyId = key.getString("id");
        asOperator().get("/api/agents/{id}/keys", id).then().statusCode(200)
                .body("id", hasItem(keyId)).body("[0]", not(org.hamcrest.Matchers.hasKey("key")));
        JsonPath rotated = asOperator().contentType(ContentType.JSON).body("{}").post("/api/agents/{id}/keys/{keyId}/rotate", id, keyId)
                .then().statusCode(201).extract().jsonPath();
        assertTrue(!rotated.getString("key").equals(key.getString("key")));
        asOperator().delete("/api/agents/{id}/keys/{keyId}", id, rotated.getString("id")).then().statusCode(204);
        asOperator().get("/api/agents/{id}/keys", id).then().statusCode(200)
                .body("findAll { it.revokedAt != null }.size()", equalTo(2));
    }

    @Test
    void anAgentPostsAHeartbeatWithItsKeyAndBecomesOnline() {
        String id = registerAgent("beat");
        String key = createKey(id).getString("key");
        withKey(key).contentType(ContentType.JSON)
                .body(Map.of("status", "ok", "load", 0.25, "version", "1.2.3", "metrics", Map.of("tasks", 3)))
                .post("/api/heartbeat")
                .then().statusCode(202).body("agentId", equalTo(id));
        withKey(key).get("/api/agents/{id}", id).then().statusCode(200).body("liveness", equalTo("online"));
        asOperator().get("/api/agents/{id}/heartbeats", id).then().statusCode(200)
                .body("[0].version", equalTo("1.2.3")).body("[0].load", equalTo(0.25f));
    }

    @Test
    void theRequestIdIsEchoedOnSuccessAndErrorAndReplacedWhenMalformed() {
        asOperator().header("X-Request-Id", "trace-abc.123").get("/api/agents")
                .then().statusCode(200).header("X-Request-Id", "trace-abc.123");
        given().header("X-Request-Id", "err-id-1").get("/api/agents")
                .then().statusCode(401).header("X-Request-Id", "err-id-1").body("requestId", equalTo("err-id-1"));
        asOperator().header("X-Request-Id", "bad id <x>").get("/api/agents")
                .then().statusCode(200).header("X-Request-Id", matchesPattern("[0-9a-f-]{36}"));
        given().get("/q/health/ready").then().header("X-Request-Id", notNullValue());
    }

    @Test
    void internalRoutesAndUnknownRoutesAreNotFound() {
        asOperator().contentType(ContentType.JSON).body(Map.of("key", "mrk_00000000_x")).post("/internal/keys/verify")
                .then().statusCode(404).contentType("application/problem+json");
        asOperator().get("/api/agents/../../internal/keys/verify").then().statusCode(404);
        given().get("/internal").then().statusCode(404).contentType("application/problem+json");
        asOperator().get("/api/no-such-route").then().statusCode(404).contentType("application/problem+json")
                .body("instance", equalTo("/api/no-such-route"));
    }

    @Test
    void dotSegmentsRawOrEncodedCannotReachInternalRoutes() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String path : List.of("/api/agents/../../internal/keys/verify", "/api/agents/%2e%2e/%2e%2e/internal/keys/verify",
                "/api/heartbeat/%2E%2E/%2E%2E/internal/keys/verify", "//internal/keys/verify")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + io.restassured.RestAssured.port + path))
                    .header("Authorization", "Bearer " + Fixtures.operatorKey()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"mrk_00000000_x\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, r.statusCode(), path + " -> " + r.body());
            assertTrue(r.body().contains("no route for /internal/keys/verify"), path + " -> " + r.body());
        }
    }

    @Test
    void healthMetricsAndOpenApiArePublic() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'gateway' }.data.'gateway.db'", equalTo("UP"))
                .body("checks.find { it.name == 'gateway' }.data.keyFiles", equalTo("UP"));
        // the group is DOWN as soon as any configured service is missing; the registry itself is UP
        given().get("/q/health/group/downstream").then()
                .body("checks[0].data.registry", startsWith("UP"));
        asOperator().get("/api/agents").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("memroos_gateway_proxy_requests_seconds_count{"))
                .body(matchesPattern("(?s).*memroos_gateway_proxy_requests_seconds_count\\{[^}]*service=\"registry\"[^}]*status=\"200\".*"));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void everyPublicRegistryOperationIsDocumentedByTheGateway() throws Exception {
        HttpResponse<String> registryDoc = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(Fixtures.registryUrl() + "/q/openapi?format=json")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, registryDoc.statusCode(), "the registry serves its OpenAPI document");
        Set<String> registryOps = operations(JsonPath.from(registryDoc.body()));
        Set<String> gatewayOps = operations(given().queryParam("format", "json").get("/q/openapi")
                .then().statusCode(200).extract().jsonPath());
        assertTrue(registryOps.size() >= 15, "registry operations found: " + registryOps);
        Set<String> missing = new TreeSet<>(registryOps);
        missing.removeAll(gatewayOps);
        assertTrue(missing.isEmpty(), "public registry operations missing from the gateway's /q/openapi: " + missing);
        assertTrue(gatewayOps.stream().noneMatch(op -> op.contains(" /internal")), "no internal route is documented");
    }

    /** "METHOD /path/{}" for every non-internal operation, path parameter names ignored. */
    private static Set<String> operations(JsonPath doc) {
        Set<String> ops = new TreeSet<>();
        Map<String, Map<String, Object>> paths = doc.getMap("paths");
        paths.forEach((path, item) -> {
            if (path.startsWith("/internal")) {
                return;
            }
            for (String method : item.keySet()) {
                if (Set.of("get", "post", "put", "patch", "delete").contains(method)) {
                    ops.add(method.toUpperCase() + " " + path.replaceAll("\\{[^}]+}", "{}"));
                }
            }
        });
        return ops;
    }
}
