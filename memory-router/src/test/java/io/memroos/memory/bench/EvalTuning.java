package io.memroos.memory.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.memroos.memory.domain.Caller;
import io.memroos.memory.domain.RecallWeights;
import io.memroos.memory.embed.OnnxEmbedder;
import io.memroos.memory.testing.EmbeddedMemory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * A grid over the fusion weights on the shipped set, printing tune and held-out recall@5 per setting: how the
 * defaults in application.properties were chosen (on the tune split only). Not a test; run with
 * {@code bench/memory/run --tune}.
 */
public final class EvalTuning {

    public static void main(String[] args) throws Exception {
        String set = Files.readString(Path.of(args.length > 0 ? args[0]
                : "src/main/resources/evals/memroos-conversations.jsonl"));
        OnnxEmbedder embedder = new OnnxEmbedder(2, "", 4096);
        ObjectMapper json = new ObjectMapper();
        try (EmbeddedMemory m = new EmbeddedMemory(Path.of("target", "tuning", UUID.randomUUID().toString()), embedder,
                null)) {
            Map<String, Object> first = m.evals.run(Caller.operator(), set, null);
            System.out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(first.get("modes")));
            System.out.printf("%-8s %5s %5s %5s %5s %5s | %8s %8s | %8s %8s%n", "fusion", "vec", "kw", "graph", "rec",
                    "nb", "tune@5", "tuneMRR", "held@5", "heldMRR");
            double[] kws = {0.2, 0.4, 0.7, 1.0};
            double[] nbs = {0.0, 0.3};
            for (String fusion : new String[]{"weighted", "rrf"}) {
                for (double kw : kws) {
                    for (double nb : nbs) {
                        RecallWeights w = new RecallWeights(fusion, 1.0, kw, 0.3, 0.05, nb, 60, Duration.ofDays(30), 50);
                        Map<String, Object> r = m.evals.run(Caller.operator(), set, w);
                        print(fusion, w, r);
                    }
                }
            }
        } finally {
            embedder.close();
        }
    }

    @SuppressWarnings("unchecked")
    static void print(String fusion, RecallWeights w, Map<String, Object> r) {
        Map<String, Object> h = (Map<String, Object>) ((Map<String, Object>) r.get("modes")).get("hybrid");
        Map<String, Object> splits = (Map<String, Object>) h.get("splits");
        Map<String, Object> tune = (Map<String, Object>) splits.get("tune");
        Map<String, Object> held = (Map<String, Object>) splits.get("heldout");
        System.out.printf("%-8s %5.2f %5.2f %5.2f %5.2f %5.2f | %8.4f %8.4f | %8.4f %8.4f%n", fusion, w.vector(),
                w.keyword(), w.graph(), w.recency(), w.neighbours(), tune.get("recall@5"), tune.get("mrr"),
                held.get("recall@5"), held.get("mrr"));
    }
}
