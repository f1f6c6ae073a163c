package io.memroos.registry.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.UUID;

import static io.memroos.registry.api.Api.as;
import static io.memroos.registry.api.Api.problemType;
import static org.hamcrest.Matchers.equalTo;

/** The registry starts before the gateway has written its public key: it runs, and refuses every call with 401. */
@QuarkusTest
@TestProfile(MissingVerificationKeyTest.LateKey.class)
class MissingVerificationKeyTest {

    public static class LateKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Path dir = Path.of("target", "late-keys-" + UUID.randomUUID()).toAbsolutePath();
            return Map.of("mp.jwt.verify.publickey.location", dir.resolve("internal-jwt.pub.pem").toString());
        }
    }

    @Test
    void startsRefusesWith401AndRecoversWhenTheKeyAppears() throws Exception {
        RestAssured.given().get("/q/health/ready").then().statusCode(200);
        as(TestTokens.operator()).get("/api/agents").then().statusCode(401)
                .contentType("application/problem+json")
                .body("type", problemType("unauthorized"))
                .body("status", equalTo(401));

        Path location = Path.of(ConfigProvider.getConfig()
                .getValue("mp.jwt.verify.publickey.location", String.class));
        Files.createDirectories(location.getParent());
        try (var in = getClass().getClassLoader().getResourceAsStream("test-keys/public.pem")) {
            Files.copy(in, location, StandardCopyOption.REPLACE_EXISTING);
        }
        as(TestTokens.operator()).get("/api/agents").then().statusCode(200);
    }
}
