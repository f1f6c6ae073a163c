package io.memroos.governance.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memroos.contract.sql.Tx;
import io.memroos.governance.domain.Aggregate;
import io.memroos.governance.domain.AssetLabel;
import io.memroos.governance.domain.AuditEvent;
import io.memroos.governance.domain.AuditQuery;
import io.memroos.governance.domain.Checkpoint;
import io.memroos.governance.domain.GovernanceStore;
import io.memroos.governance.domain.Page;
import io.memroos.governance.domain.PolicyVersion;
import io.memroos.governance.domain.Record;
import io.memroos.governance.domain.RecordQuery;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/** The SQL shared by the SQLite and PostgreSQL stores: portable statements over {@link Tx}. */
abstract class SqlGovernanceStore implements GovernanceStore {

    private static final String EVENT_COLUMNS = "seq, id, recorded_at, occurred_at, source, type, actor, action, "
            + "asset_type, asset_id, purpose, label, data, prev_hash, hash, agent_id, task_id";
    private static final String RECORD_COLUMNS = "id, kind, agent_id, task_id, at, day, event_seq, model, provider, "
            + "tool, outcome, input_tokens, output_tokens, latency_ms, cost, data";
    private static final TypeReference<Map<String, String>> POLICIES = new TypeReference<>() {
    };
    private static final TypeReference<List<AssetLabel.AssetRef>> REFS = new TypeReference<>() {
    };

    final ObjectMapper json;

    SqlGovernanceStore(ObjectMapper json) {
        this.json = json;
    }

    abstract <T> T write(Function<Tx, T> work);

    abstract <T> T read(Function<Tx, T> work);

    @Override
    public void ping() {
        read(tx -> tx.one("SELECT 1 AS one"));
    }

    // ---- audit --------------------------------------------------------------------------------

    @Override
    public AuditEvent head() {
        return read(tx -> {
            Map<String, Object> row = tx.one("SELECT " + EVENT_COLUMNS + " FROM audit_events ORDER BY seq DESC LIMIT 1");
            return row == null ? null : event(row);
        });
    }

    private static final int ID_CHUNK = 100;
    private static final String EXISTING_IDS = "SELECT id FROM audit_events WHERE id IN ("
            + String.join(",", java.util.Collections.nCopies(ID_CHUNK, "?")) + ")";

    /**
     * Runs on the writer's connection (the audit writer is its only caller), in chunks of a fixed size so one
     * cached statement serves every call (a short chunk repeats its last id).
     */
    @Override
    public Set<String> existingIds(Collection<String> ids) {
        return write(tx -> {
            Set<String> out = new HashSet<>();
            List<String> list = new ArrayList<>(ids);
            for (int i = 0; i < list.size(); i += ID_CHUNK) {
                Object[] chunk = new Object[ID_CHUNK];
                for (int j = 0; j < ID_CHUNK; j++) {
                    chunk[j] = list.get(Math.min(list.size() - 1, i + j));
                }
                for (Map<String, Object> row : tx.query(EXISTING_IDS, chunk)) {
                    out.add((String) row.get("id"));
                }
            }
            return out;
        });
    }

    @Override
    public void append(List<AuditEvent> events, List<Record> records, Checkpoint checkpoint) {
        write(tx -> {
            List<Object[]> rows = new ArrayList<>(events.size());
            for (AuditEvent e : events) {
                rows.add(new Object[]{e.seq(), e.id(), e.recordedAt(), e.occurredAt(), e.source(), e.type(), e.actor(),
                        e.action(), e.assetType(), e.assetId(), e.purpose(), e.label(), e.data(), e.prevHash(), e.hash(),
                        e.agentId(), e.taskId()});
            }
            tx.batch("INSERT INTO audit_events (" + EVENT_COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows);
            List<Object[]> recs = new ArrayList<>(records.size());
            for (Record r : records) {
                recs.add(new Object[]{r.id(), r.kind().wire, r.agentId(), r.taskId(), r.at(), r.day(), r.eventSeq(),
                        r.model(), r.provider(), r.tool(), r.outcome(), r.inputTokens(), r.outputTokens(), r.latencyMs(),
                        r.cost(), r.data()});
            }
            tx.batch("INSERT INTO records (" + RECORD_COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", recs);
            if (checkpoint != null) {
                insertCheckpoint(tx, checkpoint);
            }
            return null;
        });
    }

    @Override
    public void addCheckpoint(Checkpoint checkpoint) {
        write(tx -> {
            insertCheckpoint(tx, checkpoint);
            return null;
        });
    }

    private static void insertCheckpoint(Tx tx, Checkpoint c) {
        tx.update("INSERT INTO checkpoints (seq, from_seq, hash, merkle_root, time, key_id, signature) "
                + "VALUES (?,?,?,?,?,?,?)", c.seq(), c.fromSeq(), c.hash(), c.merkleRoot(), c.time(), c.keyId(), c.signature());
    }

    @Override
    public Page<AuditEvent> audit(AuditQuery q) {
        StringBuilder sql = new StringBuilder("SELECT " + EVENT_COLUMNS + " FROM audit_events WHERE seq > ?");
        List<Object> params = new ArrayList<>(List.of(q.afterSeq()));
        eq(sql, params, "actor", q.actor());
        eq(sql, params, "action", q.action());
        eq(sql, params, "asset_type", q.assetType());
        eq(sql, params, "asset_id", q.assetId());
        eq(sql, params, "type", q.type());
        eq(sql, params, "source", q.source());
        eq(sql, params, "agent_id", q.agentId());
        eq(sql, params, "task_id", q.taskId());
        if (q.from() != null) {
            sql.append(" AND recorded_at >= ?");
            params.add(q.from());
        }
        if (q.to() != null) {
            sql.append(" AND recorded_at < ?");
            params.add(q.to());
        }
        sql.append(" ORDER BY seq LIMIT ?");
        params.add(q.limit() + 1);
        List<AuditEvent> items = read(tx -> tx.query(sql.toString(), params.toArray()).stream().map(this::event).toList());
        if (items.size() > q.limit()) {
            List<AuditEvent> page = items.subList(0, q.limit());
            return new Page<>(page, Long.toString(page.get(page.size() - 1).seq()));
        }
        return new Page<>(items, null);
    }

    private static void eq(StringBuilder sql, List<Object> params, String column, String value) {
        if (value != null) {
            sql.append(" AND ").append(column).append(" = ?");
            params.add(value);
        }
    }

    @Override
    public void scan(long fromSeq, long toSeq, Consumer<AuditEvent> sink) {
        read(tx -> {
            try (PreparedStatement st = tx.connection().prepareStatement("SELECT " + EVENT_COLUMNS
                    + " FROM audit_events WHERE seq >= ? AND seq <= ? ORDER BY seq")) {
                st.setFetchSize(2000);
                st.setLong(1, fromSeq);
                st.setLong(2, toSeq);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(new AuditEvent(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                                rs.getString(10), rs.getString(11), rs.getString(12), rs.getString(13), rs.getString(14),
                                rs.getString(15), rs.getString(16), rs.getString(17)));
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot scan the audit chain: " + e.getMessage(), e);
            }
            return null;
        });
    }

    @Override
    public List<AuditEvent> events(Collection<Long> seqs) {
        List<AuditEvent> out = new ArrayList<>();
        for (Long s : seqs) {
            scan(s, s, out::add);
        }
        return out;
    }

    @Override
    public List<String> hashes(long fromSeq, long toSeq) {
        return read(tx -> tx.query("SELECT hash FROM audit_events WHERE seq >= ? AND seq <= ? ORDER BY seq", fromSeq, toSeq)
                .stream().map(r -> (String) r.get("hash")).toList());
    }

    @Override
    public List<Checkpoint> checkpoints() {
        return read(tx -> tx.query("SELECT * FROM checkpoints ORDER BY seq").stream().map(SqlGovernanceStore::checkpoint)
                .toList());
    }

    @Override
    public Checkpoint lastCheckpoint() {
        return read(tx -> {
            Map<String, Object> row = tx.one("SELECT * FROM checkpoints ORDER BY seq DESC LIMIT 1");
            return row == null ? null : checkpoint(row);
        });
    }

    @Override
    public long count() {
        return read(tx -> num(tx.one("SELECT COUNT(*) AS n FROM audit_events").get("n")));
    }

    private static Checkpoint checkpoint(Map<String, Object> r) {
        return new Checkpoint(num(r.get("seq")), num(r.get("from_seq")), (String) r.get("hash"),
                (String) r.get("merkle_root"), (String) r.get("time"), (String) r.get("key_id"), (String) r.get("signature"));
    }

    private AuditEvent event(Map<String, Object> r) {
        return new AuditEvent(num(r.get("seq")), (String) r.get("id"), (String) r.get("recorded_at"),
                (String) r.get("occurred_at"), (String) r.get("source"), (String) r.get("type"), (String) r.get("actor"),
                (String) r.get("action"), (String) r.get("asset_type"), (String) r.get("asset_id"),
                (String) r.get("purpose"), (String) r.get("label"), (String) r.get("data"), (String) r.get("prev_hash"),
                (String) r.get("hash"), (String) r.get("agent_id"), (String) r.get("task_id"));
    }

    static long num(Object o) {
        return o == null ? 0 : ((Number) o).longValue();
    }

    // ---- records -----------------------------------------------------------------------------

    private static void recordFilters(StringBuilder sql, List<Object> params, RecordQuery q) {
        eq(sql, params, "kind", q.kind().wire);
        eq(sql, params, "agent_id", q.agentId());
        eq(sql, params, "task_id", q.taskId());
        eq(sql, params, "model", q.model());
        eq(sql, params, "provider", q.provider());
        eq(sql, params, "tool", q.tool());
        eq(sql, params, "outcome", q.outcome());
        if (q.from() != null) {
            sql.append(" AND at >= ?");
            params.add(q.from());
        }
        if (q.to() != null) {
            sql.append(" AND at < ?");
            params.add(q.to());
        }
    }

    @Override
    public Page<Record> records(RecordQuery q) {
        StringBuilder sql = new StringBuilder("SELECT " + RECORD_COLUMNS + " FROM records WHERE event_seq > ?");
        List<Object> params = new ArrayList<>(List.of(q.afterSeq()));
        recordFilters(sql, params, q);
        sql.append(" ORDER BY event_seq LIMIT ?");
        params.add(q.limit() + 1);
        List<Record> items = read(tx -> tx.query(sql.toString(), params.toArray()).stream().map(SqlGovernanceStore::record)
                .toList());
        if (items.size() > q.limit()) {
            List<Record> page = items.subList(0, q.limit());
            return new Page<>(page, Long.toString(page.get(page.size() - 1).eventSeq()));
        }
        return new Page<>(items, null);
    }

    private static Record record(Map<String, Object> r) {
        Object cost = r.get("cost");
        return new Record((String) r.get("id"), Record.Kind.of((String) r.get("kind")), (String) r.get("agent_id"),
                (String) r.get("task_id"), (String) r.get("at"), (String) r.get("day"), num(r.get("event_seq")),
                (String) r.get("model"), (String) r.get("provider"), (String) r.get("tool"), (String) r.get("outcome"),
                opt(r.get("input_tokens")), opt(r.get("output_tokens")), opt(r.get("latency_ms")),
                cost == null ? null : ((Number) cost).doubleValue(), (String) r.get("data"));
    }

    private static Long opt(Object o) {
        return o == null ? null : ((Number) o).longValue();
    }

    @Override
    public List<Aggregate> aggregate(RecordQuery q, List<String> by) {
        List<String> cols = by.stream().map(g -> switch (g) {
            case "agent" -> "agent_id";
            default -> g;
        }).toList();
        String groupCols = String.join(", ", cols);
        StringBuilder sql = new StringBuilder("SELECT " + (cols.isEmpty() ? "" : groupCols + ", ")
                + "COUNT(*) AS n, COALESCE(SUM(input_tokens), 0) AS tin, COALESCE(SUM(output_tokens), 0) AS tout, "
                + "COALESCE(SUM(cost), 0) AS cost, AVG(latency_ms) AS lat, "
                + "SUM(CASE WHEN outcome = 'error' THEN 1 ELSE 0 END) AS errors FROM records WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        recordFilters(sql, params, q);
        if (!cols.isEmpty()) {
            sql.append(" GROUP BY ").append(groupCols).append(" ORDER BY ").append(groupCols);
        }
        sql.append(" LIMIT 10000");
        return read(tx -> tx.query(sql.toString(), params.toArray()).stream().map(r -> {
            Map<String, String> group = new LinkedHashMap<>();
            for (int i = 0; i < by.size(); i++) {
                Object v = r.get(cols.get(i));
                group.put(by.get(i), v == null ? null : v.toString());
            }
            Object lat = r.get("lat");
            return new Aggregate(group, num(r.get("n")), num(r.get("tin")), num(r.get("tout")),
                    ((Number) r.get("cost")).doubleValue(), lat == null ? 0 : ((Number) lat).doubleValue(),
                    num(r.get("errors")));
        }).toList());
    }

    // ---- policies ----------------------------------------------------------------------------

    @Override
    public PolicyVersion latestPolicies() {
        return read(tx -> {
            Map<String, Object> row = tx.one("SELECT * FROM policy_versions ORDER BY version DESC LIMIT 1");
            return row == null ? null : policyVersion(row);
        });
    }

    @Override
    public PolicyVersion policies(long version) {
        return read(tx -> {
            Map<String, Object> row = tx.one("SELECT * FROM policy_versions WHERE version = ?", version);
            return row == null ? null : policyVersion(row);
        });
    }

    @Override
    public List<PolicyVersion> policyHistory(long before, int limit) {
        return read(tx -> tx.query("SELECT * FROM policy_versions WHERE version < ? ORDER BY version DESC LIMIT ?",
                before, limit).stream().map(this::policyVersion).toList());
    }

    @Override
    public void savePolicies(PolicyVersion v) {
        write(tx -> tx.update("INSERT INTO policy_versions (version, policies, created_at, created_by, comment) "
                + "VALUES (?,?,?,?,?)", v.version(), toJson(v.policies()), v.createdAt(), v.createdBy(), v.comment()));
    }

    private PolicyVersion policyVersion(Map<String, Object> r) {
        return new PolicyVersion(num(r.get("version")), fromJson((String) r.get("policies"), POLICIES),
                (String) r.get("created_at"), (String) r.get("created_by"), (String) r.get("comment"));
    }

    // ---- labels --------------------------------------------------------------------------------

    @Override
    public AssetLabel label(String type, String id) {
        return read(tx -> {
            Map<String, Object> row = tx.one("SELECT * FROM asset_labels WHERE asset_type = ? AND asset_id = ?", type, id);
            return row == null ? null : assetLabel(row);
        });
    }

    @Override
    public void saveLabels(List<AssetLabel> labels) {
        write(tx -> {
            for (AssetLabel l : labels) {
                tx.update("INSERT INTO asset_labels (asset_type, asset_id, explicit_label, label, derived_from, updated_at, "
                                + "updated_by) VALUES (?,?,?,?,?,?,?) ON CONFLICT (asset_type, asset_id) DO UPDATE SET "
                                + "explicit_label = excluded.explicit_label, label = excluded.label, "
                                + "derived_from = excluded.derived_from, updated_at = excluded.updated_at, "
                                + "updated_by = excluded.updated_by",
                        l.type(), l.id(), l.explicitLabel(), l.label(), toJson(l.derivedFrom()), l.updatedAt(), l.updatedBy());
                tx.update("DELETE FROM asset_sources WHERE asset_type = ? AND asset_id = ?", l.type(), l.id());
                for (AssetLabel.AssetRef s : l.derivedFrom()) {
                    tx.update("INSERT INTO asset_sources (asset_type, asset_id, source_type, source_id) VALUES (?,?,?,?)",
                            l.type(), l.id(), s.type(), s.id());
                }
            }
            return null;
        });
    }

    @Override
    public List<AssetLabel> dependents(String type, String id) {
        return read(tx -> tx.query("SELECT l.* FROM asset_sources s JOIN asset_labels l ON l.asset_type = s.asset_type "
                + "AND l.asset_id = s.asset_id WHERE s.source_type = ? AND s.source_id = ? ORDER BY l.asset_type, l.asset_id",
                type, id).stream().map(this::assetLabel).toList());
    }

    @Override
    public Page<AssetLabel> labels(String type, String label, String afterKey, int limit) {
        StringBuilder sql = new StringBuilder("SELECT * FROM asset_labels WHERE (asset_type || '/' || asset_id) > ?");
        List<Object> params = new ArrayList<>(List.of(afterKey == null ? "" : afterKey));
        eq(sql, params, "asset_type", type);
        eq(sql, params, "label", label);
        sql.append(" ORDER BY (asset_type || '/' || asset_id) LIMIT ?");
        params.add(limit + 1);
        List<AssetLabel> items = read(tx -> tx.query(sql.toString(), params.toArray()).stream().map(this::assetLabel)
                .toList());
        if (items.size() > limit) {
            List<AssetLabel> page = items.subList(0, limit);
            AssetLabel last = page.get(page.size() - 1);
            return new Page<>(page, last.type() + "/" + last.id());
        }
        return new Page<>(items, null);
    }

    private AssetLabel assetLabel(Map<String, Object> r) {
        return new AssetLabel((String) r.get("asset_type"), (String) r.get("asset_id"), (String) r.get("explicit_label"),
                fromJson((String) r.get("derived_from"), REFS), (String) r.get("label"), (String) r.get("updated_at"),
                (String) r.get("updated_by"));
    }

    // ---- meta --------------------------------------------------------------------------------

    @Override
    public Optional<String> meta(String key) {
        return read(tx -> {
            Map<String, Object> row = tx.one("SELECT value FROM meta WHERE key = ?", key);
            return Optional.ofNullable(row == null ? null : (String) row.get("value"));
        });
    }

    @Override
    public void putMeta(String key, String value) {
        write(tx -> tx.update("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = "
                + "excluded.value", key, value));
    }

    private String toJson(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T fromJson(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON does not parse: " + e.getMessage(), e);
        }
    }
}
