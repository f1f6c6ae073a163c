package io.memroos.memory.domain;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The model pipeline's JSON validation and retry, with a scripted model (no hosted model can run here). The
 * scripted model is a real {@link ChatModel}: it answers from a queue and records the prompts it was given.
 */
class LlmExtractorTest {

    /** Answers from a script, in order; an exception in the script is thrown. */
    static final class ScriptedModel implements ChatModel {
        final Deque<Object> script = new ArrayDeque<>();
        final List<String> prompts = new ArrayList<>();

        ScriptedModel(Object... answers) {
            script.addAll(List.of(answers));
        }

        @Override
        public String id() {
            return "scripted";
        }

        @Override
        public String complete(String system, String user) {
            prompts.add(user);
            Object next = script.removeFirst();
            if (next instanceof RuntimeException e) {
                throw e;
            }
            return (String) next;
        }
    }

    private static final List<Extraction.Item> ITEMS = List.of(
            new Extraction.Item("user", "I moved from Lyon to Paris last month.", Map.of()),
            new Extraction.Item("assistant", "Congratulations on the move!", Map.of()));

    private static final List<Extraction.Similar> SIMILAR = List.of(new Extraction.Similar("mem_old", "Tom lives in Lyon"));

    @Test
    void aValidAnswerIsUsedAtOnce() {
        ScriptedModel model = new ScriptedModel("""
                ```json
                {"facts":[{"op":"update","id":"mem_old","text":"Tom lives in Paris","source":0},
                          {"op":"add","text":"Tom moved in October","source":0}],
                 "entities":[{"name":"Tom","type":"person"},{"name":"Paris","type":"place"}],
                 "relations":[{"from":"Tom","type":"lives_in","to":"Paris","validFrom":"2026-10-01T00:00:00Z"}]}
                ```""");
        Extraction e = new LlmExtractor(model).extract(ITEMS, t -> SIMILAR);
        assertEquals("llm:scripted", e.pipeline());
        assertEquals(2, e.ops().size());
        assertEquals(Extraction.Kind.UPDATE, e.ops().get(0).kind());
        assertEquals("mem_old", e.ops().get(0).targetId());
        assertEquals(1, e.relations().size());
        assertEquals(1, model.prompts.size());
        assertTrue(model.prompts.get(0).contains("mem_old"), "similar facts are offered to the model");
    }

    @Test
    void anInvalidAnswerIsRetriedOnceWithTheErrors() {
        ScriptedModel model = new ScriptedModel(
                "{\"facts\":[{\"op\":\"update\",\"id\":\"mem_someone_elses\",\"text\":\"x\"}]}",
                "{\"facts\":[{\"op\":\"add\",\"text\":\"Tom lives in Paris\",\"source\":0}]}");
        Extraction e = new LlmExtractor(model).extract(ITEMS, t -> SIMILAR);
        assertEquals("llm:scripted+retry", e.pipeline());
        assertEquals(List.of("Tom lives in Paris"), e.ops().stream().map(Extraction.Op::text).toList());
        assertEquals(2, model.prompts.size());
        assertTrue(model.prompts.get(1).contains("facts[0].id: must be one of the existing facts offered"),
                model.prompts.get(1));
    }

    @Test
    void twoBadAnswersFallBackToTheDeterministicPipelineAndDropNothing() {
        ScriptedModel model = new ScriptedModel("Sure! Here are the facts: Tom moved.", "{\"facts\": \"oops\"}");
        Extraction e = new LlmExtractor(model).extract(ITEMS, t -> SIMILAR);
        assertEquals("llm:scripted+fallback", e.pipeline());
        assertEquals(List.of("I moved from Lyon to Paris last month.", "Congratulations on the move!"),
                e.ops().stream().map(Extraction.Op::text).toList());
        assertTrue(e.ops().stream().allMatch(o -> o.kind() == Extraction.Kind.ADD));
    }

    @Test
    void anUnreachableModelFallsBackToo() {
        ScriptedModel model = new ScriptedModel(new IllegalStateException("connection refused"),
                new IllegalStateException("connection refused"));
        Extraction e = new LlmExtractor(model).extract(ITEMS, t -> List.of());
        assertEquals("llm:scripted+fallback", e.pipeline());
        assertEquals(2, e.ops().size());
        assertEquals(model.prompts.get(0), model.prompts.get(1), "after a failed call the same prompt is sent again");
    }

    @Test
    void aFailedCallThenAValidAnswerIsARetry() {
        ScriptedModel model = new ScriptedModel(new IllegalStateException("model endpoint answered 503"),
                "{\"facts\":[{\"op\":\"add\",\"text\":\"Tom lives in Paris\",\"source\":0}]}");
        Extraction e = new LlmExtractor(model).extract(ITEMS, t -> SIMILAR);
        assertEquals("llm:scripted+retry", e.pipeline());
        assertEquals(List.of("Tom lives in Paris"), e.ops().stream().map(Extraction.Op::text).toList());
    }

    @Test
    void validationNamesEveryProblem() {
        LlmExtractor.Parsed p = LlmExtractor.parse("""
                {"facts":[{"op":"merge","text":"x"},{"op":"add","text":""},{"op":"add","text":"ok","source":7}],
                 "entities":[{"name":""}],
                 "relations":[{"from":"A","type":"knows","to":"B"}]}""", 2, java.util.Set.of());
        assertEquals(List.of("facts[0].op: must be add, update or invalidate",
                "facts[1].text: must be 1 to 1000 characters",
                "facts[2].source: must be a message index 0..1",
                "entities[0].name: must be 1 to 200 characters",
                "relations[0]: from and to must name listed entities"), p.errors());
        assertEquals(List.of("not JSON: " + LlmExtractor.parse("{", 1, java.util.Set.of()).errors().get(0)
                .substring("not JSON: ".length())), LlmExtractor.parse("{", 1, java.util.Set.of()).errors());
        assertEquals(List.of("the answer must be one JSON object"), LlmExtractor.parse("[1,2]", 1, java.util.Set.of()).errors());
    }
}
