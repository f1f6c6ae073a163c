package io.memroos.registry.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.memroos.registry.api.Api.as;
import static io.memroos.registry.api.Api.asOperator;
import static io.memroos.registry.api.Api.register;
import static io.memroos.registry.api.TestTokens.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/** Liveness follows the configured thresholds (shortened here to 2 s / 4 s). */
@QuarkusTest
@TestProfile(LivenessThresholdsTest.Short.class)
class LivenessThresholdsTest {

    public static class Short implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("memroos.registry.liveness.stale-after", "2s",
                    "memroos.registry.liveness.offline-after", "4s");
        }
    }

    @Test
    void goesOnlineThenStaleThenOffline() throws Exception {
        String capability = "thr-" + unique();
        String agent = register("thresholds-" + unique(), capability);
        asOperator().get("/api/agents/" + agent).then().body("liveness", equalTo("offline"));
        as(TestTokens.agent(agent)).body(Map.of("status", "ok")).post("/api/heartbeat").then().statusCode(202)
                .body("liveness", equalTo("online"));
        asOperator().get("/api/agents/" + agent).then().body("liveness", equalTo("online"));

        Thread.sleep(2500);
        asOperator().get("/api/agents/" + agent).then().body("liveness", equalTo("stale"));
        asOperator().queryParam("capability", capability).queryParam("status", "stale").get("/api/agents")
                .then().body("items.id", hasItem(agent));
        asOperator().queryParam("capability", capability).queryParam("status", "online").get("/api/agents")
                .then().body("items.id", not(hasItem(agent)));

        Thread.sleep(2000);
        asOperator().get("/api/agents/" + agent).then().body("liveness", equalTo("offline"));
        asOperator().queryParam("capability", capability).queryParam("status", "offline").get("/api/agents")
                .then().body("items.id", hasItem(agent));

        as(TestTokens.agent(agent)).body(Map.of("status", "ok")).post("/api/heartbeat").then().statusCode(202);
        asOperator().get("/api/agents/" + agent).then().body("liveness", equalTo("online"));
    }
}
