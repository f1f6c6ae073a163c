package io.memroos.memory.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memroos.memory.store.GraphStore;
import io.memroos.memory.store.Scope;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Recall evaluation as a feature: loads a labelled JSONL set into a throwaway agent scope, runs every query
 * with vector only, keyword only, plain RRF (k=60, the baseline) and the configured hybrid fusion, reports
 * recall@k, MRR, nDCG@k and latency per mode (overall and per split), and destroys the throwaway scope.
 *
 * <pre>
 * {"type":"doc","id":"d1","text":"...","role":"user","userId":"u1","sessionId":"s1","ts":"2026-01-01T10:00:00Z"}
 * {"type":"query","id":"q1","query":"...","relevant":["d1"],"userId":"u1","split":"tune|heldout","kind":"..."}
 * </pre>
 */
public final class EvalService {

    private static final ObjectMapper JSON = new ObjectMapper();
    public static final int[] KS = {1, 5, 10};

    private final MemoryService memory;
    private final RecallService recall;
    private final MemoryIndexer indexer;
    private final GraphStore graph;
    private final int maxDocs;
    private final int maxQueries;
    private final Clock clock;

    public EvalService(MemoryService memory, RecallService recall, MemoryIndexer indexer, GraphStore graph,
                       int maxDocs, int maxQueries, Clock clock) {
        this.memory = memory;
        this.recall = recall;
        this.indexer = indexer;
        this.graph = graph;
        this.maxDocs = maxDocs;
        this.maxQueries = maxQueries;
        this.clock = clock;
    }

    record Doc(String id, String text, String role, String userId, String sessionId, Instant at) {
    }

    record Query(String id, String text, Set<String> relevant, String userId, String split, String kind) {
    }

    /** Runs the evaluation; {@code weights} null = the configured fusion. */
    public Map<String, Object> run(Caller caller, String jsonl, RecallWeights weights) {
        caller.mustBeOperator("run recall evaluations");
        List<Doc> docs = new ArrayList<>();
        List<Query> queries = new ArrayList<>();
        parse(jsonl, docs, queries);
        String agent = "eval-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        long started = System.nanoTime();
        try {
            Map<String, String> memoryOf = ingest(caller, agent, docs);
            double ingestSeconds = (System.nanoTime() - started) / 1e9;
            RecallWeights tuned = weights == null ? recall.defaults() : weights;
            Map<String, RecallWeights> modes = new LinkedHashMap<>();
            modes.put("vector", null);
            modes.put("keyword", null);
            modes.put("rrf60", RecallWeights.plainRrf(tuned));
            modes.put("hybrid", tuned);
            Map<String, Object> results = new LinkedHashMap<>();
            for (Map.Entry<String, RecallWeights> m : modes.entrySet()) {
                results.put(m.getKey(), evaluate(agent, queries, memoryOf, m.getKey(), m.getValue()));
            }
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("documents", docs.size());
            report.put("memories", new HashSet<>(memoryOf.values()).size());
            report.put("queries", queries.size());
            report.put("ks", KS);
            report.put("ingestSeconds", Math.round(ingestSeconds * 1000) / 1000.0);
            report.put("fusion", Map.of("fusion", tuned.fusion(), "vector", tuned.vector(), "keyword", tuned.keyword(),
                    "graph", tuned.graph(), "recency", tuned.recency(), "neighbours", tuned.neighbours(),
                    "candidates", tuned.candidates()));
            report.put("modes", results);
            return report;
        } finally {
            indexer.purge(agent);
            graph.purgeAgent(agent);
        }
    }

    private void parse(String jsonl, List<Doc> docs, List<Query> queries) {
        if (jsonl == null || jsonl.isBlank()) {
            throw MemoryException.invalid("body", "must be a JSONL evaluation set");
        }
        String[] lines = jsonl.split("\\R");
        Set<String> docIds = new HashSet<>();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            String where = "line " + (i + 1);
            JsonNode n;
            try {
                n = JSON.readTree(line);
            } catch (Exception e) {
                throw MemoryException.invalid(where, "is not a JSON object");
            }
            String type = n.path("type").asText("");
            switch (type) {
                case "doc" -> {
                    String id = text(n, "id", where);
                    String t = text(n, "text", where);
                    if (!docIds.add(id)) {
                        throw MemoryException.invalid(where + ".id", "duplicate document id " + id);
                    }
                    Instant at = n.hasNonNull("ts") ? Instant.parse(n.get("ts").asText()) : null;
                    docs.add(new Doc(id, t, n.path("role").asText("user"), opt(n, "userId"), opt(n, "sessionId"), at));
                    if (docs.size() > maxDocs) {
                        throw MemoryException.tooLarge("body", "more than " + maxDocs + " documents");
                    }
                }
                case "query" -> {
                    Set<String> rel = new HashSet<>();
                    n.path("relevant").forEach(x -> rel.add(x.asText()));
                    if (rel.isEmpty()) {
                        throw MemoryException.invalid(where + ".relevant", "must list at least one document id");
                    }
                    queries.add(new Query(text(n, "id", where), text(n, "query", where), rel, opt(n, "userId"),
                            n.path("split").asText("all"), n.path("kind").asText("")));
                    if (queries.size() > maxQueries) {
                        throw MemoryException.tooLarge("body", "more than " + maxQueries + " queries");
                    }
                }
                case "meta" -> {
                }
                default -> throw MemoryException.invalid(where + ".type", "must be doc, query or meta");
            }
        }
        for (Query q : queries) {
            for (String r : q.relevant()) {
                if (!docIds.contains(r)) {
                    throw MemoryException.invalid("query " + q.id() + ".relevant", "names unknown document " + r);
                }
            }
        }
        if (docs.isEmpty() || queries.isEmpty()) {
            throw MemoryException.invalid("body", "needs documents and queries");
        }
    }

    private static String text(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw MemoryException.invalid(where + "." + field, "is required");
        }
        return v.asText();
    }

    private static String opt(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
    }

    /** Ingests session by session (messages in order), mapping each document id to the memory made from it. */
    private Map<String, String> ingest(Caller caller, String agent, List<Doc> docs) {
        Map<String, String> memoryOf = new LinkedHashMap<>();
        int i = 0;
        Instant base = clock.instant().minusSeconds(86400L * 365);
        while (i < docs.size()) {
            Doc first = docs.get(i);
            int j = i;
            List<AddCommand.Message> messages = new ArrayList<>();
            while (j < docs.size() && java.util.Objects.equals(docs.get(j).sessionId(), first.sessionId())
                    && java.util.Objects.equals(docs.get(j).userId(), first.userId()) && messages.size() < 200) {
                Doc d = docs.get(j);
                messages.add(new AddCommand.Message(roleOf(d.role()), d.text()));
                j++;
            }
            Instant at = first.at() != null ? first.at() : base.plusSeconds(i * 60L);
            AddResult r = memory.addNow(caller, new AddCommand(agent, first.userId(), first.sessionId(), null,
                    messages, Map.of(), at, false), "evaluation ingest");
            // the deterministic pipeline makes facts in message order; a long message makes several
            int line = 0;
            for (int m = 0; m < messages.size(); m++) {
                String id = r.results().get(Math.min(line, r.results().size() - 1)).id();
                memoryOf.put(docs.get(i + m).id(), id);
                int parts = Texts.turn(messages.get(m).content()).size();
                line += Math.max(1, parts);
            }
            i = j;
        }
        return memoryOf;
    }

    private static String roleOf(String r) {
        return switch (r) {
            case "user", "assistant", "system", "tool", "event" -> r;
            default -> "user";
        };
    }

    private Map<String, Object> evaluate(String agent, List<Query> queries, Map<String, String> memoryOf, String mode,
                                         RecallWeights weights) {
        Map<String, Acc> bySplit = new LinkedHashMap<>();
        Acc all = new Acc();
        Recall.Mode m = switch (mode) {
            case "vector" -> Recall.Mode.VECTOR;
            case "keyword" -> Recall.Mode.KEYWORD;
            default -> Recall.Mode.HYBRID;
        };
        for (Query q : queries) {
            Set<String> relevant = new HashSet<>();
            q.relevant().forEach(d -> relevant.add(memoryOf.get(d)));
            Recall.Result r = recall.recallIn(new Scope(agent, q.userId(), null), new Recall.Query(agent, q.userId(),
                    null, q.text(), KS[KS.length - 1], null, m, false, weights, null));
            List<String> ranked = r.hits().stream().map(h -> h.fact().id()).toList();
            all.add(ranked, relevant, r.tookMicros());
            bySplit.computeIfAbsent(q.split(), k -> new Acc()).add(ranked, relevant, r.tookMicros());
        }
        Map<String, Object> out = all.report();
        if (bySplit.size() > 1) {
            Map<String, Object> splits = new LinkedHashMap<>();
            bySplit.forEach((k, v) -> splits.put(k, v.report()));
            out.put("splits", splits);
        }
        return out;
    }

    /** Sums of the metrics over queries. */
    static final class Acc {
        int n;
        final double[] recall = new double[KS.length];
        final double[] ndcg = new double[KS.length];
        double mrr;
        final List<Long> micros = new ArrayList<>();

        void add(List<String> ranked, Set<String> relevant, long took) {
            n++;
            micros.add(took);
            for (int i = 0; i < ranked.size(); i++) {
                if (relevant.contains(ranked.get(i))) {
                    mrr += 1.0 / (i + 1);
                    break;
                }
            }
            for (int k = 0; k < KS.length; k++) {
                int cut = Math.min(KS[k], ranked.size());
                int found = 0;
                double dcg = 0;
                for (int i = 0; i < cut; i++) {
                    if (relevant.contains(ranked.get(i))) {
                        found++;
                        dcg += 1.0 / (Math.log(i + 2) / Math.log(2));
                    }
                }
                double idcg = 0;
                for (int i = 0; i < Math.min(KS[k], relevant.size()); i++) {
                    idcg += 1.0 / (Math.log(i + 2) / Math.log(2));
                }
                recall[k] += (double) found / relevant.size();
                ndcg[k] += idcg == 0 ? 0 : dcg / idcg;
            }
        }

        Map<String, Object> report() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("queries", n);
            for (int k = 0; k < KS.length; k++) {
                out.put("recall@" + KS[k], round(recall[k] / n));
            }
            out.put("mrr", round(mrr / n));
            for (int k = 0; k < KS.length; k++) {
                out.put("ndcg@" + KS[k], round(ndcg[k] / n));
            }
            long[] sorted = micros.stream().mapToLong(Long::longValue).sorted().toArray();
            out.put("latencyMs", Map.of("p50", pct(sorted, 0.50), "p95", pct(sorted, 0.95), "max",
                    sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1000.0));
            return out;
        }

        static double pct(long[] sorted, double p) {
            if (sorted.length == 0) {
                return 0;
            }
            return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1000.0;
        }

        static double round(double v) {
            return Math.round(v * 10000) / 10000.0;
        }
    }

    /** Exposed for tests: the k values reported. */
    public static List<Integer> ks() {
        return Arrays.stream(KS).boxed().toList();
    }
}
