package io.memroos.memory.domain;

import io.memroos.memory.embed.Embedder;
import io.memroos.memory.store.Entity;
import io.memroos.memory.store.Fact;
import io.memroos.memory.store.Filter;
import io.memroos.memory.store.GraphStore;
import io.memroos.memory.store.Hit;
import io.memroos.memory.store.KeywordIndex;
import io.memroos.memory.store.MemoryStore;
import io.memroos.memory.store.Receipt;
import io.memroos.memory.store.Scope;
import io.memroos.memory.store.StoreException;
import io.memroos.memory.store.VectorIndex;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hybrid recall: vector similarity, BM25, mentions of the query's entities and their graph neighbours, recency,
 * and neighbouring turns of strong hits, fused by a weighted sum of normalised scores (or weighted RRF). Plain
 * RRF with k=60 is kept as a named baseline for evaluation only.
 */
public final class RecallService {

    public static final String VECTOR = "vector";
    public static final String KEYWORD = "keyword";
    public static final String GRAPH = "graph";
    public static final String RECENCY = "recency";
    public static final String NEIGHBOURS = "neighbours";

    private final MemoryStore store;
    private final GraphStore graph;
    private final VectorIndex vectors;
    private final KeywordIndex keywords;
    private final Embedder embedder;
    private final RecallWeights defaults;
    private final MemoryLimits limits;
    private final Clock clock;

    public RecallService(MemoryStore store, GraphStore graph, VectorIndex vectors, KeywordIndex keywords,
                         Embedder embedder, RecallWeights defaults, MemoryLimits limits, Clock clock) {
        this.store = store;
        this.graph = graph;
        this.vectors = vectors;
        this.keywords = keywords;
        this.embedder = embedder;
        this.defaults = defaults;
        this.limits = limits;
        this.clock = clock;
    }

    public RecallWeights defaults() {
        return defaults;
    }

    public Recall.Result recall(Caller caller, Recall.Query q) {
        caller.mustNotBeService();
        Scope scope = MemoryService.scoped(() -> caller.scope(q.agentId(), q.userId(), q.sessionId()));
        Recall.Result r = recallIn(scope, q);
        store.receipt(new Receipt("recall", caller.actor(), scope,
                r.hits().stream().map(h -> h.fact().id()).toList(),
                q.purpose() == null ? "POST /api/recall (" + r.mode() + ")" : q.purpose()));
        return r;
    }

    /** Recall inside a scope already decided (evaluation); writes no receipt. */
    public Recall.Result recallIn(Scope scope, Recall.Query q) {
        long start = System.nanoTime();
        if (q.text() == null || q.text().isBlank()) {
            throw MemoryException.invalid("query", "must not be blank");
        }
        if (q.text().length() > 4000) {
            throw MemoryException.invalid("query", "is longer than 4000 characters");
        }
        if (q.k() < 1 || q.k() > limits.maxPageSize()) {
            throw MemoryException.invalid("k", "must be between 1 and " + limits.maxPageSize());
        }
        RecallWeights w = q.weights() == null ? defaults : q.weights();
        Recall.Mode mode = q.mode() == null ? Recall.Mode.HYBRID : q.mode();
        int n = Math.max(w.candidates(), q.k());
        Map<String, Map<String, Recall.Signal>> signals = new LinkedHashMap<>();
        List<Hit> vec = List.of();
        List<Hit> kw = List.of();
        List<Hit> gr = List.of();
        try {
            if (mode != Recall.Mode.KEYWORD) {
                vec = vectors.nearest(embedder.embedQuery(q.text()), n, scope, q.filter());
            }
            if (mode != Recall.Mode.VECTOR) {
                kw = keywords.keywords(q.text(), n, scope, q.filter());
            }
            if (mode == Recall.Mode.HYBRID && w.graph() > 0) {
                gr = graphMentions(scope, q, n);
            }
        } catch (StoreException e) {
            throw MemoryException.of(e);
        }
        Map<String, Double> fused = new HashMap<>();
        if (mode == Recall.Mode.VECTOR) {
            add(signals, fused, VECTOR, vec, 1.0, w, "weighted");
        } else if (mode == Recall.Mode.KEYWORD) {
            add(signals, fused, KEYWORD, kw, 1.0, w, "weighted");
        } else {
            add(signals, fused, VECTOR, vec, w.vector(), w, w.fusion());
            add(signals, fused, KEYWORD, kw, w.keyword(), w, w.fusion());
            add(signals, fused, GRAPH, gr, w.graph(), w, w.fusion());
        }
        Map<String, Fact> facts = new HashMap<>();
        load(facts, fused.keySet(), scope, q.filter());
        fused.keySet().retainAll(facts.keySet());
        if (mode == Recall.Mode.HYBRID) {
            recency(signals, fused, facts, w);
            neighbours(signals, fused, facts, scope, q, w);
        }
        List<Map.Entry<String, Double>> ranked = new ArrayList<>(fused.entrySet());
        ranked.sort(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder())
                .thenComparing(e -> -facts.get(e.getKey()).createdAt().toEpochMilli()));
        List<Recall.Hit> hits = new ArrayList<>();
        for (Map.Entry<String, Double> e : ranked.subList(0, Math.min(q.k(), ranked.size()))) {
            hits.add(new Recall.Hit(facts.get(e.getKey()), e.getValue(),
                    q.explain() ? signals.getOrDefault(e.getKey(), Map.of()) : null));
        }
        return new Recall.Result(hits, mode.name().toLowerCase(java.util.Locale.ROOT),
                mode == Recall.Mode.HYBRID ? w.fusion() : "single", (System.nanoTime() - start) / 1000);
    }

    /**
     * What to surface unprompted for an agent's current context: hybrid recall, kept only where the vector
     * similarity (cosine) reaches the agent's threshold, at most the agent's limit.
     */
    public Recall.Result proactive(Caller caller, String agentId, String userId, String sessionId, String context,
                                   Filter filter, boolean explain, java.util.function.Function<String, ProactivePolicy> policies) {
        caller.mustNotBeService();
        Scope scope = MemoryService.scoped(() -> caller.scope(agentId, userId, sessionId));
        ProactivePolicy p = policies.apply(scope.agentId());
        if (!p.enabled()) {
            return new Recall.Result(List.of(), "proactive", "disabled", 0);
        }
        Recall.Result r = recallIn(scope, new Recall.Query(scope.agentId(), userId, sessionId, context,
                Math.min(limits.maxPageSize(), p.limit() * 3), filter, Recall.Mode.HYBRID, true, null, null));
        List<Recall.Hit> kept = new ArrayList<>();
        for (Recall.Hit h : r.hits()) {
            Recall.Signal v = h.explain().get(VECTOR);
            double cosine = v == null ? -1 : 2 * v.score() - 1;
            if (cosine >= p.minSimilarity()) {
                kept.add(explain ? h : new Recall.Hit(h.fact(), h.score(), null));
                if (kept.size() == p.limit()) {
                    break;
                }
            }
        }
        store.receipt(new Receipt("recall", caller.actor(), scope, kept.stream().map(h -> h.fact().id()).toList(),
                "POST /api/recall/proactive (min similarity " + p.minSimilarity() + ", limit " + p.limit() + ")"));
        return new Recall.Result(kept, "proactive", r.fusion(), r.tookMicros());
    }

    /** Per-agent recollection policy. */
    public record ProactivePolicy(boolean enabled, int limit, double minSimilarity) {
    }

    private List<Hit> graphMentions(Scope scope, Recall.Query q, int n) {
        List<Entity> found = graph.entitiesIn(scope, q.text(), 20);
        if (found.isEmpty()) {
            return List.of();
        }
        GraphStore.Neighbourhood nb = graph.neighbourhood(scope, found.stream().map(Entity::id).toList(), 1,
                clock.instant());
        Set<String> names = new LinkedHashSet<>();
        found.forEach(e -> names.add(e.name()));
        nb.entities().forEach(e -> names.add(e.name()));
        return keywords.mentions(List.copyOf(names), n, scope, q.filter());
    }

    private static void add(Map<String, Map<String, Recall.Signal>> signals, Map<String, Double> fused, String name,
                            List<Hit> hits, double weight, RecallWeights w, String fusion) {
        if (hits.isEmpty() || weight == 0) {
            return;
        }
        double max = hits.get(0).score();
        double min = hits.get(hits.size() - 1).score();
        for (Hit h : hits) {
            double norm;
            if ("rrf".equals(fusion)) {
                // reciprocal rank scaled to 1 at rank 1, so that weights mean the same in both fusions
                norm = (w.rrfK() + 1.0) / (w.rrfK() + h.rank());
            } else if (VECTOR.equals(name)) {
                // cosine scores bunch together: spread the candidates over [0,1]
                norm = max - min < 1e-9 ? 1.0 : (h.score() - min) / (max - min);
            } else {
                norm = max <= 0 ? 0 : h.score() / max;
            }
            double c = weight * norm;
            fused.merge(h.id(), c, Double::sum);
            signals.computeIfAbsent(h.id(), k -> new LinkedHashMap<>())
                    .put(name, new Recall.Signal(h.rank(), h.score(), norm, c));
        }
    }

    /** Loads the candidates' facts; drops anything outside the scope or filter, or invalidated (defence in depth). */
    private void load(Map<String, Fact> into, Set<String> ids, Scope scope, Filter filter) {
        List<String> missing = ids.stream().filter(id -> !into.containsKey(id)).toList();
        for (Fact f : store.getAll(missing)) {
            if (f.active() && scope.contains(f.scope())
                    && (filter == null || Filter.matches(filter, MemoryIndexer.doc(f, null)::value))) {
                into.put(f.id(), f);
            }
        }
    }

    private void recency(Map<String, Map<String, Recall.Signal>> signals, Map<String, Double> fused,
                         Map<String, Fact> facts, RecallWeights w) {
        if (w.recency() == 0 || fused.isEmpty()) {
            return;
        }
        long now = clock.millis();
        double half = Math.max(1, w.halfLife().toMillis());
        for (String id : fused.keySet()) {
            double age = Math.max(0, now - facts.get(id).createdAt().toEpochMilli());
            double norm = Math.pow(0.5, age / half);
            double c = w.recency() * norm;
            fused.merge(id, c, Double::sum);
            signals.computeIfAbsent(id, k -> new LinkedHashMap<>()).put(RECENCY, new Recall.Signal(null, null, norm, c));
        }
    }

    /**
     * Conversations answer across turns: the turns just before and after a strong hit (same session) get a share
     * of that hit's score.
     */
    private void neighbours(Map<String, Map<String, Recall.Signal>> signals, Map<String, Double> fused,
                            Map<String, Fact> facts, Scope scope, Recall.Query q, RecallWeights w) {
        if (w.neighbours() == 0 || fused.isEmpty()) {
            return;
        }
        List<Map.Entry<String, Double>> top = new ArrayList<>(fused.entrySet());
        top.sort(Map.Entry.comparingByValue(Comparator.reverseOrder()));
        top = top.subList(0, Math.min(top.size(), Math.max(5, q.k())));
        double best = top.get(0).getValue();
        if (best <= 0) {
            return;
        }
        Map<String, Double> boost = new HashMap<>();
        Map<String, List<String>> around = store.neighbourFacts(top.stream().map(Map.Entry::getKey).toList(), 1);
        for (Map.Entry<String, Double> hit : top) {
            for (String nb : around.getOrDefault(hit.getKey(), List.of())) {
                boost.merge(nb, hit.getValue() / best, Math::max);
            }
        }
        load(facts, boost.keySet(), scope, q.filter());
        for (Map.Entry<String, Double> b : boost.entrySet()) {
            if (!facts.containsKey(b.getKey())) {
                continue;
            }
            double c = w.neighbours() * b.getValue();
            fused.merge(b.getKey(), c, Double::sum);
            signals.computeIfAbsent(b.getKey(), k -> new LinkedHashMap<>())
                    .put(NEIGHBOURS, new Recall.Signal(null, null, b.getValue(), c));
        }
    }
}
