package io.memroos.memory.llm;

import com.fasterxml.jackson.databind.JsonNode;
import io.memroos.memory.domain.Extraction;
import io.memroos.memory.domain.LlmExtractor;
import io.memroos.memory.embed.RemoteEmbedder;
import io.memroos.memory.lucene.LuceneIndex;
import io.memroos.memory.store.StoreException;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.memroos.memory.llm.ScriptedEndpoint.Reply;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real langchain4j clients (OpenAI through quarkus-langchain4j, Ollama through langchain4j-ollama) against a
 * scripted endpoint on this machine that speaks their wire formats: extraction, validation and retry, failures
 * (an error status, a timeout), remote embeddings and their dimension check. A Quarkus test, because the OpenAI
 * client is the extension's Quarkus REST client.
 */
@QuarkusTest
class ModelClientsTest {

    private static final String KEY = "sk-test-do-not-log-7f3a";
    private static final List<Extraction.Item> ITEMS = List.of(
            new Extraction.Item("user", "I moved from Lyon to Paris last month.", Map.of()),
            new Extraction.Item("assistant", "Congratulations on the move!", Map.of()));
    private static final List<Extraction.Similar> SIMILAR = List.of(new Extraction.Similar("mem_old", "Tom lives in Lyon"));
    private static final String VALID = """
            {"facts":[{"op":"update","id":"mem_old","text":"Tom lives in Paris","source":0},
                      {"op":"add","text":"Tom moved in October","source":0}],
             "entities":[{"name":"Tom","type":"person"},{"name":"Paris","type":"place"}],
             "relations":[{"from":"Tom","type":"lives_in","to":"Paris","validFrom":"2026-10-01T00:00:00Z"}]}""";

    private ScriptedEndpoint endpoint;

    @BeforeEach
    void start() {
        endpoint = ScriptedEndpoint.start();
    }

    @AfterEach
    void stop() {
        endpoint.close();
    }

    private ModelEndpoint openAi(String model, Duration timeout) {
        return new ModelEndpoint("openai", endpoint.url("/v1"), model, KEY, timeout);
    }

    private ModelEndpoint ollama(String model, Duration timeout) {
        return new ModelEndpoint("ollama", endpoint.url(""), model, null, timeout);
    }

    private static Extraction extract(ModelEndpoint e) {
        return new LlmExtractor(ModelClients.chat(e)).extract(ITEMS, t -> SIMILAR);
    }

    private static String userMessage(ScriptedEndpoint.Request r) {
        return r.json().path("messages").path(1).path("content").asText();
    }

    // ---- extraction -------------------------------------------------------------------------------------

    @Test
    void openAiExtractionSendsJsonModeAndTheKeyAndUsesTheAnswer() {
        endpoint.script(Reply.ok(ScriptedEndpoint.openAiChat(VALID)));
        Extraction e = extract(openAi("gpt-test", Duration.ofSeconds(10)));

        assertEquals("llm:gpt-test", e.pipeline());
        assertEquals(List.of(Extraction.Kind.UPDATE, Extraction.Kind.ADD), e.ops().stream().map(Extraction.Op::kind).toList());
        assertEquals("mem_old", e.ops().get(0).targetId());
        assertEquals(2, e.entities().size());
        assertEquals("lives_in", e.relations().get(0).type());

        assertEquals(1, endpoint.requests.size());
        ScriptedEndpoint.Request r = endpoint.requests.get(0);
        assertEquals("POST", r.method());
        assertEquals("/v1/chat/completions", r.path());
        assertEquals("Bearer " + KEY, r.headers().get("authorization"));
        JsonNode body = r.json();
        assertEquals("gpt-test", body.path("model").asText());
        assertEquals("json_object", body.path("response_format").path("type").asText());
        assertEquals(0.0, body.path("temperature").asDouble(-1));
        assertEquals("system", body.path("messages").path(0).path("role").asText());
        assertTrue(body.path("messages").path(0).path("content").asText().contains("ONE JSON object"));
        assertEquals("user", body.path("messages").path(1).path("role").asText());
        assertTrue(userMessage(r).contains("mem_old") && userMessage(r).contains("Lyon to Paris"),
                "the messages and the similar facts are in the prompt: " + userMessage(r));
    }

    @Test
    void anOpenAiCompatibleEndpointWithoutAKeyGetsNoBearerToken() {
        endpoint.script(Reply.ok(ScriptedEndpoint.openAiChat(VALID)));
        Extraction e = extract(new ModelEndpoint("openai", endpoint.url("/v1"), "local-test", null,
                Duration.ofSeconds(10)));
        assertEquals("llm:local-test", e.pipeline());
        String authorization = endpoint.requests.get(0).headers().get("authorization");
        assertTrue(authorization == null || !authorization.contains("null"), "authorization: " + authorization);
    }

    @Test
    void ollamaExtractionUsesApiChatWithJsonFormat() {
        endpoint.script(Reply.ok(ScriptedEndpoint.ollamaChat(VALID)));
        Extraction e = extract(ollama("llama-test", Duration.ofSeconds(10)));

        assertEquals("llm:llama-test", e.pipeline());
        assertEquals(2, e.ops().size());
        ScriptedEndpoint.Request r = endpoint.requests.get(0);
        assertEquals("/api/chat", r.path());
        assertNull(r.headers().get("authorization"), "no key configured, none sent");
        JsonNode body = r.json();
        assertEquals("llama-test", body.path("model").asText());
        assertEquals("json", body.path("format").asText());
        assertFalse(body.path("stream").asBoolean(true), "one answer, not a stream");
        assertEquals(0.0, body.path("options").path("temperature").asDouble(-1));
    }

    @Test
    void anInvalidAnswerIsSentBackWithItsErrorsAndAValidRetryIsUsed() {
        endpoint.script(Reply.ok(ScriptedEndpoint.ollamaChat("{\"facts\":[{\"op\":\"update\",\"id\":\"mem_someone_elses\",\"text\":\"x\"}]}")),
                Reply.ok(ScriptedEndpoint.ollamaChat("{\"facts\":[{\"op\":\"add\",\"text\":\"Tom lives in Paris\",\"source\":0}]}")));
        Extraction e = extract(ollama("llama-test", Duration.ofSeconds(10)));

        assertEquals("llm:llama-test+retry", e.pipeline());
        assertEquals(List.of("Tom lives in Paris"), e.ops().stream().map(Extraction.Op::text).toList());
        assertEquals(2, endpoint.requests.size());
        String retry = userMessage(endpoint.requests.get(1));
        assertTrue(retry.contains("facts[0].id: must be one of the existing facts offered")
                && retry.contains("mem_someone_elses"), retry);
    }

    @Test
    void invalidJsonTwiceFallsBackToTheDeterministicPipelineAndDropsNothing() {
        endpoint.script(Reply.ok(ScriptedEndpoint.openAiChat("Sure! Tom moved to Paris.")),
                Reply.ok(ScriptedEndpoint.openAiChat("{\"facts\": \"oops\"}")));
        Extraction e = extract(openAi("gpt-test", Duration.ofSeconds(10)));

        assertEquals("llm:gpt-test+fallback", e.pipeline());
        assertEquals(List.of("I moved from Lyon to Paris last month.", "Congratulations on the move!"),
                e.ops().stream().map(Extraction.Op::text).toList());
        assertTrue(e.ops().stream().allMatch(o -> o.kind() == Extraction.Kind.ADD));
        assertTrue(e.entities().isEmpty() && e.relations().isEmpty());
        assertEquals(2, endpoint.requests.size(), "one retry, no more");
        String retry = userMessage(endpoint.requests.get(1));
        assertTrue(retry.contains("not JSON") && retry.contains("Sure! Tom moved to Paris."), retry);
    }

    @Test
    void anErrorStatusIsTriedOnceMoreThenFallsBack() {
        endpoint.script(Reply.status(500), Reply.status(500));
        Extraction e = extract(openAi("gpt-test", Duration.ofSeconds(10)));
        assertEquals("llm:gpt-test+fallback", e.pipeline());
        assertEquals(2, e.ops().size());
        assertEquals(2, endpoint.requests.size(), "the client itself does not retry; the extractor tries twice");
        assertEquals(userMessage(endpoint.requests.get(0)), userMessage(endpoint.requests.get(1)),
                "after a failed call the same prompt is sent again");

        endpoint.requests.clear();
        endpoint.script(Reply.status(503), Reply.ok(ScriptedEndpoint.ollamaChat(VALID)));
        assertEquals("llm:llama-test+retry", extract(ollama("llama-test", Duration.ofSeconds(10))).pipeline(),
                "a call that fails and then answers well is used, marked as a retry");
        assertEquals(2, endpoint.requests.size());
    }

    @Test
    void aModelThatDoesNotAnswerInTimeFallsBack() {
        Duration slow = Duration.ofSeconds(6);
        endpoint.script(Reply.ok(ScriptedEndpoint.openAiChat(VALID)).after(slow),
                Reply.ok(ScriptedEndpoint.openAiChat(VALID)).after(slow),
                Reply.ok(ScriptedEndpoint.ollamaChat(VALID)).after(slow),
                Reply.ok(ScriptedEndpoint.ollamaChat(VALID)).after(slow));
        long t0 = System.nanoTime();
        Extraction open = extract(openAi("gpt-test", Duration.ofSeconds(1)));
        long openMs = (System.nanoTime() - t0) / 1_000_000;
        t0 = System.nanoTime();
        Extraction oll = extract(ollama("llama-test", Duration.ofSeconds(1)));
        long ollamaMs = (System.nanoTime() - t0) / 1_000_000;

        assertEquals("llm:gpt-test+fallback", open.pipeline());
        assertEquals("llm:llama-test+fallback", oll.pipeline());
        assertEquals(2, open.ops().size());
        // two attempts of 1 s each, not two of 6 s
        assertTrue(openMs < 5_000, "openai gave up after " + openMs + " ms");
        assertTrue(ollamaMs < 5_000, "ollama gave up after " + ollamaMs + " ms");
    }

    @Test
    void theApiKeyIsNeverLogged() {
        List<String> logged = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(String.valueOf(record.getMessage()) + " " + List.of(record.getParameters() == null
                        ? new Object[0] : record.getParameters()) + " " + record.getThrown());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Reply echo = new Reply(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + "\"}}",
                Duration.ZERO);
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        try {
            // an endpoint that echoes the key in its error (some do) has it blanked
            endpoint.script(echo, Reply.ok(ScriptedEndpoint.openAiChat("not json")));
            extract(openAi("gpt-test", Duration.ofSeconds(10)));
            endpoint.script(echo);
            RemoteEmbedder embedder = new RemoteEmbedder(ModelClients.embeddings(openAi("embed-test",
                    Duration.ofSeconds(10))), "openai", "embed-test", 8, "", 16);
            StoreException down = assertThrows(StoreException.class, () -> embedder.embedQuery("hello"));
            assertTrue(down.getMessage().contains("Incorrect API key provided: [api-key]"), down.getMessage());
            Throwable t = down;
            for (; t != null; t = t.getCause()) {
                assertFalse(String.valueOf(t.getMessage()).contains(KEY), t.toString());
            }
        } finally {
            root.removeHandler(capture);
        }
        assertFalse(logged.isEmpty(), "the failures were logged");
        assertTrue(logged.stream().anyMatch(l -> l.contains("[api-key]")), String.join("\n", logged));
        assertTrue(logged.stream().noneMatch(l -> l.contains(KEY)), String.join("\n", logged));
        assertFalse(openAi("gpt-test", Duration.ofSeconds(1)).toString().contains(KEY));
        assertEquals(3, endpoint.requests.size());
        assertTrue(endpoint.requests.stream().allMatch(r -> ("Bearer " + KEY).equals(r.headers().get("authorization"))),
                "the key is sent, to the endpoint only");
    }

    // ---- remote embeddings --------------------------------------------------------------------------------

    @Test
    void openAiEmbeddingsAreCheckedAndQueriesCached() {
        endpoint.otherwise(r -> ScriptedEndpoint.embeddings(r, 8));
        RemoteEmbedder embedder = new RemoteEmbedder(ModelClients.embeddings(openAi("embed-test",
                Duration.ofSeconds(10))), "openai", "embed-test", 8, "query: ", 16);

        assertEquals("openai:embed-test", embedder.modelId());
        assertEquals(8, embedder.dimension());
        List<float[]> docs = embedder.embedDocuments(List.of("Tom lives in Paris", "Maria likes tea"));
        assertEquals(2, docs.size());
        assertArrayEquals(ScriptedEndpoint.vectorOf("Tom lives in Paris", 8), docs.get(0));
        assertArrayEquals(ScriptedEndpoint.vectorOf("Maria likes tea", 8), docs.get(1));
        ScriptedEndpoint.Request r = endpoint.requests.get(0);
        assertEquals("/v1/embeddings", r.path());
        assertEquals("embed-test", r.json().path("model").asText());
        assertEquals(List.of("Tom lives in Paris", "Maria likes tea"), ScriptedEndpoint.inputs(r));
        assertEquals("Bearer " + KEY, r.headers().get("authorization"));

        float[] q = embedder.embedQuery("where does Tom live");
        assertArrayEquals(ScriptedEndpoint.vectorOf("query: where does Tom live", 8), q, "the query prefix is sent");
        assertEquals(List.of("query: where does Tom live"), ScriptedEndpoint.inputs(endpoint.requests.get(1)));
        assertArrayEquals(q, embedder.embedQuery("where does Tom live"));
        assertEquals(2, endpoint.requests.size(), "a repeated query is answered from the cache");
        assertEquals(List.of(), embedder.embedDocuments(List.of()));
        assertEquals(2, endpoint.requests.size(), "nothing to embed, no call");
    }

    @Test
    void ollamaEmbeddingsUseApiEmbed() {
        endpoint.otherwise(r -> ScriptedEndpoint.embeddings(r, 6));
        RemoteEmbedder embedder = new RemoteEmbedder(ModelClients.embeddings(ollama("nomic-test",
                Duration.ofSeconds(10))), "ollama", "nomic-test", 6, "", 16);
        List<float[]> docs = embedder.embedDocuments(List.of("one", "two", "three"));
        assertEquals(3, docs.size());
        assertArrayEquals(ScriptedEndpoint.vectorOf("three", 6), docs.get(2));
        ScriptedEndpoint.Request r = endpoint.requests.get(0);
        assertEquals("/api/embed", r.path());
        assertEquals("nomic-test", r.json().path("model").asText());
        assertEquals(List.of("one", "two", "three"), ScriptedEndpoint.inputs(r));
        assertEquals("ollama:nomic-test", embedder.modelId());
    }

    @Test
    void aVectorOfAnotherDimensionIsRefusedWithAClearError() {
        endpoint.otherwise(r -> ScriptedEndpoint.embeddings(r, 4));
        RemoteEmbedder openai = new RemoteEmbedder(ModelClients.embeddings(openAi("embed-test",
                Duration.ofSeconds(10))), "openai", "embed-test", 8, "", 16);
        StoreException docs = assertThrows(StoreException.class, () -> openai.embedDocuments(List.of("a text")));
        assertEquals(StoreException.Kind.INCOMPATIBLE, docs.kind());
        assertTrue(docs.getMessage().contains("openai:embed-test") && docs.getMessage().contains("dimension 4")
                && docs.getMessage().contains("memroos.memory.embedding.dimension is 8"), docs.getMessage());

        RemoteEmbedder ollama = new RemoteEmbedder(ModelClients.embeddings(ollama("nomic-test",
                Duration.ofSeconds(10))), "ollama", "nomic-test", 8, "", 16);
        StoreException query = assertThrows(StoreException.class, () -> ollama.embedQuery("a query"));
        assertEquals(StoreException.Kind.INCOMPATIBLE, query.kind());
        assertTrue(query.getMessage().contains("ollama:nomic-test"), query.getMessage());
        assertThrows(StoreException.class, () -> ollama.embedQuery("a query"), "a refused vector is not cached");
    }

    @Test
    void anIndexBuiltWithAnotherModelRefusesTheRemoteOne() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target"), "remote-index");
        LuceneIndex.open(dir, "all-minilm-l6-v2", 384).close();
        RemoteEmbedder remote = new RemoteEmbedder(ModelClients.embeddings(ollama("nomic-test",
                Duration.ofSeconds(10))), "ollama", "nomic-test", 768, "", 16);

        StoreException refused = assertThrows(StoreException.class,
                () -> LuceneIndex.open(dir, remote.modelId(), remote.dimension()));
        assertEquals(StoreException.Kind.INCOMPATIBLE, refused.kind());
        assertTrue(refused.getMessage().contains("all-minilm-l6-v2") && refused.getMessage().contains("ollama:nomic-test")
                && refused.getMessage().contains("768"), refused.getMessage());
        assertEquals(0, endpoint.requests.size(), "refused before any embedding is asked for");
    }

    @Test
    void anEmbeddingEndpointThatFailsIsUnavailable() {
        endpoint.script(Reply.status(500), Reply.ok("{}").after(Duration.ofSeconds(6)));
        RemoteEmbedder embedder = new RemoteEmbedder(ModelClients.embeddings(openAi("embed-test",
                Duration.ofSeconds(1))), "openai", "embed-test", 8, "", 16);
        StoreException status = assertThrows(StoreException.class, () -> embedder.embedDocuments(List.of("x")));
        assertEquals(StoreException.Kind.UNAVAILABLE, status.kind());
        assertTrue(status.getMessage().startsWith("embedding endpoint openai:embed-test failed"), status.getMessage());
        long t0 = System.nanoTime();
        StoreException slow = assertThrows(StoreException.class, () -> embedder.embedQuery("y"));
        assertEquals(StoreException.Kind.UNAVAILABLE, slow.kind());
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 5_000, "the timeout applies");
    }

    @Test
    void anEndpointNeedsAProviderAURLAndAModel() {
        assertThrows(IllegalArgumentException.class, () -> new ModelEndpoint("azure", "http://x", "m", null,
                Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new ModelEndpoint("openai", " ", "m", null,
                Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new ModelEndpoint("ollama", "http://x", "", null,
                Duration.ofSeconds(1)));
        assertEquals("http://x/v1", new ModelEndpoint("openai", "http://x/v1/", "m", "", Duration.ofSeconds(1)).baseUrl());
        assertNull(new ModelEndpoint("openai", "http://x/v1/", "m", "", Duration.ofSeconds(1)).apiKey());
        assertEquals(Duration.ofSeconds(1), new ModelEndpoint("openai", "http://x", "m", null, Duration.ofMillis(300))
                .timeout(), "the REST client counts whole seconds and reads 0 as none: rounded up");
        assertEquals(Duration.ofSeconds(3), new ModelEndpoint("openai", "http://x", "m", null, Duration.ofMillis(2001))
                .timeout());
        assertEquals(Duration.ofSeconds(60), new ModelEndpoint("openai", "http://x", "m", null, Duration.ofSeconds(60))
                .timeout());
    }
}
