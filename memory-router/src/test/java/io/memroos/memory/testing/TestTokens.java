package io.memroos.memory.testing;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.smallrye.jwt.util.KeyUtils;

import java.security.PrivateKey;
import java.time.Instant;
import java.util.UUID;

/** Internal JWTs as the gateway mints them, signed with the test key pair under test-keys/. */
public final class TestTokens {

    private TestTokens() {
    }

    private static JwtClaimsBuilder base(String subject, String group) {
        return Jwt.issuer("memroos-gateway").audience("memroos-internal").subject(subject).groups(group)
                .issuedAt(Instant.now()).expiresIn(60);
    }

    public static String operator() {
        return base("operator", "operator").sign();
    }

    public static String agent(String agentId) {
        return base("agent:" + agentId, "agent").claim("agent_id", agentId).sign();
    }

    public static String service() {
        return base("service:kernel-gateway", "service").sign();
    }

    public static String expiredOperator() {
        Instant past = Instant.now().minusSeconds(600);
        return Jwt.issuer("memroos-gateway").audience("memroos-internal").subject("operator").groups("operator")
                .issuedAt(past).expiresAt(past.plusSeconds(60)).sign();
    }

    public static String wrongIssuerOperator() {
        return Jwt.issuer("someone-else").audience("memroos-internal").subject("operator").groups("operator")
                .expiresIn(60).sign();
    }

    public static String wrongAudienceOperator() {
        return Jwt.issuer("memroos-gateway").audience("elsewhere").subject("operator").groups("operator")
                .expiresIn(60).sign();
    }

    public static String otherKeyOperator() {
        try {
            PrivateKey other = KeyUtils.readPrivateKey("test-keys/other-private.pem");
            return base("operator", "operator").sign(other);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String unique() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }
}
