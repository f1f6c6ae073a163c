package io.memroos.gateway;

import io.memroos.gateway.keys.KeyFiles;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.jwt.build.Jwt;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static io.memroos.gateway.Fixtures.asOperator;
import static io.memroos.gateway.Fixtures.createKey;
import static io.memroos.gateway.Fixtures.registerAgent;
import static io.memroos.gateway.Fixtures.withKey;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The edge: who gets in, who gets what, and what never leaks. */
@QuarkusTest
@WithTestResource(RegistryProcess.class)
class SecurityTest {

    @Test
    void noKeyIs401WithAProblemAndTheBearerChallenge() {
        given().get("/api/agents").then().statusCode(401)
                .header("WWW-Authenticate", "Bearer")
                .contentType("application/problem+json")
                .body("status", equalTo(401)).body("detail", containsString("Authorization"));
        given().header("Authorization", "Basic b3A6cHc=").get("/api/agents").then().statusCode(401);
    }

    @Test
    void wrongKeysAre401() {
        withKey("mro_not-the-operator-key").get("/api/agents").then().statusCode(401).contentType("application/problem+json");
        withKey("mrk_00000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").get("/api/agents")
                .then().statusCode(401).contentType("application/problem+json");
        withKey(Fixtures.operatorKey() + "x").get("/api/agents").then().statusCode(401);
    }

    @Test
    void anAgentMayActOnlyOnItself() {
        String a = registerAgent("self");
        String b = registerAgent("other");
        String keyA = createKey(a).getString("key");
        withKey(keyA).get("/api/agents/{id}", a).then().statusCode(200).body("id", equalTo(a));
        withKey(keyA).get("/api/agents/{id}", b).then().statusCode(403).contentType("application/problem+json");
        withKey(keyA).contentType(ContentType.JSON).body(Map.of("description", "hijacked"))
                .patch("/api/agents/{id}", b).then().statusCode(403);
        withKey(keyA).contentType(ContentType.JSON).body(Map.of()).post("/api/agents/{id}/keys", b).then().statusCode(403);
        withKey(keyA).get("/api/agents/{id}/keys", b).then().statusCode(403);
        withKey(keyA).delete("/api/agents/{id}", b).then().statusCode(403);
        withKey(keyA).get("/api/agents").then().statusCode(403);
        asOperator().get("/api/agents/{id}", b).then().statusCode(200)
                .body("description", org.hamcrest.Matchers.startsWith("test agent"));
    }

    @Test
    void aRevokedKeyIsRefusedWithinTwoSeconds() throws InterruptedException {
        String id = registerAgent("revoke");
        var key = createKey(id);
        withKey(key.getString("key")).get("/api/agents/{id}", id).then().statusCode(200);
        asOperator().delete("/api/agents/{id}/keys/{keyId}", id, key.getString("id")).then().statusCode(204);
        long revokedAt = System.nanoTime();
        int status = 200;
        while (System.nanoTime() - revokedAt < 2_000_000_000L) {
            status = withKey(key.getString("key")).get("/api/agents/{id}", id).statusCode();
            if (status == 401) {
                break;
            }
            Thread.sleep(50);
        }
        assertEquals(401, status, "the revoked key still worked 2 s after revocation");
    }

    @Test
    void theRegistryRefusesCallsThatDidNotComeThroughTheGateway() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String url = Fixtures.registryUrl() + "/api/agents";
        assertEquals(401, get(http, url, null), "no token");
        assertEquals(401, get(http, url, Fixtures.operatorKey()), "the operator key itself is not a token");

        KeyFiles.RsaKeys real = KeyFiles.ensure(Fixtures.dataDir());
        Instant past = Instant.now().minusSeconds(600);
        String expired = Jwt.issuer("memroos-gateway").audience("memroos-internal").subject("operator")
                .groups(Set.of("operator")).issuedAt(past).expiresAt(past.plusSeconds(60)).sign(real.privateKey());
        assertEquals(401, get(http, url, expired), "expired token");

        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        String foreign = Jwt.issuer("memroos-gateway").audience("memroos-internal").subject("operator")
                .groups(Set.of("operator")).expiresIn(60).sign(gen.generateKeyPair().getPrivate());
        assertEquals(401, get(http, url, foreign), "token signed by another key");

        String valid = Jwt.issuer("memroos-gateway").audience("memroos-internal").subject("operator")
                .groups(Set.of("operator")).expiresIn(60).sign(real.privateKey());
        assertEquals(200, get(http, url, valid), "a properly signed token is accepted (the refusals above are real)");
    }

    @Test
    void bodiesOverTheLimitAre413UpFrontAndWhileStreaming() throws Exception {
        byte[] big = new byte[1024 * 1024 + 10];
        java.util.Arrays.fill(big, (byte) 'a');
        asOperator().contentType(ContentType.JSON).body(big).post("/api/agents")
                .then().statusCode(413).contentType("application/problem+json").body("detail", containsString("1048576"));

        // no Content-Length: the body is chunked, and the gateway counts while it streams
        HttpRequest chunked = HttpRequest.newBuilder(URI.create(gatewayUrl() + "/api/agents"))
                .header("Authorization", "Bearer " + Fixtures.operatorKey())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
                .build();
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(chunked, HttpResponse.BodyHandlers.ofString());
        assertEquals(413, response.statusCode(), response.body());
        assertTrue(response.body().contains("payload-too-large"), response.body());
    }

    @Test
    void aRefusedRequestWithABodyLeavesTheConnectionUsable() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String body = "{\"name\":\"" + "x".repeat(20_000) + "\"}";
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(gatewayUrl() + "/api/agents"))
                    .timeout(java.time.Duration.ofSeconds(5))
                    .header("Authorization", "Bearer mro_wrong").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, refused.statusCode());
        }
        HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create(gatewayUrl() + "/api/agents"))
                .timeout(java.time.Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + Fixtures.operatorKey()).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ok.statusCode());
    }

    @Test
    void plaintextKeysNeverReachTheDatabasesOrTheLogs() throws Exception {
        String id = registerAgent("leak");
        List<String> secrets = new ArrayList<>();
        secrets.add(Fixtures.operatorKey());
        String key = createKey(id).getString("key");
        secrets.add(key);
        withKey(key).contentType(ContentType.JSON).body(Map.of("status", "ok")).post("/api/heartbeat").then().statusCode(202);
        withKey(key + "tampered").get("/api/agents/{id}", id).then().statusCode(401);
        String rotated = asOperator().contentType(ContentType.JSON).body("{}")
                .post("/api/agents/{id}/keys/{keyId}/rotate", id, createKey(id).getString("id"))
                .then().statusCode(201).extract().path("key");
        secrets.add(rotated);
        withKey(rotated).get("/api/agents/{id}", id).then().statusCode(200);

        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(Fixtures.dataDir())) {
            walk.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().startsWith("registry.db") || p.getFileName().toString().startsWith("gateway.db"))
                    .forEach(files::add);
        }
        assertTrue(files.stream().anyMatch(p -> p.getFileName().toString().startsWith("registry.db")), "registry.db found: " + files);
        assertTrue(files.stream().anyMatch(p -> p.getFileName().toString().startsWith("gateway.db")), "gateway.db found: " + files);
        files.add(Path.of("target/gateway-test.log"));
        files.add(Fixtures.registryLog());
        for (Path file : files) {
            String content = read(file);
            for (String secret : secrets) {
                assertFalse(content.contains(secret), "a plaintext key appears in " + file);
                // the secret part alone must not be there either
                assertFalse(content.contains(secret.substring(secret.startsWith("mrk_") ? 13 : 4)), "a key's secret appears in " + file);
            }
        }
    }

    private static String read(Path file) throws IOException {
        assertTrue(Files.exists(file), file + " exists");
        return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    }

    private static int get(HttpClient http, String url, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static String gatewayUrl() {
        return "http://localhost:" + io.restassured.RestAssured.port;
    }
}
