package io.memroos.governance.domain.policy;

import com.cedarpolicy.BasicAuthorizationEngine;
import com.cedarpolicy.model.AuthorizationRequest;
import com.cedarpolicy.model.AuthorizationResponse;
import com.cedarpolicy.model.AuthorizationSuccessResponse;
import com.cedarpolicy.model.DetailedError;
import com.cedarpolicy.model.exception.AuthException;
import com.cedarpolicy.model.exception.CacheException;
import com.cedarpolicy.model.exception.InternalException;
import com.cedarpolicy.value.CedarList;
import com.cedarpolicy.value.CedarMap;
import com.cedarpolicy.value.EntityTypeName;
import com.cedarpolicy.value.EntityUID;
import com.cedarpolicy.value.PrimBool;
import com.cedarpolicy.value.PrimLong;
import com.cedarpolicy.value.PrimString;
import com.cedarpolicy.value.Value;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A thin facade over Cedar ({@code com.cedarpolicy:cedar-java}, the Rust engine behind JNI): parsing and
 * validating policy texts with cedar's own parser (errors carry cedar's message, located by line and column),
 * compiling a policy set whose policy ids are the governance ids (the {@code @id} annotation or the file name)
 * and deciding requests with cedar's authorizer (default deny, a satisfied {@code forbid} wins, a policy whose
 * condition errors is skipped and its error reported). Governance keeps its own plain Java values
 * ({@link Entity}, strings, longs, booleans, lists, maps) and this class turns them into Cedar entities and
 * values.
 */
public final class Cedar {

    private static final Logger LOG = Logger.getLogger(Cedar.class);
    private static final BasicAuthorizationEngine ENGINE = new BasicAuthorizationEngine();
    private static final int MAX_TYPE_NAMES = 10_000;
    private static final Map<String, EntityTypeName> TYPES = new ConcurrentHashMap<>();

    private Cedar() {
    }

    // ---- values ------------------------------------------------------------------------------------

    /** An entity reference {@code Type::"id"}. */
    public record Entity(String type, String id) {
        @Override
        public String toString() {
            return type + "::\"" + id.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
    }

    public enum Effect { PERMIT, FORBID }

    /** One policy: its governance id, effect, annotations and its Cedar text. */
    public record Policy(String id, Effect effect, Map<String, String> annotations, String text) {
    }

    /** A policy text cedar refused: cedar's message, and where (1-based line and column) when cedar says. */
    public static final class ParseError extends RuntimeException {
        public final Integer line;
        public final Integer column;

        ParseError(Integer line, Integer column, String message) {
            super(line == null ? message : "line " + line + ", column " + column + ": " + message, null, false, false);
            this.line = line;
            this.column = column;
        }
    }

    /**
     * What a decision is asked about. {@code attributes} and {@code parents} describe the entities (the principal
     * and the resource are always present, with no attributes when none are given); an entity's parents make
     * {@code principal in Group::"g"} true.
     */
    public record Request(Entity principal, Entity action, Entity resource, Map<String, Object> context,
                          Map<Entity, Map<String, Object>> attributes, Map<Entity, Set<Entity>> parents) {
        public Request(Entity principal, Entity action, Entity resource, Map<String, Object> context,
                       Map<Entity, Map<String, Object>> attributes) {
            this(principal, action, resource, context, attributes, Map.of());
        }
    }

    /** The answer: allow or deny, the policies that decided (sorted), and the errors of skipped policies. */
    public record Decision(boolean allow, List<String> policies, List<String> errors) {
    }

    /** A compiled policy set: the policies (sorted by id) and cedar's policy set, pre-parsed on the Rust side. */
    public static final class PolicySet {
        private final List<Policy> policies;
        private final com.cedarpolicy.model.policy.PolicySet cedar;

        private PolicySet(List<Policy> policies, com.cedarpolicy.model.policy.PolicySet cedar) {
            this.policies = policies;
            this.cedar = cedar;
        }

        public List<Policy> policies() {
            return policies;
        }
    }

    // ---- parsing -----------------------------------------------------------------------------------

    /**
     * Parses a policy set text with cedar. Each policy's id is its {@code @id} annotation, else
     * {@code defaultIdPrefix} followed by its index ({@code policy0}, {@code policy1}, ... as Cedar names them).
     * The text of each policy is its source as cedar read it.
     *
     * @throws ParseError with cedar's message and location when the text is not Cedar
     */
    public static List<Policy> parse(String text, String defaultIdPrefix) {
        com.cedarpolicy.model.policy.PolicySet set;
        try {
            set = com.cedarpolicy.model.policy.PolicySet.parsePolicies(text);
        } catch (InternalException e) {
            throw locate(text, e);
        }
        // cedar names the policies policy0, policy1, ... in text order (its set is unordered)
        TreeMap<Integer, com.cedarpolicy.model.policy.Policy> ordered = new TreeMap<>();
        for (com.cedarpolicy.model.policy.Policy p : set.policies) {
            String id = p.getID();
            int n = id.startsWith("policy") && id.length() > 6 && id.substring(6).chars().allMatch(Character::isDigit)
                    ? Integer.parseInt(id.substring(6)) : text.indexOf(p.getSource());
            ordered.put(ordered.containsKey(n) ? Integer.MAX_VALUE - ordered.size() : n, p);
        }
        List<Policy> out = new ArrayList<>(ordered.size());
        int index = 0;
        for (com.cedarpolicy.model.policy.Policy p : ordered.values()) {
            Policy parsed = describe(p.getSource());
            String id = parsed.annotations().getOrDefault("id", defaultIdPrefix + index++);
            out.add(new Policy(id, parsed.effect(), parsed.annotations(), parsed.text()));
        }
        return out;
    }

    /**
     * Compiles a policy set from {@code id -> text of one policy} (ids are governance's: the file names). The
     * set is cached on the Rust side so decisions do not parse it again.
     *
     * @throws ParseError naming the policy when one does not parse
     */
    public static PolicySet compile(Map<String, String> policies) {
        List<Policy> parsed = new ArrayList<>(policies.size());
        Set<com.cedarpolicy.model.policy.Policy> cedar = new HashSet<>();
        for (Map.Entry<String, String> e : new TreeMap<>(policies).entrySet()) {
            Policy p;
            try {
                p = describe(e.getValue());
            } catch (ParseError pe) {
                throw new ParseError(pe.line, pe.column, "policy " + e.getKey() + ": " + pe.getMessage());
            }
            parsed.add(new Policy(e.getKey(), p.effect(), p.annotations(), p.text()));
            cedar.add(new com.cedarpolicy.model.policy.Policy(e.getValue(), e.getKey()));
        }
        com.cedarpolicy.model.policy.PolicySet set = new com.cedarpolicy.model.policy.PolicySet(cedar);
        try {
            set.cache();
        } catch (CacheException e) {
            // the Rust-side cache is bounded (cedar.cache.maxPolicySets); decisions still work, parsing each time
            LOG.warnf("cedar policy set not cached (%s); decisions parse the set on each call",
                    e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
        }
        return new PolicySet(List.copyOf(parsed), set);
    }

    /** Parses one policy text: its effect and annotations. */
    private static Policy describe(String text) {
        com.cedarpolicy.model.policy.Policy p;
        try {
            p = com.cedarpolicy.model.policy.Policy.parseStaticPolicy(text);
            Effect effect = p.effect() == com.cedarpolicy.model.Effect.FORBID ? Effect.FORBID : Effect.PERMIT;
            Map<String, String> annotations = p.getAnnotations();
            return new Policy(p.getID(), effect, annotations == null ? Map.of() : Map.copyOf(annotations),
                    text.strip());
        } catch (InternalException e) {
            throw locate(text, e);
        }
    }

    /**
     * Turns cedar's refusal of {@code text} into a located error. cedar-java's parse calls answer with a bare
     * message; its authorizer reports a policy that does not parse with cedar's full diagnostic (message, help,
     * source span), so each policy of the text (split at the {@code ;} that end them) is asked there until one
     * is refused.
     */
    private static ParseError locate(String text, InternalException cause) {
        for (int[] span : statements(text)) {
            String chunk = text.substring(span[0], span[1]);
            DetailedError error = diagnose(chunk);
            if (error != null) {
                String message = error.message;
                int colon = message.indexOf(" from string: ");
                if (message.startsWith("failed to parse policy") && colon > 0) {
                    message = message.substring(colon + " from string: ".length());
                }
                StringBuilder m = new StringBuilder(message);
                Integer line = null;
                Integer column = null;
                if (!error.sourceLocations.isEmpty()) {
                    DetailedError.SourceLabel at = error.sourceLocations.get(0);
                    at.label.filter(l -> !l.isBlank()).ifPresent(l -> m.append(": ").append(l));
                    int offset = span[0] + chars(chunk, at.start);
                    line = 1;
                    int lineStart = 0;
                    for (int i = 0; i < offset && i < text.length(); i++) {
                        if (text.charAt(i) == '\n') {
                            line++;
                            lineStart = i + 1;
                        }
                    }
                    column = offset - lineStart + 1;
                }
                error.help.filter(h -> !h.isBlank()).ifPresent(h -> m.append(" (").append(h).append(')'));
                return new ParseError(line, column, m.toString());
            }
        }
        List<String> errors = cause.getErrors();
        String message = errors == null || errors.isEmpty() ? cause.getMessage() : String.join("; ", errors);
        return new ParseError(null, null, message.replace("Internal JNI Error: ", ""));
    }

    /** Cedar's diagnostic for one policy text, or null when it parses. */
    private static DetailedError diagnose(String policy) {
        EntityUID probe = uid(new Entity("Probe", "probe"));
        com.cedarpolicy.model.policy.PolicySet set = new com.cedarpolicy.model.policy.PolicySet(
                Set.of(new com.cedarpolicy.model.policy.Policy(policy, "p")));
        try {
            AuthorizationResponse r = ENGINE.isAuthorized(new AuthorizationRequest(probe, probe, probe,
                    Map.<String, Value>of()), set, Set.<com.cedarpolicy.model.entity.Entity>of());
            if (r.type == AuthorizationResponse.SuccessOrFailure.Failure && r.errors.isPresent()
                    && !r.errors.get().isEmpty()) {
                return r.errors.get().get(0);
            }
            return null;
        } catch (AuthException e) {
            return null;
        }
    }

    /** Byte offset (cedar's spans count UTF-8 bytes) to char offset in {@code s}. */
    private static int chars(String s, int bytes) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int n = Math.max(0, Math.min(bytes, b.length));
        return new String(b, 0, n, StandardCharsets.UTF_8).length();
    }

    /**
     * The spans of the policies of a text: up to and including each {@code ;} outside string literals and
     * comments, then the rest when it holds more than blanks and comments. Only used to locate cedar's errors.
     */
    static List<int[]> statements(String text) {
        List<int[]> out = new ArrayList<>();
        int start = 0;
        boolean content = false;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '/' && i + 1 < n && text.charAt(i + 1) == '/') {
                while (i < n && text.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '"') {
                content = true;
                for (i++; i < n && text.charAt(i) != '"'; i++) {
                    if (text.charAt(i) == '\\') {
                        i++;
                    }
                }
            } else if (c == ';') {
                out.add(new int[]{start, i + 1});
                start = i + 1;
                content = false;
            } else if (!Character.isWhitespace(c)) {
                content = true;
            }
        }
        if (content) {
            out.add(new int[]{start, n});
        }
        return out;
    }

    // ---- decisions ---------------------------------------------------------------------------------

    /** Decides a request against a compiled set with cedar's authorizer. */
    public static Decision decide(PolicySet set, Request request) {
        Map<Entity, Map<String, Object>> attributes = request.attributes() == null ? Map.of() : request.attributes();
        Map<Entity, Set<Entity>> parents = request.parents() == null ? Map.of() : request.parents();
        Set<Entity> described = new HashSet<>(attributes.keySet());
        described.addAll(parents.keySet());
        described.add(request.principal());
        described.add(request.resource());
        Set<com.cedarpolicy.model.entity.Entity> entities = new HashSet<>();
        for (Entity e : described) {
            Map<String, Value> attrs = new HashMap<>();
            attributes.getOrDefault(e, Map.of()).forEach((k, v) -> attrs.put(k, value(v)));
            Set<EntityUID> ps = new HashSet<>();
            for (Entity p : parents.getOrDefault(e, Set.of())) {
                ps.add(uid(p));
            }
            entities.add(new com.cedarpolicy.model.entity.Entity(uid(e), attrs, ps));
        }
        Map<String, Value> context = new HashMap<>();
        if (request.context() != null) {
            request.context().forEach((k, v) -> context.put(k, value(v)));
        }
        AuthorizationResponse r;
        try {
            r = ENGINE.isAuthorized(new AuthorizationRequest(uid(request.principal()), uid(request.action()),
                    uid(request.resource()), context), set.cedar, entities);
        } catch (AuthException e) {
            throw new IllegalStateException("cedar could not decide: " + e.getMessage(), e);
        }
        if (r.type != AuthorizationResponse.SuccessOrFailure.Success || r.success.isEmpty()) {
            List<String> errors = new ArrayList<>();
            r.errors.ifPresent(es -> es.forEach(e -> errors.add(e.message)));
            throw new IllegalStateException("cedar refused the request: " + String.join("; ", errors));
        }
        AuthorizationSuccessResponse ok = r.success.get();
        List<String> reasons = new ArrayList<>(ok.getReason());
        reasons.sort(null);
        List<String> errors = new ArrayList<>();
        for (AuthorizationSuccessResponse.AuthorizationError e : ok.getErrors()) {
            errors.add(e.getPolicyId() + ": " + e.getError().message);
        }
        errors.sort(null);
        return new Decision(ok.isAllowed(), List.copyOf(reasons), List.copyOf(errors));
    }

    /**
     * A valid Cedar entity type for a name made of letters and digits: the name itself, or {@code Asset_<name>}
     * when it is not a Cedar identifier (it starts with a digit, say).
     */
    public static String typeName(String name) {
        if (type(name) != null) {
            return name;
        }
        String prefixed = "Asset_" + name;
        return type(prefixed) != null ? prefixed : "Asset";
    }

    private static EntityTypeName type(String name) {
        EntityTypeName t = TYPES.get(name);
        if (t == null) {
            t = EntityTypeName.parse(name).orElse(null);
            if (t != null) {
                if (TYPES.size() >= MAX_TYPE_NAMES) {
                    TYPES.clear();
                }
                TYPES.put(name, t);
            }
        }
        return t;
    }

    static EntityUID uid(Entity e) {
        EntityTypeName t = type(e.type());
        if (t == null) {
            throw new IllegalArgumentException("not a Cedar entity type: " + e.type());
        }
        return t.of(e.id());
    }

    /** A plain Java value as a Cedar value: string, long (int), boolean, entity, set (collection), record (map). */
    static Value value(Object v) {
        if (v instanceof String s) {
            return new PrimString(s);
        }
        if (v instanceof Boolean b) {
            return new PrimBool(b);
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return new PrimLong(((Number) v).longValue());
        }
        if (v instanceof Entity e) {
            return uid(e);
        }
        if (v instanceof Collection<?> c) {
            List<Value> out = new ArrayList<>(c.size());
            for (Object o : c) {
                out.add(value(o));
            }
            return new CedarList(out);
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Value> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), value(x)));
            return new CedarMap(out);
        }
        throw new IllegalArgumentException("no Cedar value for " + (v == null ? "null" : v.getClass().getSimpleName()));
    }
}
