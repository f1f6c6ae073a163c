package io.memroos.governance.domain;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Classification labels, ordered from least to most sensitive ({@code public < internal < confidential <
 * restricted} by default). An asset's effective label is the highest of its explicit label and the effective
 * labels of the assets it derives from; a change is carried on to every asset derived from it.
 */
public final class Labels {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:@/-]{1,200}");

    private final List<String> order;
    private final GovernanceStore store;
    private final AuditLog log;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private volatile Runnable onChange = () -> { };
    /** Effective labels by asset ("" = unclassified); every change goes through {@link #set}, which clears it. */
    private final java.util.concurrent.ConcurrentHashMap<String, String> cache = new java.util.concurrent.ConcurrentHashMap<>();

    public Labels(List<String> order, GovernanceStore store, AuditLog log, Clock clock) {
        if (order.isEmpty()) {
            throw new IllegalArgumentException("at least one classification label is needed");
        }
        this.order = List.copyOf(order);
        this.store = store;
        this.log = log;
        this.clock = clock;
    }

    public void onChange(Runnable r) {
        this.onChange = r;
    }

    public List<String> order() {
        return order;
    }

    /** The rank of a label (0 = least sensitive), or -1 when not a configured label. */
    public int rank(String label) {
        return label == null ? -1 : order.indexOf(label);
    }

    public String check(String field, String label) {
        if (label == null) {
            return null;
        }
        if (rank(label) < 0) {
            throw GovException.invalid(field, "must be one of " + order);
        }
        return label;
    }

    String max(String a, String b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return rank(a) >= rank(b) ? a : b;
    }

    public AssetLabel get(String type, String id) {
        AssetLabel l = store.label(type, id);
        if (l == null) {
            throw GovException.notFound("asset " + type + "/" + id + " has no classification");
        }
        return l;
    }

    /** The effective label of an asset, or null when unclassified. */
    public String effective(String type, String id) {
        String key = type + '\u0000' + id;
        String hit = cache.get(key);
        if (hit == null) {
            AssetLabel l = store.label(type, id);
            hit = l == null || l.label() == null ? "" : l.label();
            if (cache.size() >= 100_000) {
                cache.clear();
            }
            cache.put(key, hit);
        }
        return hit.isEmpty() ? null : hit;
    }

    public Page<AssetLabel> list(String type, String label, String cursor, int limit) {
        return store.labels(type, label == null ? null : check("label", label), cursor, limit);
    }

    /** Sets the explicit label and sources of an asset; returns it with its effective label. */
    public synchronized AssetLabel set(String type, String id, String explicit, List<AssetLabel.AssetRef> derivedFrom,
                                       Caller caller) {
        checkName("type", type);
        checkName("id", id);
        check("label", explicit);
        List<AssetLabel.AssetRef> sources = derivedFrom == null ? List.of() : List.copyOf(new LinkedHashSet<>(derivedFrom));
        for (int i = 0; i < sources.size(); i++) {
            AssetLabel.AssetRef r = sources.get(i);
            if (r == null || r.type() == null || r.id() == null) {
                throw GovException.invalid("derivedFrom[" + i + "]", "must name type and id");
            }
            checkName("derivedFrom[" + i + "].type", r.type());
            checkName("derivedFrom[" + i + "].id", r.id());
            if (r.type().equals(type) && r.id().equals(id)) {
                throw GovException.invalid("derivedFrom[" + i + "]", "an asset cannot derive from itself");
            }
        }
        if (explicit == null && sources.isEmpty()) {
            throw GovException.invalid("label", "give a label, derivedFrom, or both");
        }
        if (sources.size() > 100) {
            throw GovException.invalid("derivedFrom", "at most 100 sources");
        }
        String now = Times.format(clock.instant());
        String by = caller.actor();
        List<AssetLabel> changed = new ArrayList<>();
        AssetLabel self = new AssetLabel(type, id, explicit, sources, compute(explicit, sources, type, id), now, by);
        changed.add(self);
        // carry the change to everything derived from this asset (breadth first, each asset once)
        Deque<AssetLabel> todo = new ArrayDeque<>(List.of(self));
        Set<String> visited = new HashSet<>(Set.of(type + "\u0000" + id));
        java.util.Map<String, AssetLabel> pending = new java.util.HashMap<>();
        pending.put(type + "\u0000" + id, self);
        while (!todo.isEmpty()) {
            AssetLabel cur = todo.poll();
            for (AssetLabel dep : store.dependents(cur.type(), cur.id())) {
                String key = dep.type() + "\u0000" + dep.id();
                if (!visited.add(key)) {
                    continue;
                }
                String eff = dep.explicitLabel();
                for (AssetLabel.AssetRef s : dep.derivedFrom()) {
                    AssetLabel src = pending.get(s.type() + "\u0000" + s.id());
                    eff = max(eff, src != null ? src.label() : effective(s.type(), s.id()));
                }
                if (!java.util.Objects.equals(eff, dep.label())) {
                    AssetLabel updated = new AssetLabel(dep.type(), dep.id(), dep.explicitLabel(), dep.derivedFrom(), eff,
                            now, by);
                    pending.put(key, updated);
                    changed.add(updated);
                    todo.add(updated);
                }
            }
        }
        try {
            store.saveLabels(changed);
        } finally {
            cache.clear();
        }
        ObjectNode data = json.createObjectNode();
        data.put("label", self.label());
        if (explicit != null) {
            data.put("explicitLabel", explicit);
        }
        var arr = data.putArray("derivedFrom");
        for (AssetLabel.AssetRef r : sources) {
            arr.addObject().put("type", r.type()).put("id", r.id());
        }
        data.put("propagatedTo", changed.size() - 1);
        log.append(List.of(new AuditLog.Draft(new AuditEvent(0, UUID.randomUUID().toString(), null, now,
                "governance-service", "classification.changed", by, "classification.set", type, id, null, self.label(),
                Canonical.of(data), null, null, caller.role() == Caller.Role.AGENT ? caller.id() : null, null), null)));
        onChange.run();
        return self;
    }

    private String compute(String explicit, List<AssetLabel.AssetRef> sources, String type, String id) {
        String eff = explicit;
        for (AssetLabel.AssetRef s : sources) {
            eff = max(eff, effective(s.type(), s.id()));
        }
        return eff;
    }

    static void checkName(String field, String value) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw GovException.invalid(field, "must be 1-200 characters of letters, digits and . _ : @ / -");
        }
    }

    /** {@code agent-card} -> {@code AgentCard}: the Cedar entity type of an asset type. */
    public static String entityType(String assetType) {
        StringBuilder out = new StringBuilder();
        boolean upper = true;
        for (char c : assetType.toCharArray()) {
            if (c == '-' || c == '_' || c == '.' || c == ':' || c == '/' || c == '@') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.isEmpty() ? "Asset" : out.toString();
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
