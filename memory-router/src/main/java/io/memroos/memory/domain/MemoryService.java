package io.memroos.memory.domain;

import io.memroos.memory.embed.Embedder;
import io.memroos.memory.store.Entity;
import io.memroos.memory.store.Episode;
import io.memroos.memory.store.Fact;
import io.memroos.memory.store.FactVersion;
import io.memroos.memory.store.Filter;
import io.memroos.memory.store.GraphStore;
import io.memroos.memory.store.Hit;
import io.memroos.memory.store.Job;
import io.memroos.memory.store.MemoryStore;
import io.memroos.memory.store.NewFact;
import io.memroos.memory.store.Page;
import io.memroos.memory.store.Receipt;
import io.memroos.memory.store.Relation;
import io.memroos.memory.store.Scope;
import io.memroos.memory.store.StoreException;
import io.memroos.memory.store.VectorIndex;
import io.memroos.memory.store.WriteBatch;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** Writing, reading and changing memories; every call is scoped by the caller's identity. */
public final class MemoryService {

    private static final Logger LOG = Logger.getLogger(MemoryService.class);
    private static final Pattern META_KEY = Pattern.compile("[A-Za-z0-9_\\-]{1,64}");
    private static final Set<String> ROLES = Set.of("user", "assistant", "system", "tool", "event");

    private final MemoryStore store;
    private final GraphStore graph;
    private final VectorIndex vectors;
    private final MemoryIndexer indexer;
    private final Embedder embedder;
    private final Supplier<Extractor> extractor;
    private final ExecutorService jobs;
    private final MemoryLimits limits;
    private final Clock clock;

    public MemoryService(MemoryStore store, GraphStore graph, VectorIndex vectors, MemoryIndexer indexer,
                         Embedder embedder, Supplier<Extractor> extractor, ExecutorService jobs, MemoryLimits limits,
                         Clock clock) {
        this.store = store;
        this.graph = graph;
        this.vectors = vectors;
        this.indexer = indexer;
        this.embedder = embedder;
        this.extractor = extractor;
        this.jobs = jobs;
        this.limits = limits;
        this.clock = clock;
    }

    public MemoryLimits limits() {
        return limits;
    }

    // ---- add ----------------------------------------------------------------------------------------------

    /** The outcome of an add: done at once, or queued as a job. */
    public record AddOutcome(AddResult result, Job job) {
    }

    public AddOutcome add(Caller caller, AddCommand cmd) {
        caller.mustNotBeService();
        Scope scope = scoped(() -> caller.scope(cmd.agentId(), cmd.userId(), cmd.sessionId()));
        List<Extraction.Item> items = items(cmd);
        Map<String, Object> metadata = metadata(cmd.metadata(), "metadata");
        int chars = items.stream().mapToInt(i -> i.content().length()).sum();
        Instant at = cmd.at() == null ? clock.instant() : cmd.at();
        if (cmd.async() || items.size() > limits.syncMaxItems() || chars > limits.syncMaxChars()) {
            Job job = store.createJob(new Job("job_" + UUID.randomUUID().toString().replace("-", ""),
                    scope.agentId(), "queued", items.size(), List.of(), null, clock.instant(), null));
            try {
                jobs.submit(() -> runJob(job, caller, scope, items, metadata, at));
            } catch (RejectedExecutionException e) {
                store.updateJob(new Job(job.id(), job.agentId(), "failed", job.items(), List.of(),
                        "the job queue is full", job.createdAt(), clock.instant()));
                throw MemoryException.unavailable("the job queue is full; retry later");
            }
            return new AddOutcome(null, job);
        }
        return new AddOutcome(process(caller, scope, items, metadata, at, "POST /api/memory"), null);
    }

    /**
     * Processes an input at once whatever its size (evaluation ingest and the benchmark; operator only). The
     * scope is still the caller's decision, made by {@link Caller#scope}.
     */
    public AddResult addNow(Caller caller, AddCommand cmd, String why) {
        caller.mustBeOperator("process an input synchronously");
        Scope scope = scoped(() -> caller.scope(cmd.agentId(), cmd.userId(), cmd.sessionId()));
        return process(caller, scope, items(cmd), metadata(cmd.metadata(), "metadata"),
                cmd.at() == null ? clock.instant() : cmd.at(), why);
    }

    private void runJob(Job job, Caller caller, Scope scope, List<Extraction.Item> items, Map<String, Object> metadata,
                        Instant at) {
        store.updateJob(new Job(job.id(), job.agentId(), "running", job.items(), List.of(), null, job.createdAt(), null));
        try {
            AddResult r = process(caller, scope, items, metadata, at, "job " + job.id());
            store.updateJob(new Job(job.id(), job.agentId(), "done", job.items(), r.ids(), null, job.createdAt(),
                    clock.instant()));
        } catch (RuntimeException e) {
            LOG.errorf(e, "memory job %s failed", job.id());
            store.updateJob(new Job(job.id(), job.agentId(), "failed", job.items(), List.of(),
                    e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), job.createdAt(),
                    clock.instant()));
        }
    }

    public Job job(Caller caller, String id) {
        caller.mustNotBeService();
        Job j = store.job(id).orElseThrow(() -> MemoryException.notFound("no job " + id));
        if (!caller.mayRead(j.agentId())) {
            throw MemoryException.notFound("no job " + id);
        }
        return j;
    }

    private List<Extraction.Item> items(AddCommand cmd) {
        boolean hasText = cmd.text() != null;
        boolean hasMessages = cmd.messages() != null;
        if (hasText == hasMessages) {
            throw MemoryException.invalid(hasText ? "messages" : "text", "give either text or messages");
        }
        List<Extraction.Item> items = new ArrayList<>();
        if (hasText) {
            if (cmd.text().isBlank()) {
                throw MemoryException.invalid("text", "must not be blank");
            }
            if (cmd.text().length() > limits.maxContentChars()) {
                throw MemoryException.tooLarge("text", "is longer than " + limits.maxContentChars() + " characters");
            }
            items.add(new Extraction.Item("text", cmd.text(), Map.of()));
            return items;
        }
        if (cmd.messages().isEmpty()) {
            throw MemoryException.invalid("messages", "must not be empty");
        }
        if (cmd.messages().size() > limits.maxItems()) {
            throw MemoryException.tooLarge("messages", "has more than " + limits.maxItems() + " items");
        }
        for (int i = 0; i < cmd.messages().size(); i++) {
            AddCommand.Message m = cmd.messages().get(i);
            String path = "messages[" + i + "]";
            if (m == null) {
                throw MemoryException.invalid(path, "must be an object");
            }
            if (m.role() == null || !ROLES.contains(m.role())) {
                throw MemoryException.invalid(path + ".role", "must be one of " + String.join(", ", ROLES));
            }
            if (m.content() == null || m.content().isBlank()) {
                throw MemoryException.invalid(path + ".content", "must not be blank");
            }
            if (m.content().length() > limits.maxContentChars()) {
                throw MemoryException.tooLarge(path + ".content", "is longer than " + limits.maxContentChars()
                        + " characters");
            }
            items.add(new Extraction.Item(m.role(), m.content(), Map.of("role", m.role())));
        }
        return items;
    }

    /** Validates free metadata: scalar values or lists of scalars, bounded. */
    public Map<String, Object> metadata(Map<String, Object> in, String path) {
        if (in == null) {
            return Map.of();
        }
        if (in.size() > limits.maxMetadataKeys()) {
            throw MemoryException.invalid(path, "has more than " + limits.maxMetadataKeys() + " keys");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : in.entrySet()) {
            String key = e.getKey();
            if (!META_KEY.matcher(key).matches()) {
                throw MemoryException.invalid(path + "." + key, "keys are 1 to 64 of A-Z a-z 0-9 _ -");
            }
            Object v = e.getValue();
            if (v instanceof List<?> l) {
                if (l.size() > 50) {
                    throw MemoryException.invalid(path + "." + key, "lists hold at most 50 values");
                }
                for (Object x : l) {
                    scalar(x, path + "." + key);
                }
            } else {
                scalar(v, path + "." + key);
            }
            out.put(key, v);
        }
        return out;
    }

    private static void scalar(Object v, String path) {
        if (v instanceof String s) {
            if (s.length() > 500) {
                throw MemoryException.invalid(path, "string values are at most 500 characters");
            }
        } else if (!(v instanceof Number) && !(v instanceof Boolean)) {
            throw MemoryException.invalid(path, "values are strings, numbers, booleans or lists of them");
        }
    }

    private AddResult process(Caller caller, Scope scope, List<Extraction.Item> items, Map<String, Object> metadata,
                              Instant at, String why) {
        Extractor ex = extractor.get();
        Extraction extraction = ex.extract(items, ex.wantsSimilar() ? text -> similar(scope, text) : text -> List.of());
        List<Extraction.Op> adds = extraction.ops().stream().filter(o -> o.kind() == Extraction.Kind.ADD).toList();
        List<float[]> vectors = embed(adds.stream().map(Extraction.Op::text).toList());
        List<NewFact> facts = new ArrayList<>();
        int[] firstFactOf = new int[items.size()];
        java.util.Arrays.fill(firstFactOf, -1);
        for (int i = 0; i < adds.size(); i++) {
            Extraction.Op op = adds.get(i);
            Map<String, Object> meta = new LinkedHashMap<>(items.get(op.source()).metadata());
            meta.putAll(metadata);
            // a few ms apart per turn, so that recency and listing order keep the conversation order
            Instant when = at.plusMillis(op.source());
            facts.add(new NewFact("mem_" + UUID.randomUUID().toString().replace("-", ""), scope, op.text(),
                    Texts.normalize(op.text()), meta, vectors.get(i), when));
            if (firstFactOf[op.source()] < 0) {
                firstFactOf[op.source()] = i;
            }
        }
        List<WriteBatch.NewEpisode> episodes = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Extraction.Item item = items.get(i);
            Map<String, Object> meta = new LinkedHashMap<>(metadata);
            episodes.add(new WriteBatch.NewEpisode("ep_" + UUID.randomUUID().toString().replace("-", ""), scope,
                    "text".equals(item.role()) ? "event" : item.role(), item.content(), meta, at.plusMillis(i),
                    firstFactOf[i]));
        }
        Receipt receipt = new Receipt("write", caller.actor(), scope, List.of(), why + " (" + extraction.pipeline() + ")");
        WriteBatch.Result written = indexer.write(new WriteBatch(facts, episodes, receipt));
        List<AddResult.Line> lines = new ArrayList<>();
        for (int i = 0; i < facts.size(); i++) {
            WriteBatch.Written w = written.facts().get(i);
            lines.add(new AddResult.Line(w.id(), w.created() ? "ADD" : "NOOP", facts.get(i).text()));
        }
        for (Extraction.Op op : extraction.ops()) {
            if (op.kind() == Extraction.Kind.UPDATE) {
                try {
                    Fact f = indexer.update(op.targetId(), op.text(), null, embed(List.of(op.text())).get(0), at,
                            receipt);
                    lines.add(new AddResult.Line(f.id(), "UPDATE", f.text()));
                } catch (StoreException e) {
                    LOG.warnf("proposed update of %s not applied: %s", op.targetId(), e.getMessage());
                }
            } else if (op.kind() == Extraction.Kind.INVALIDATE) {
                Fact f = indexer.invalidate(op.targetId(), at, receipt);
                lines.add(new AddResult.Line(f.id(), "INVALIDATE", f.text()));
            }
        }
        List<String> entityIds = new ArrayList<>();
        List<String> relationIds = new ArrayList<>();
        Map<String, String> byName = new LinkedHashMap<>();
        for (Extraction.EntityRef e : extraction.entities()) {
            Entity ent = graph.upsertEntity(scope, e.name(), e.type(), null, at);
            byName.put(e.name().toLowerCase(java.util.Locale.ROOT), ent.id());
            entityIds.add(ent.id());
        }
        for (Extraction.RelationRef r : extraction.relations()) {
            String from = byName.get(r.from().toLowerCase(java.util.Locale.ROOT));
            String to = byName.get(r.to().toLowerCase(java.util.Locale.ROOT));
            if (from != null && to != null) {
                relationIds.add(graph.addRelation(scope, from, r.type(), to, r.validFrom(), r.validTo(), null, at).id());
            }
        }
        return new AddResult(lines, written.episodes().stream().map(Episode::id).toList(), entityIds, relationIds,
                extraction.pipeline());
    }

    private List<Extraction.Similar> similar(Scope scope, String text) {
        List<Hit> hits = vectors.nearest(embedder.embedQuery(text), 5, scope, null);
        List<Extraction.Similar> out = new ArrayList<>();
        for (Fact f : store.getAll(hits.stream().map(Hit::id).toList())) {
            if (f.active() && scope.contains(f.scope())) {
                out.add(new Extraction.Similar(f.id(), f.text()));
            }
        }
        return out;
    }

    private List<float[]> embed(List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        for (int from = 0; from < texts.size(); from += 64) {
            out.addAll(embedder.embedDocuments(texts.subList(from, Math.min(texts.size(), from + 64))));
        }
        return out;
    }

    // ---- read and change one memory ---------------------------------------------------------------------

    /** The fact if the caller may see it; another agent's id answers exactly like a missing one. */
    public Fact get(Caller caller, String id) {
        caller.mustNotBeService();
        Optional<Fact> f = store.get(id);
        if (f.isEmpty() || !caller.mayRead(f.get().scope().agentId())) {
            throw MemoryException.notFound("no memory " + id);
        }
        return f.get();
    }

    public Fact update(Caller caller, String id, String text, Map<String, Object> metadata, String reason) {
        Fact current = get(caller, id);
        if (text == null || text.isBlank()) {
            throw MemoryException.invalid("text", "must not be blank");
        }
        if (text.length() > Texts.MAX_FACT_CHARS * 4) {
            throw MemoryException.tooLarge("text", "is longer than " + Texts.MAX_FACT_CHARS * 4 + " characters");
        }
        Map<String, Object> meta = metadata == null ? null : metadata(metadata, "metadata");
        try {
            return indexer.update(id, text.strip(), meta, embed(List.of(text.strip())).get(0), clock.instant(),
                    new Receipt("write", caller.actor(), current.scope(), List.of(id),
                            reason == null ? "PUT /api/memory/" + id : reason));
        } catch (StoreException e) {
            throw MemoryException.of(e);
        }
    }

    public Fact invalidate(Caller caller, String id, String reason) {
        Fact current = get(caller, id);
        return indexer.invalidate(id, clock.instant(), new Receipt("write", caller.actor(), current.scope(),
                List.of(id), reason == null ? "DELETE /api/memory/" + id : reason));
    }

    public List<FactVersion> history(Caller caller, String id) {
        get(caller, id);
        return store.history(id);
    }

    public Page<Fact> list(Caller caller, String agentId, String userId, String sessionId, Filter filter,
                           boolean includeInvalid, String cursor, int limit) {
        caller.mustNotBeService();
        Scope scope = scoped(() -> caller.scope(agentId, userId, sessionId));
        try {
            return store.list(scope, filter, includeInvalid, cursor, pageSize(limit, "limit"));
        } catch (StoreException e) {
            throw MemoryException.of(e);
        }
    }

    public int pageSize(int limit, String field) {
        if (limit < 1 || limit > limits.maxPageSize()) {
            throw MemoryException.invalid(field, "must be between 1 and " + limits.maxPageSize());
        }
        return limit;
    }

    // ---- episodes ---------------------------------------------------------------------------------------

    public List<Episode> appendEpisodes(Caller caller, String agentId, String userId, String sessionId,
                                        List<AddCommand.Message> messages, Map<String, Object> metadata, Instant at) {
        caller.mustNotBeService();
        Scope scope = scoped(() -> caller.scope(agentId, userId, sessionId));
        List<Extraction.Item> items = items(new AddCommand(agentId, userId, sessionId, null, messages, null, null, false));
        Map<String, Object> meta = metadata(metadata, "metadata");
        Instant when = at == null ? clock.instant() : at;
        List<WriteBatch.NewEpisode> eps = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            eps.add(new WriteBatch.NewEpisode("ep_" + UUID.randomUUID().toString().replace("-", ""), scope,
                    items.get(i).role(), items.get(i).content(), meta, when.plusMillis(i), -1));
        }
        return store.appendEpisodes(eps, new Receipt("write", caller.actor(), scope, List.of(),
                "POST /api/memory/episodes"));
    }

    public List<Episode> episodes(Caller caller, String agentId, String userId, String sessionId, String query,
                                  long afterSeq, int limit) {
        caller.mustNotBeService();
        Scope scope = scoped(() -> caller.scope(agentId, userId, sessionId));
        int n = pageSize(limit, "limit");
        if (query != null && !query.isBlank()) {
            if (query.length() > 2000) {
                throw MemoryException.invalid("q", "is longer than 2000 characters");
            }
            return store.searchEpisodes(scope, query, n);
        }
        return store.episodes(scope, afterSeq, n);
    }

    // ---- graph ------------------------------------------------------------------------------------------

    public Entity upsertEntity(Caller caller, String agentId, String userId, String name, String type,
                               Map<String, Object> properties) {
        caller.mustNotBeService();
        Scope scope = scoped(() -> caller.scope(agentId, userId, null));
        if (type != null && type.length() > 100) {
            throw MemoryException.invalid("type", "is longer than 100 characters");
        }
        try {
            return graph.upsertEntity(scope, name, type, metadata(properties, "properties"), clock.instant());
        } catch (StoreException e) {
            throw MemoryException.of(e);
        }
    }

    /** A relation between two entities given by id ({@code fromId}) or by name ({@code from}, created if missing). */
    public Relation addRelation(Caller caller, String agentId, String userId, String fromId, String from, String type,
                                String toId, String to, Instant validFrom, Instant validTo,
                                Map<String, Object> properties) {
        caller.mustNotBeService();
        Scope scope = scoped(() -> caller.scope(agentId, userId, null));
        Instant now = clock.instant();
        try {
            String f = endpoint(scope, fromId, from, "from", now);
            String t = endpoint(scope, toId, to, "to", now);
            if (type == null || type.isBlank() || type.length() > 100) {
                throw MemoryException.invalid("type", "must be 1 to 100 characters");
            }
            return graph.addRelation(scope, f, type, t, validFrom, validTo, metadata(properties, "properties"), now);
        } catch (StoreException e) {
            throw MemoryException.of(e);
        }
    }

    private String endpoint(Scope scope, String id, String name, String field, Instant now) {
        if (id != null && !id.isBlank()) {
            return id;
        }
        if (name == null || name.isBlank()) {
            throw MemoryException.invalid(field, "give " + field + "Id or " + field + " (an entity name)");
        }
        return graph.upsertEntity(scope, name, null, null, now).id();
    }

    public Relation invalidateRelation(Caller caller, String id) {
        caller.mustNotBeService();
        Relation r = graph.relation(id).filter(x -> caller.mayRead(x.scope().agentId()))
                .orElseThrow(() -> MemoryException.notFound("no relation " + id));
        return graph.invalidateRelation(r.id(), clock.instant());
    }

    public List<Entity> entities(Caller caller, String agentId, String userId, String prefix, int limit) {
        caller.mustNotBeService();
        Scope scope = scoped(() -> caller.scope(agentId, userId, null));
        return graph.entities(scope, prefix, pageSize(limit, "limit"));
    }

    /** The neighbourhood of an entity given by id or name, as of a time (default now). */
    public GraphStore.Neighbourhood neighbourhood(Caller caller, String agentId, String userId, String entityId,
                                                  String name, int depth, Instant asOf) {
        caller.mustNotBeService();
        Scope scope = scoped(() -> caller.scope(agentId, userId, null));
        if (depth < 1 || depth > 3) {
            throw MemoryException.invalid("depth", "must be between 1 and 3");
        }
        String start;
        if (entityId != null && !entityId.isBlank()) {
            Entity e = graph.entity(entityId).filter(x -> x.scope().agentId().equals(scope.agentId())
                            && java.util.Objects.equals(x.scope().userId(), scope.userId()))
                    .orElseThrow(() -> MemoryException.notFound("no entity " + entityId));
            start = e.id();
        } else if (name != null && !name.isBlank()) {
            start = graph.entities(scope, name, 50).stream()
                    .filter(e -> e.name().equalsIgnoreCase(name.strip())).map(Entity::id).findFirst()
                    .orElseThrow(() -> MemoryException.notFound("no entity named " + name));
        } else {
            throw MemoryException.invalid("entityId", "give entityId or name");
        }
        return graph.neighbourhood(scope, List.of(start), depth, asOf == null ? clock.instant() : asOf);
    }

    public List<Relation> relations(Caller caller, String agentId, String userId, String entityId, boolean all) {
        caller.mustNotBeService();
        Scope scope = scoped(() -> caller.scope(agentId, userId, null));
        return graph.relations(scope, List.of(entityId), all ? null : clock.instant());
    }

    static Scope scoped(Supplier<Scope> s) {
        try {
            return s.get();
        } catch (StoreException e) {
            throw MemoryException.of(e);
        }
    }
}
