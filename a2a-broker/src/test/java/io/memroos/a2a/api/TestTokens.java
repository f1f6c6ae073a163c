package io.memroos.a2a.api;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.smallrye.jwt.util.KeyUtils;

import java.security.PrivateKey;
import java.time.Instant;
import java.util.UUID;

/** Internal JWTs as the gateway mints them, signed with the test key pair under test-keys/. */
final class TestTokens {

    private TestTokens() {
    }

    private static JwtClaimsBuilder base(String subject, String group) {
        return Jwt.issuer("memroos-gateway").audience("memroos-internal").subject(subject).groups(group)
                .issuedAt(Instant.now()).expiresIn(60);
    }

    static String operator() {
        return base("operator", "operator").sign();
    }

    static String agent(String agentId) {
        return base("agent:" + agentId, "agent").claim("agent_id", agentId).sign();
    }

    /** An agent token whose subject names another agent than its agent_id claim. */
    static String mismatchedAgent(String agentId) {
        return base("agent:agt_someone_else", "agent").claim("agent_id", agentId).sign();
    }

    static String service() {
        return base("service:kernel-gateway", "service").sign();
    }

    static String expiredOperator() {
        Instant past = Instant.now().minusSeconds(600);
        return Jwt.issuer("memroos-gateway").audience("memroos-internal").subject("operator").groups("operator")
                .issuedAt(past).expiresAt(past.plusSeconds(60)).sign();
    }

    static String wrongIssuerOperator() {
        return Jwt.issuer("someone-else").audience("memroos-internal").subject("operator").groups("operator")
                .expiresIn(60).sign();
    }

    static String wrongAudienceOperator() {
        return Jwt.issuer("memroos-gateway").audience("elsewhere").subject("operator").groups("operator")
                .expiresIn(60).sign();
    }

    static String otherKeyOperator() {
        try {
            PrivateKey other = KeyUtils.readPrivateKey("test-keys/other-private.pem");
            return base("operator", "operator").sign(other);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String unique() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }
}
