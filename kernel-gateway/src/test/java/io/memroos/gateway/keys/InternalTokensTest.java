package io.memroos.gateway.keys;

import io.memroos.gateway.config.GatewayConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The internal JWT exactly as docs/internal-contract.md fixes it, and its reuse per subject. */
class InternalTokensTest {

    @TempDir
    Path dataDir;

    @Test
    void mintsContractTokensSignedWithTheKeyOnDisk() throws Exception {
        GatewayKeys keys = new GatewayKeys(config(dataDir));
        InternalTokens tokens = new InternalTokens(keys, config(dataDir));

        String agent = tokens.agent("agt_1");
        String[] parts = agent.split("\\.");
        assertEquals(3, parts.length);
        JsonObject header = json(parts[0]);
        JsonObject claims = json(parts[1]);
        assertEquals("RS256", header.getString("alg"));
        assertEquals("memroos-gateway", claims.getString("iss"));
        assertEquals("memroos-internal", claims.getValue("aud") instanceof String s ? s
                : claims.getJsonArray("aud").getString(0));
        assertEquals("agent:agt_1", claims.getString("sub"));
        assertEquals(List.of("agent"), claims.getJsonArray("groups").getList());
        assertEquals("agt_1", claims.getString("agent_id"));
        assertEquals(60, claims.getLong("exp") - claims.getLong("iat"));

        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initVerify(KeyFiles.ensure(dataDir).publicKey());
        rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertTrue(rsa.verify(Base64.getUrlDecoder().decode(parts[2])), "signed with keys/internal-jwt.key.pem");

        JsonObject operator = json(tokens.operator().split("\\.")[1]);
        assertEquals("operator", operator.getString("sub"));
        assertEquals(List.of("operator"), operator.getJsonArray("groups").getList());
        assertFalse(operator.containsKey("agent_id"));
        JsonObject service = json(tokens.service("kernel-gateway").split("\\.")[1]);
        assertEquals("service:kernel-gateway", service.getString("sub"));
        assertEquals(List.of("service"), service.getJsonArray("groups").getList());
    }

    @Test
    void reusesOneTokenPerSubjectInsteadOfSigningPerRequest() {
        InternalTokens tokens = new InternalTokens(new GatewayKeys(config(dataDir)), config(dataDir));
        String first = tokens.agent("agt_1");
        assertEquals(first, tokens.agent("agt_1"));
        assertNotEquals(first, tokens.agent("agt_2"));
        assertEquals(tokens.operator(), tokens.operator());
    }

    @Test
    void theOperatorKeyIsComparedExactly() {
        GatewayKeys keys = new GatewayKeys(config(dataDir));
        String key = OperatorKeys.resolve(Optional.empty(), dataDir).key();
        assertTrue(keys.isOperatorKey(key));
        assertFalse(keys.isOperatorKey(key + "x"));
        assertFalse(keys.isOperatorKey(key.substring(1)));
        assertFalse(keys.isOperatorKey(null));
        assertTrue(keys.keyFilesPresent());
    }

    private static JsonObject json(String base64url) {
        return new JsonObject(new String(Base64.getUrlDecoder().decode(base64url), StandardCharsets.UTF_8));
    }

    /** A GatewayConfig with the documented defaults and the given data directory. */
    static GatewayConfig config(Path dataDir) {
        GatewayConfig.Auth auth = proxy(GatewayConfig.Auth.class, Map.of(
                "keyCacheTtl", Duration.ofSeconds(1), "tokenReuse", Duration.ofSeconds(30), "tokenLifetime", Duration.ofSeconds(60)));
        return proxy(GatewayConfig.class, Map.of(
                "dataDir", dataDir.toString(), "operatorApiKey", Optional.empty(), "services", Map.of(), "routes", Map.of(),
                "timeout", Duration.ofSeconds(30), "connectTimeout", Duration.ofSeconds(5), "maxBodySize", 1048576L,
                "poolSize", 64, "auth", auth));
    }

    private static <T> T proxy(Class<T> type, Map<String, Object> values) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, method, args) -> {
            if (!values.containsKey(method.getName())) {
                throw new UnsupportedOperationException(method.getName());
            }
            return values.get(method.getName());
        }));
    }
}
