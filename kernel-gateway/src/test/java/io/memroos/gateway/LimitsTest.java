package io.memroos.gateway;

import io.memroos.gateway.keys.InternalTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.memroos.gateway.Fixtures.asOperator;
import static io.memroos.gateway.Fixtures.withKey;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rate limits, failed-auth limits and downstream failures, with a profile of low limits and broken services. */
@QuarkusTest
@TestProfile(LimitsTest.LowLimits.class)
@WithTestResource(RegistryProcess.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LimitsTest {

    @Inject
    InternalTokens tokens;

    /** Low limits, a 1 s timeout, a service on a closed port and one that accepts but never answers. */
    public static class LowLimits implements QuarkusTestProfile {

        private static final List<Socket> HELD = new ArrayList<>();
        private static ServerSocket blackHole;

        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                int closedPort = RegistryProcess.freePort();
                return Map.ofEntries(
                        Map.entry("memroos.gateway.rate-limit.requests-per-second", "0.2"),
                        Map.entry("memroos.gateway.rate-limit.burst", "5"),
                        Map.entry("memroos.gateway.rate-limit.failed-auth-per-second", "0.2"),
                        Map.entry("memroos.gateway.rate-limit.failed-auth-burst", "3"),
                        Map.entry("memroos.gateway.timeout", "1s"),
                        Map.entry("memroos.gateway.services.dead", "http://127.0.0.1:" + closedPort),
                        Map.entry("memroos.gateway.services.blackhole", "http://127.0.0.1:" + blackHolePort()),
                        Map.entry("memroos.gateway.routes.\"/api/dead\"", "dead"),
                        Map.entry("memroos.gateway.routes.\"/api/blackhole\"", "blackhole"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static synchronized int blackHolePort() throws IOException {
            if (blackHole == null) {
                blackHole = new ServerSocket(0);
                Thread t = new Thread(() -> {
                    while (!blackHole.isClosed()) {
                        try {
                            HELD.add(blackHole.accept());
                        } catch (IOException closed) {
                            return;
                        }
                    }
                }, "black-hole");
                t.setDaemon(true);
                t.start();
            }
            return blackHole.getLocalPort();
        }
    }

    @Test
    @Order(1)
    void anUnreachableServiceIs503NamingIt() {
        asOperator().get("/api/dead/things").then().statusCode(503).contentType("application/problem+json")
                .body("detail", containsString("dead")).body("status", equalTo(503));
    }

    @Test
    @Order(2)
    void aServiceThatDoesNotAnswerIs504AfterTheTimeout() {
        long start = System.nanoTime();
        asOperator().get("/api/blackhole/x").then().statusCode(504).contentType("application/problem+json")
                .body("detail", containsString("blackhole"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis >= 900 && millis < 5000, "answered after " + millis + " ms with a 1 s timeout");
    }

    @Test
    @Order(3)
    void aKeyOverItsRateIs429WithRetryAfter() throws InterruptedException {
        // warm the registry JVM directly (not through the gateway, so the key's bucket is untouched): on a
        // loaded machine its first answers can take longer than this profile's 1 s timeout
        for (int i = 0; i < 3; i++) {
            RestAssured.given().header("Authorization", "Bearer " + tokens.operator())
                    .get(Fixtures.registryUrl() + "/api/agents").then().statusCode(200);
        }
        Thread.sleep(1500);
        Response limited = null;
        int allowed = 0;
        for (int i = 0; i < 12 && limited == null; i++) {
            Response r = asOperator().get("/api/agents");
            if (r.statusCode() == 429) {
                limited = r;
            } else {
                assertEquals(200, r.statusCode());
                allowed++;
            }
        }
        assertNotNull(limited, "no 429 after 12 quick requests with burst 5");
        assertTrue(allowed >= 1 && allowed <= 7, "allowed " + allowed + " before limiting");
        limited.then().contentType("application/problem+json").body("status", equalTo(429));
        int retryAfter = Integer.parseInt(limited.getHeader("Retry-After"));
        assertTrue(retryAfter >= 1, "Retry-After " + retryAfter);
        Thread.sleep(retryAfter * 1000L + 100);
        asOperator().get("/api/agents").then().statusCode(200);
    }

    @Test
    @Order(4)
    void repeatedFailedAuthenticationFromOneAddressIs429() {
        Response limited = null;
        for (int i = 0; i < 6 && limited == null; i++) {
            Response r = withKey("mro_guess-" + i).get("/api/agents");
            if (r.statusCode() == 429) {
                limited = r;
            } else {
                assertEquals(401, r.statusCode());
            }
        }
        assertNotNull(limited, "no 429 after 6 failed attempts with a burst of 3");
        assertTrue(Integer.parseInt(limited.getHeader("Retry-After")) >= 1);
        limited.then().contentType("application/problem+json").body("detail", containsString("failed authentication"));
    }
}
