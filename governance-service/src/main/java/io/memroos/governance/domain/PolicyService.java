package io.memroos.governance.domain;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.memroos.governance.domain.policy.Cedar;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The policy decision point. Policies are Cedar texts kept as {@code <id>.cedar} files in the policy directory
 * (created with the default set on first start); every change is a new version in the store (readable and
 * restorable). Decisions are cached by request until the next policy or label change; every decision is
 * recorded (a {@code policy.decision} audit event carrying the decision record), off the caller's path.
 */
public final class PolicyService {

    private static final Logger LOG = Logger.getLogger(PolicyService.class);
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final int MAX_CACHE = 50_000;

    /** The actions the gateway asks about. */
    public static final List<String> GATEWAY_ACTIONS = List.of("agent.create", "agent.update", "agent.delete",
            "key.create", "key.rotate", "key.revoke", "memory.read.cross-scope", "evidence.export", "audit.export",
            "policy.change");

    /** One refused policy text: which policy, where and why (the parser's message). */
    public record Problem(String policy, String message, Integer line, Integer column) {
    }

    private record Snapshot(PolicyVersion version, Cedar.PolicySet parsed) {
    }

    private final GovernanceStore store;
    private final Labels labels;
    private final AuditLog log;
    private final Clock clock;
    private final Path dir;
    private final ObjectMapper json = new ObjectMapper();
    private final ConcurrentHashMap<String, DecisionResult> cache = new ConcurrentHashMap<>();
    private volatile Snapshot current;

    public PolicyService(GovernanceStore store, Labels labels, AuditLog log, Clock clock, Path dir) {
        this.store = store;
        this.labels = labels;
        this.log = log;
        this.clock = clock;
        this.dir = dir;
        labels.onChange(cache::clear);
    }

    // ---- startup ---------------------------------------------------------------------------------

    /** Loads the current set: from the store and the directory, writing the default set on first start. */
    public synchronized void start() {
        PolicyVersion latest = store.latestPolicies();
        Map<String, String> onDisk = readDir();
        if (latest == null) {
            Map<String, String> initial = onDisk.isEmpty() ? defaults() : onDisk;
            requireValid(initial);
            latest = new PolicyVersion(1, initial, Times.format(clock.instant()), "governance-service",
                    onDisk.isEmpty() ? "default policy set" : "loaded from " + dir);
            store.savePolicies(latest);
        } else if (!onDisk.isEmpty() && !onDisk.equals(latest.policies())) {
            List<Problem> problems = validate(onDisk);
            if (problems.isEmpty()) {
                latest = new PolicyVersion(latest.version() + 1, onDisk, Times.format(clock.instant()),
                        "governance-service", "changed on disk in " + dir);
                store.savePolicies(latest);
            } else {
                LOG.warnf("policy files in %s do not parse (%s); keeping version %d", dir, problems.get(0).message(),
                        latest.version());
            }
        }
        writeDir(latest.policies());
        current = new Snapshot(latest, parseAll(latest.policies()));
        LOG.infof("policies: version %d, %d policies in %s", latest.version(), latest.policies().size(), dir);
    }

    public static Map<String, String> defaults() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("operator-all", """
                @id("operator-all")
                permit (principal is Operator, action, resource);""");
        p.put("agent-own-resources", """
                @id("agent-own-resources")
                permit (principal is Agent, action, resource)
                when { resource has owner && resource.owner == principal };""");
        p.put("agent-no-self-management", """
                @id("agent-no-self-management")
                forbid (principal is Agent, action in [Action::"agent.create", Action::"agent.delete",
                        Action::"policy.change", Action::"audit.export"], resource);""");
        p.put("service-internal", """
                @id("service-internal")
                permit (principal is Service, action, resource)
                unless { action == Action::"policy.change" };""");
        p.put("restricted-cross-scope", """
                @id("restricted-cross-scope")
                forbid (principal is Agent, action == Action::"memory.read.cross-scope", resource)
                when { resource has labelRank && resource.labelRank >= 3 };""");
        return p;
    }

    // ---- reading ---------------------------------------------------------------------------------

    public PolicyVersion current() {
        return current.version();
    }

    public long version() {
        return current.version().version();
    }

    public PolicyVersion version(long v) {
        PolicyVersion p = store.policies(v);
        if (p == null) {
            throw GovException.notFound("no policy version " + v);
        }
        return p;
    }

    public List<PolicyVersion> history(Long before, int limit) {
        return store.policyHistory(before == null ? Long.MAX_VALUE : before, limit);
    }

    /** The effect of each current policy ({@code permit|forbid}) by id. */
    public Map<String, String> effects() {
        Map<String, String> out = new HashMap<>();
        for (Cedar.Policy p : current.parsed().policies()) {
            out.put(p.id(), p.effect().name().toLowerCase(java.util.Locale.ROOT));
        }
        return out;
    }

    // ---- validation and changes --------------------------------------------------------------------

    /** Splits one policy-set text into policies by their {@code @id} (or policy0, policy1...). */
    public Map<String, String> split(String text) {
        try {
            Map<String, String> out = new LinkedHashMap<>();
            for (Cedar.Policy p : Cedar.parse(text, "policy")) {
                if (out.put(p.id(), p.text()) != null) {
                    throw GovException.invalid("text", "two policies have the id " + p.id());
                }
            }
            return out;
        } catch (Cedar.ParseError e) {
            throw GovException.invalid("text", e.getMessage());
        }
    }

    public List<Problem> validate(Map<String, String> policies) {
        List<Problem> problems = new ArrayList<>();
        for (Map.Entry<String, String> e : policies.entrySet()) {
            String id = e.getKey();
            if (id == null || !ID.matcher(id).matches()) {
                problems.add(new Problem(id, "policy id must be 1-64 characters of letters, digits and . _ -", null, null));
                continue;
            }
            String text = e.getValue();
            if (text == null || text.isBlank()) {
                problems.add(new Problem(id, "policy text is empty", null, null));
                continue;
            }
            if (text.length() > 65_536) {
                problems.add(new Problem(id, "policy text is longer than 64 KiB", null, null));
                continue;
            }
            try {
                List<Cedar.Policy> parsed = Cedar.parse(text, id);
                if (parsed.size() != 1) {
                    problems.add(new Problem(id, "expected exactly one policy, found " + parsed.size(), null, null));
                } else if (parsed.get(0).annotations().containsKey("id") && !parsed.get(0).id().equals(id)) {
                    problems.add(new Problem(id, "its @id(\"" + parsed.get(0).id() + "\") differs from the id " + id,
                            null, null));
                }
            } catch (Cedar.ParseError pe) {
                problems.add(new Problem(id, pe.getMessage(), pe.line, pe.column));
            }
        }
        return problems;
    }

    private void requireValid(Map<String, String> policies) {
        List<Problem> problems = validate(policies);
        if (!problems.isEmpty()) {
            Problem p = problems.get(0);
            throw GovException.invalid("policies." + p.policy(), p.message());
        }
    }

    public synchronized PolicyVersion replaceAll(Map<String, String> policies, String comment, Caller caller) {
        if (policies.isEmpty()) {
            throw GovException.invalid("policies", "a policy set needs at least one policy (an empty set denies everything; "
                    + "write a forbid policy to do that on purpose)");
        }
        if (policies.size() > 1000) {
            throw GovException.invalid("policies", "at most 1000 policies");
        }
        return commit(new LinkedHashMap<>(policies), comment, caller, "policy.replace-all");
    }

    public synchronized PolicyVersion replaceOne(String id, String text, String comment, Caller caller) {
        Map<String, String> next = new LinkedHashMap<>(current.version().policies());
        next.put(id, text);
        return commit(next, comment, caller, "policy.replace");
    }

    public synchronized PolicyVersion delete(String id, String comment, Caller caller) {
        Map<String, String> next = new LinkedHashMap<>(current.version().policies());
        if (next.remove(id) == null) {
            throw GovException.notFound("no policy " + id);
        }
        if (next.isEmpty()) {
            throw GovException.conflict("cannot delete the last policy");
        }
        return commit(next, comment, caller, "policy.delete");
    }

    public synchronized PolicyVersion restore(long version, Caller caller) {
        PolicyVersion old = version(version);
        return commit(new LinkedHashMap<>(old.policies()), "restored version " + version, caller, "policy.restore");
    }

    private PolicyVersion commit(Map<String, String> given, String comment, Caller caller, String action) {
        Map<String, String> policies = new LinkedHashMap<>();
        given.forEach((k, v) -> policies.put(k, v == null ? null : v.strip()));
        requireValid(policies);
        if (comment != null && comment.length() > 1000) {
            throw GovException.invalid("comment", "at most 1000 characters");
        }
        PolicyVersion prev = current.version();
        PolicyVersion next = new PolicyVersion(prev.version() + 1, policies, Times.format(clock.instant()),
                caller.actor(), comment);
        Cedar.PolicySet parsed = parseAll(policies);
        store.savePolicies(next);
        writeDir(policies);
        current = new Snapshot(next, parsed);
        cache.clear();
        ObjectNode data = json.createObjectNode();
        data.put("version", next.version());
        data.put("previousVersion", prev.version());
        data.putArray("policies").addAll(policies.keySet().stream().sorted()
                .map(json.getNodeFactory()::textNode).toList());
        data.put("digest", Canonical.sha256Hex(Canonical.stringMap(policies)));
        if (comment != null) {
            data.put("comment", comment);
        }
        log.append(List.of(new AuditLog.Draft(new AuditEvent(0, UUID.randomUUID().toString(), null, next.createdAt(),
                "governance-service", "policy.changed", caller.actor(), action, "policy-set", "v" + next.version(),
                null, null, Canonical.of(data), null, null, null, null), null)));
        return next;
    }

    /** The set compiled by cedar-java, each policy under its governance id (the file name). */
    private static Cedar.PolicySet parseAll(Map<String, String> policies) {
        return Cedar.compile(policies);
    }

    // ---- decisions ---------------------------------------------------------------------------------

    public DecisionResult decide(DecisionRequest req, Caller caller) {
        labels.check("asset.label", req.label());
        Snapshot snap = current;
        String key = key(req);
        DecisionResult hit = cache.get(key);
        DecisionResult result;
        if (hit != null && hit.policyVersion() == snap.version().version()) {
            result = new DecisionResult(hit.decision(), hit.policies(), newId(), hit.policyVersion(), hit.label(), true,
                    hit.errors());
        } else {
            DecisionResult template = evaluate(req, snap);
            if (cache.size() >= MAX_CACHE) {
                cache.clear();
            }
            cache.put(key, template);
            result = new DecisionResult(template.decision(), template.policies(), newId(), template.policyVersion(),
                    template.label(), false, template.errors());
        }
        record(req, result, caller);
        return result;
    }

    public void invalidate() {
        cache.clear();
    }

    /**
     * Evaluates one synthetic request against the current set, neither cached nor recorded: the first call into
     * cedar-java loads its native library and compiles the set, which must not be paid by the first real caller
     * (the gateway waits 2 s for an answer and then fails closed).
     */
    public void warmUp() {
        evaluate(new DecisionRequest("operator", "operator", "agent.create", "agent", "warm-up", null, null, null,
                Map.of()), current);
    }

    private DecisionResult evaluate(DecisionRequest req, Snapshot snap) {
        String stored = labels.effective(req.assetType(), req.assetId());
        String label = labels.max(stored, req.label());
        Cedar.Entity principal = new Cedar.Entity(switch (req.actorType()) {
            case "operator" -> "Operator";
            case "agent" -> "Agent";
            default -> "Service";
        }, req.actorId());
        Cedar.Entity action = new Cedar.Entity("Action", req.action());
        Cedar.Entity resource = new Cedar.Entity(Cedar.typeName(Labels.entityType(req.assetType())), req.assetId());
        Map<String, Object> rattrs = new HashMap<>();
        rattrs.put("type", req.assetType());
        rattrs.put("id", req.assetId());
        String owner = req.owner();
        if (owner == null && "agent".equals(req.assetType())) {
            owner = req.assetId();
        }
        if (owner != null) {
            rattrs.put("owner", new Cedar.Entity("Agent", owner));
        }
        if (label != null) {
            rattrs.put("label", label);
            rattrs.put("labelRank", (long) labels.rank(label));
        }
        Map<String, Object> pattrs = new HashMap<>();
        pattrs.put("id", req.actorId());
        pattrs.put("type", req.actorType());
        Map<String, Object> context = new HashMap<>(req.context() == null ? Map.of() : req.context());
        if (req.purpose() != null) {
            context.put("purpose", req.purpose());
        }
        if (label != null) {
            context.put("label", label);
            context.put("labelRank", (long) labels.rank(label));
        }
        Map<Cedar.Entity, Map<String, Object>> attributes = new HashMap<>();
        attributes.put(principal, pattrs);
        attributes.put(resource, rattrs);
        Cedar.Decision d = Cedar.decide(snap.parsed(), new Cedar.Request(principal, action, resource, context, attributes));
        return new DecisionResult(d.allow() ? "allow" : "deny", List.copyOf(d.policies()), null,
                snap.version().version(), label, false, List.copyOf(d.errors()));
    }

    private void record(DecisionRequest req, DecisionResult r, Caller caller) {
        ObjectNode data = json.createObjectNode();
        data.put("decisionId", r.decisionId() == null ? "" : r.decisionId());
        data.put("decision", r.decision());
        data.putArray("policies").addAll(r.policies().stream().map(json.getNodeFactory()::textNode).toList());
        data.put("policyVersion", r.policyVersion());
        data.put("askedBy", caller.actor());
        if (req.owner() != null) {
            data.put("owner", req.owner());
        }
        if (!r.errors().isEmpty()) {
            data.putArray("errors").addAll(r.errors().stream().map(json.getNodeFactory()::textNode).toList());
        }
        if (req.context() != null && !req.context().isEmpty()) {
            data.set("context", json.valueToTree(req.context()));
        }
        String canonical = Canonical.of(data);
        String now = Times.format(clock.instant());
        String agent = "agent".equals(req.actorType()) ? req.actorId() : req.owner();
        String task = req.context() != null && req.context().get("taskId") instanceof String s ? s : null;
        AuditEvent event = new AuditEvent(0, r.decisionId(), null, now, "governance-service", "policy.decision",
                req.actor(), req.action(), req.assetType(), req.assetId(), req.purpose(), r.label(), canonical, null,
                null, agent, task);
        Record rec = new Record(r.decisionId(), Record.Kind.DECISION, agent, task, now, Times.day(now), 0, null, null,
                null, r.decision(), null, null, null, null, canonical);
        // recorded off the caller's path: the decision answers at once, the record commits with the next batch
        log.submit(List.of(new AuditLog.Draft(event, rec)));
    }

    private static String key(DecisionRequest r) {
        return r.actorType() + '\u0000' + r.actorId() + '\u0000' + r.action() + '\u0000' + r.assetType() + '\u0000'
                + r.assetId() + '\u0000' + r.owner() + '\u0000' + r.label() + '\u0000' + r.purpose() + '\u0000'
                + (r.context() == null ? "" : new TreeMap<>(r.context()).toString());
    }

    private static String newId() {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        return new UUID((rnd.nextLong() & ~0xF000L) | 0x4000L,
                (rnd.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L).toString();
    }

    // ---- files -----------------------------------------------------------------------------------

    private Map<String, String> readDir() {
        Map<String, String> out = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".cedar")).toList()) {
                String name = f.getFileName().toString();
                out.put(name.substring(0, name.length() - ".cedar".length()), Files.readString(f).strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read policies in " + dir, e);
        }
        return out;
    }

    private void writeDir(Map<String, String> policies) {
        try {
            Files.createDirectories(dir);
            for (Map.Entry<String, String> e : policies.entrySet()) {
                Path tmp = dir.resolve(e.getKey() + ".cedar.tmp");
                Files.writeString(tmp, e.getValue().strip() + "\n");
                Files.move(tmp, dir.resolve(e.getKey() + ".cedar"), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    String name = f.getFileName().toString();
                    if (name.endsWith(".cedar") && !policies.containsKey(name.substring(0, name.length() - 6))) {
                        Files.delete(f);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write policies in " + dir, e);
        }
    }
}
