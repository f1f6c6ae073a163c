package io.memroos.memory.llm;

import io.memroos.memory.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The router configured with a language model (an OpenAI-compatible endpoint) and remote embeddings (Ollama),
 * both served by a scripted endpoint on this machine: configuration alone selects them, the add pipeline runs
 * through the model, and the index records the remote embedding model and its dimension.
 */
@QuarkusTest
@TestProfile(RemoteModelsApiTest.Remote.class)
class RemoteModelsApiTest {

    static final int DIMENSION = 8;
    static final String ANSWER = """
            {"facts":[{"op":"add","text":"Tom lives in Paris","source":0}],
             "entities":[{"name":"Tom","type":"person"},{"name":"Paris","type":"place"}],
             "relations":[{"from":"Tom","type":"lives_in","to":"Paris"}]}""";

    public static class Remote implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Endpoint.class));
        }
    }

    /**
     * One scripted endpoint for both: chat completions answer {@link #ANSWER}, /api/embed hashed vectors (a 500
     * for a text with FAIL-EMBED, vectors of half the dimension for one with WRONG-DIM).
     */
    public static class Endpoint implements QuarkusTestResourceLifecycleManager {
        private ScriptedEndpoint endpoint;

        @Override
        public Map<String, String> start() {
            endpoint = ScriptedEndpoint.start().otherwise(r -> {
                if (r.path().endsWith("/chat/completions")) {
                    return ScriptedEndpoint.Reply.ok(ScriptedEndpoint.openAiChat(ANSWER));
                }
                String input = String.join(" ", ScriptedEndpoint.inputs(r));
                if (input.contains("FAIL-EMBED")) {
                    return ScriptedEndpoint.Reply.status(500);
                }
                return ScriptedEndpoint.embeddings(r, input.contains("WRONG-DIM") ? DIMENSION / 2 : DIMENSION);
            });
            return Map.of("memroos.memory.llm.provider", "openai",
                    "memroos.memory.llm.base-url", endpoint.url("/v1"),
                    "memroos.memory.llm.model", "gpt-e2e",
                    "memroos.memory.llm.api-key", "sk-e2e",
                    "memroos.memory.embedding.provider", "ollama",
                    "memroos.memory.embedding.base-url", endpoint.url(""),
                    "memroos.memory.embedding.model", "nomic-e2e",
                    "memroos.memory.embedding.dimension", Integer.toString(DIMENSION));
        }

        @Override
        public void stop() {
            if (endpoint != null) {
                endpoint.close();
            }
        }
    }

    private static RequestSpecification asAgent(String id) {
        return RestAssured.given().auth().oauth2(TestTokens.agent(id)).contentType(ContentType.JSON);
    }

    @Test
    void theModelExtractsAndTheRemoteModelEmbeds() {
        String agent = "agt_" + TestTokens.unique();
        JsonPath added = asAgent(agent).body(Map.of("messages", List.of(
                        Map.of("role", "user", "content", "I moved from Lyon to Paris last month."))))
                .post("/api/memory").then().statusCode(200)
                .body("pipeline", equalTo("llm:gpt-e2e"))
                .body("results[0].text", equalTo("Tom lives in Paris"))
                .extract().jsonPath();
        assertEquals(2, added.getList("entities").size());
        assertEquals(1, added.getList("relations").size());
        String id = added.getString("results[0].id");

        asAgent(agent).body(Map.of("query", "Tom lives in Paris", "mode", "vector")).post("/api/recall")
                .then().statusCode(200).body("results.id", hasItem(id));

        JsonPath inventory = asAgent(agent).get("/api/memory-inventory").then().statusCode(200).extract().jsonPath();
        assertEquals("ollama:nomic-e2e", inventory.getString("index.model"));
        assertEquals(DIMENSION, inventory.getInt("index.dimension"));
    }

    @Test
    void aFailingOrWrongEmbeddingEndpointIsA503NeverAMixedIndex() {
        String agent = "agt_" + TestTokens.unique();
        asAgent(agent).body(Map.of("query", "FAIL-EMBED where is Tom")).post("/api/recall")
                .then().statusCode(503).header("Retry-After", notNullValue())
                .body("detail", containsString("embedding endpoint ollama:nomic-e2e failed"));
        asAgent(agent).body(Map.of("query", "WRONG-DIM where is Tom")).post("/api/recall")
                .then().statusCode(503)
                .body("detail", containsString("dimension " + DIMENSION / 2))
                .body("detail", containsString("memroos.memory.embedding.dimension is " + DIMENSION));
        asAgent(agent).body(Map.of("text", "WRONG-DIM Tom lives in Paris")).post("/api/memory")
                .then().statusCode(503);
        asAgent(agent).get("/api/memory").then().statusCode(200).body("items.size()", equalTo(0));
    }
}
