package io.memroos.registry.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static io.memroos.registry.api.Api.as;
import static io.memroos.registry.api.Api.asOperator;
import static io.memroos.registry.api.Api.issueKey;
import static io.memroos.registry.api.Api.problemType;
import static io.memroos.registry.api.Api.register;
import static io.memroos.registry.api.TestTokens.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class KeyApiTest {

    private static io.restassured.response.ValidatableResponse verify(String key) {
        return as(TestTokens.service()).body(Map.of("key", key)).post("/internal/keys/verify").then();
    }

    @Test
    void issuesAKeyShownOnceAndVerifiesIt() {
        String agent = register("keyed-" + unique());
        Map<String, Object> issued = issueKey(agent, Map.of("label", "laptop"));
        String key = (String) issued.get("key");
        String prefix = (String) issued.get("prefix");
        assertTrue(key.matches("mrk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}"), key);
        assertTrue(key.startsWith(prefix + "_"), "prefix is the visible start of the key");
        assertTrue(((String) issued.get("id")).startsWith("key_"));

        String listed = asOperator().get("/api/agents/" + agent + "/keys")
                .then().statusCode(200)
                .body("[0].id", equalTo(issued.get("id")))
                .body("[0].prefix", equalTo(prefix))
                .body("[0].label", equalTo("laptop"))
                .body("[0]", not(hasKey("key")))
                .body("[0]", not(hasKey("hash")))
                .body("[0].revokedAt", nullValue())
                .extract().asString();
        assertFalse(listed.contains(key.substring(13)), "the secret never appears in a listing");

        verify(key).statusCode(200)
                .body("agentId", equalTo(agent))
                .body("keyId", equalTo(issued.get("id")))
                .body("prefix", equalTo(prefix));
        asOperator().get("/api/agents/" + agent + "/keys").then().body("[0].lastUsedAt", notNullValue());
    }

    @Test
    void verificationIsForServiceTokensOnly() {
        String agent = register("svc-only-" + unique());
        String key = (String) issueKey(agent, Map.of()).get("key");
        asOperator().body(Map.of("key", key)).post("/internal/keys/verify").then().statusCode(403);
        as(TestTokens.agent(agent)).body(Map.of("key", key)).post("/internal/keys/verify").then().statusCode(403);
        RestAssured.given().contentType("application/json").body(Map.of("key", key)).post("/internal/keys/verify")
                .then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void refusesUnknownMalformedAndBlankKeys() {
        verify("mrk_00000000_" + "A".repeat(43)).statusCode(401)
                .contentType("application/problem+json").body("type", problemType("unauthorized"));
        verify("not-a-key").statusCode(401);
        as(TestTokens.service()).body(Map.of("key", "")).post("/internal/keys/verify").then().statusCode(400)
                .body("errors[0].field", equalTo("key"));
    }

    @Test
    void aRightPrefixWithAWrongSecretIsRefused() {
        String agent = register("forged-" + unique());
        String key = (String) issueKey(agent, Map.of()).get("key");
        String forged = key.substring(0, 13) + (key.charAt(13) == 'A' ? 'B' : 'A') + key.substring(14);
        verify(forged).statusCode(401);
        verify(key).statusCode(200);
    }

    @Test
    void revokedKeysStopVerifying() {
        String agent = register("revoked-" + unique());
        Map<String, Object> issued = issueKey(agent, Map.of());
        asOperator().delete("/api/agents/" + agent + "/keys/" + issued.get("id")).then().statusCode(204);
        verify((String) issued.get("key")).statusCode(401);
        asOperator().get("/api/agents/" + agent + "/keys").then().body("[0].revokedAt", notNullValue());
        asOperator().delete("/api/agents/" + agent + "/keys/key_nope").then().statusCode(404);
    }

    @Test
    void rotationIssuesANewKeyAndRevokesTheOld() {
        String agent = register("rotated-" + unique());
        Map<String, Object> old = issueKey(agent, Map.of("label", "ci"));
        Map<String, Object> fresh = asOperator().post("/api/agents/" + agent + "/keys/" + old.get("id") + "/rotate")
                .then().statusCode(201).body("label", equalTo("ci")).extract().jsonPath().getMap("");
        assertNotEquals(old.get("key"), fresh.get("key"));
        verify((String) old.get("key")).statusCode(401);
        verify((String) fresh.get("key")).statusCode(200).body("keyId", equalTo(fresh.get("id")));
        asOperator().post("/api/agents/" + agent + "/keys/" + old.get("id") + "/rotate").then().statusCode(409);
    }

    @Test
    void expiredKeysStopVerifying() throws Exception {
        String agent = register("expiring-" + unique());
        asOperator().body(Map.of("expiresAt", Instant.now().minusSeconds(5).toString()))
                .post("/api/agents/" + agent + "/keys").then().statusCode(400)
                .body("errors[0].field", equalTo("expiresAt"));
        asOperator().body(Map.of("expiresAt", "tomorrow")).post("/api/agents/" + agent + "/keys")
                .then().statusCode(400).body("errors[0].field", equalTo("expiresAt"));
        Map<String, Object> issued = issueKey(agent, Map.of("expiresAt", Instant.now().plusMillis(1200).toString()));
        verify((String) issued.get("key")).statusCode(200);
        Thread.sleep(1500);
        verify((String) issued.get("key")).statusCode(401);
    }

    @Test
    void keysOfADeregisteredAgentStopVerifying() {
        String agent = register("leaving-" + unique());
        String key = (String) issueKey(agent, Map.of()).get("key");
        verify(key).statusCode(200);
        asOperator().delete("/api/agents/" + agent).then().statusCode(204);
        verify(key).statusCode(401);
        asOperator().body(Map.of()).post("/api/agents/" + agent + "/keys").then().statusCode(409);
    }

    @Test
    void anAgentManagesOnlyItsOwnKeys() {
        String me = register("self-keys-" + unique());
        String other = register("other-keys-" + unique());
        String token = TestTokens.agent(me);
        Map<String, Object> mine = as(token).body(Map.of("label", "own")).post("/api/agents/" + me + "/keys")
                .then().statusCode(201).extract().jsonPath().getMap("");
        as(token).get("/api/agents/" + me + "/keys").then().statusCode(200).body("[0].label", equalTo("own"));
        as(token).post("/api/agents/" + me + "/keys/" + mine.get("id") + "/rotate").then().statusCode(201);
        as(token).delete("/api/agents/" + me + "/keys/" + mine.get("id")).then().statusCode(204);

        Map<String, Object> theirs = issueKey(other, Map.of());
        as(token).body(Map.of()).post("/api/agents/" + other + "/keys").then().statusCode(403);
        as(token).get("/api/agents/" + other + "/keys").then().statusCode(403);
        as(token).post("/api/agents/" + other + "/keys/" + theirs.get("id") + "/rotate").then().statusCode(403);
        as(token).delete("/api/agents/" + other + "/keys/" + theirs.get("id")).then().statusCode(403);
        verify((String) theirs.get("key")).statusCode(200);
    }

    @Test
    void neitherKeysNorTokensAreLogged() throws Exception {
        String agent = register("log-check-" + unique());
        String operatorToken = TestTokens.operator();
        Map<String, Object> issued = as(operatorToken).body(Map.of()).post("/api/agents/" + agent + "/keys")
                .then().statusCode(201).extract().jsonPath().getMap("");
        String key = (String) issued.get("key");
        verify(key).statusCode(200);
        verify(key + "x").statusCode(401);
        String log = Files.readString(Path.of("target", "quarkus-test.log"), StandardCharsets.UTF_8);
        assertTrue(log.contains("issued key " + issued.get("id")), "the log file is the service's");
        assertFalse(log.contains(secretOf(key)), "no key secret in the log");
        assertFalse(log.contains(operatorToken), "no token in the log");
    }

    @Test
    void thePlaintextKeyNeverReachesTheDatabaseFile() throws Exception {
        String agent = register("on-disk-" + unique());
        String key = (String) issueKey(agent, Map.of()).get("key");
        verify(key).statusCode(200);
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(key.getBytes(StandardCharsets.UTF_8)));
        String secret = secretOf(key);
        StringBuilder everything = new StringBuilder();
        for (String name : List.of("registry.db", "registry.db-wal")) {
            Path file = Path.of("target", "test-data", name);
            if (Files.exists(file)) {
                everything.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            }
        }
        String bytes = everything.toString();
        assertTrue(bytes.contains(hash), "the hash is stored, so this is the right file");
        assertFalse(bytes.contains(key), "the full key is not stored");
        assertFalse(bytes.contains(secret), "the secret part is not stored");
    }

    /**
     * The 43 characters after {@code mrk_<prefix>_}. Not after the last underscore: base64url has underscores, and
     * a secret with one would leave a suffix of a few characters, found by chance anywhere in a file.
     */
    private static String secretOf(String key) {
        String secret = key.substring(key.indexOf('_', "mrk_".length()) + 1);
        assertEquals(43, secret.length(), key);
        return secret;
    }
}
