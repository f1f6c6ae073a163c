package io.memroos.registry.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memroos.contract.outbox.OutboxEvent;
import io.memroos.contract.outbox.OutboxSql;
import io.memroos.contract.outbox.OutboxStore;
import io.memroos.registry.domain.Agent;
import io.memroos.registry.domain.AgentKey;
import io.memroos.registry.domain.AgentQuery;
import io.memroos.registry.domain.AgentStatus;
import io.memroos.registry.domain.AgentStore;
import io.memroos.registry.domain.Endpoint;
import io.memroos.registry.domain.EndpointKind;
import io.memroos.registry.domain.Heartbeat;
import io.memroos.registry.domain.Liveness;
import io.memroos.registry.domain.Page;
import io.memroos.registry.domain.RegistryException;
import io.memroos.registry.domain.RemoteAgent;
import io.memroos.registry.domain.Skill;
import io.memroos.registry.domain.Source;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every query of the registry, written once in SQL that SQLite and PostgreSQL both accept. Subclasses
 * supply the connection handling. Times are stored as epoch milliseconds.
 */
abstract class SqlAgentStore implements AgentStore, OutboxAware {

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };
    private static final TypeReference<List<Skill>> SKILLS = new TypeReference<>() { };
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() { };
    private static final String AGENT_COLUMNS = "a.id, a.name, a.description, a.owner, a.capabilities, a.skills, "
            + "a.endpoint_kind, a.endpoint_url, a.status, a.source, a.card_url, a.last_heartbeat_at, "
            + "a.last_seen_at, a.created_at, a.updated_at";
    private static final String REMOTE_COLUMNS = "r.agent_id, r.card_url, r.poll_interval_seconds, r.enabled, "
            + "r.etag, r.last_fetched_at, r.last_success_at, r.consecutive_failures, r.last_error";

    private final ObjectMapper json;

    SqlAgentStore(ObjectMapper json) {
        this.json = json;
    }

    /** Auto-committing access. */
    abstract Sql sql();

    /** Runs {@code work} in one transaction, committed when it returns. */
    abstract <T> T transaction(Function<Sql, T> work);

    private volatile Runnable outboxListener = () -> { };

    @Override
    public OutboxStore outbox() {
        return new SqlOutboxStore(this::sql);
    }

    @Override
    public void onOutboxAppend(Runnable listener) {
        this.outboxListener = listener == null ? () -> { } : listener;
    }

    /** Appends the events in the transaction of {@code sql}. */
    private static void appendEvents(Sql sql, OutboxEvent... events) {
        long now = System.currentTimeMillis();
        for (OutboxEvent e : events) {
            sql.update(OutboxSql.INSERT, e.id(), e.toJson(), now);
        }
    }

    /** A transaction that also appends {@code events}, and wakes the relay after it commits. */
    private <T> T audited(OutboxEvent[] events, Function<Sql, T> work) {
        T result = transaction(work);
        if (events.length > 0) {
            outboxListener.run();
        }
        return result;
    }

    // ---- agents -------------------------------------------------------------------------------

    @Override
    public void insertAgent(Agent agent, OutboxEvent... events) {
        audited(events, sql -> {
            insertAgent(sql, agent);
            appendEvents(sql, events);
            return null;
        });
    }

    @Override
    public void insertRemoteAgent(Agent agent, RemoteAgent remote, String cardJson, OutboxEvent... events) {
        audited(events, sql -> {
            insertAgent(sql, agent);
            sql.update("INSERT INTO remote_agents (agent_id, card_url, poll_interval_seconds, enabled, etag, "
                            + "last_fetched_at, last_success_at, consecutive_failures, last_error, card_json) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    remote.agentId(), remote.cardUrl(), remote.pollIntervalSeconds(), remote.enabled() ? 1 : 0,
                    remote.etag(), millis(remote.lastFetchedAt()), millis(remote.lastSuccessAt()),
                    remote.consecutiveFailures(), remote.lastError(), cardJson);
            appendEvents(sql, events);
            return null;
        });
    }

    private void insertAgent(Sql sql, Agent a) {
        try {
            sql.update("INSERT INTO agents (id, name, description, owner, capabilities, skills, endpoint_kind, "
                            + "endpoint_url, status, source, card_url, last_heartbeat_at, last_seen_at, created_at, "
                            + "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    a.id(), a.name(), a.description(), a.owner(), write(a.capabilities()), write(a.skills()),
                    a.endpoint().kind().wire(), a.endpoint().url(), a.status().wire(), a.source().wire(),
                    a.cardUrl(), millis(a.lastHeartbeatAt()), millis(a.lastSeenAt()), millis(a.createdAt()),
                    millis(a.updatedAt()));
        } catch (Sql.UniqueViolation e) {
            throw RegistryException.conflict("an active agent named '" + a.name() + "' exists");
        }
        writeCapabilities(sql, a);
    }

    private void writeCapabilities(Sql sql, Agent a) {
        sql.update("DELETE FROM agent_capabilities WHERE agent_id = ?", a.id());
        for (String capability : a.capabilities()) {
            sql.update("INSERT INTO agent_capabilities (agent_id, capability) VALUES (?, ?)", a.id(), capability);
        }
    }

    @Override
    public Optional<Agent> findAgent(String id) {
        return first(sql().query("SELECT " + AGENT_COLUMNS + " FROM agents a WHERE a.id = ?", id), this::agent);
    }

    @Override
    public Optional<Agent> findActiveAgentByName(String name) {
        return first(sql().query("SELECT " + AGENT_COLUMNS + " FROM agents a WHERE a.name = ? AND a.status = ?",
                name, AgentStatus.ACTIVE.wire()), this::agent);
    }

    @Override
    public void updateAgent(Agent a, OutboxEvent... events) {
        audited(events, sql -> {
            try {
                sql.update("UPDATE agents SET name = ?, description = ?, owner = ?, capabilities = ?, skills = ?, "
                                + "endpoint_kind = ?, endpoint_url = ?, status = ?, last_seen_at = CASE WHEN "
                                + "last_seen_at IS NULL OR last_seen_at < ? THEN ? ELSE last_seen_at END, "
                                + "updated_at = ? WHERE id = ?",
                        a.name(), a.description(), a.owner(), write(a.capabilities()), write(a.skills()),
                        a.endpoint().kind().wire(), a.endpoint().url(), a.status().wire(),
                        millis(a.lastSeenAt()), millis(a.lastSeenAt()), millis(a.updatedAt()), a.id());
            } catch (Sql.UniqueViolation e) {
                throw RegistryException.conflict("an active agent named '" + a.name() + "' exists");
            }
            writeCapabilities(sql, a);
            appendEvents(sql, events);
            return null;
        });
    }

    @Override
    public Page<Agent> listAgents(AgentQuery q) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        if (!q.includeDeregistered()) {
            where.append(" AND a.status = ?");
            params.add(AgentStatus.ACTIVE.wire());
        }
        if (q.afterId() != null) {
            where.append(" AND a.id > ?");
            params.add(q.afterId());
        }
        if (q.capability() != null) {
            where.append(" AND EXISTS (SELECT 1 FROM agent_capabilities c WHERE c.agent_id = a.id"
                    + " AND c.capability = ?)");
            params.add(q.capability());
        }
        AgentQuery.LivenessBounds b = q.liveness();
        if (b != null) {
            if (b.wanted() == Liveness.UNREACHABLE) {
                where.append(" AND COALESCE(r.consecutive_failures, 0) >= ?");
                params.add(b.maxFailures());
            } else {
                where.append(" AND COALESCE(r.consecutive_failures, 0) < ?");
                params.add(b.maxFailures());
                switch (b.wanted()) {
                    case ONLINE -> {
                        where.append(" AND a.last_seen_at >= ?");
                        params.add(millis(b.staleFrom()));
                    }
                    case STALE -> {
                        where.append(" AND a.last_seen_at < ? AND a.last_seen_at >= ?");
                        params.add(millis(b.staleFrom()));
                        params.add(millis(b.offlineFrom()));
                    }
                    default -> {
                        where.append(" AND (a.last_seen_at IS NULL OR a.last_seen_at < ?)");
                        params.add(millis(b.offlineFrom()));
                    }
                }
            }
        }
        params.add(q.limit() + 1);
        List<Map<String, Object>> rows = sql().query("SELECT " + AGENT_COLUMNS
                + " FROM agents a LEFT JOIN remote_agents r ON r.agent_id = a.id" + where
                + " ORDER BY a.id LIMIT ?", params.toArray());
        List<Agent> agents = new ArrayList<>();
        for (int i = 0; i < Math.min(rows.size(), q.limit()); i++) {
            agents.add(agent(rows.get(i)));
        }
        String next = rows.size() > q.limit() ? agents.get(agents.size() - 1).id() : null;
        return new Page<>(agents, next);
    }

    private Agent agent(Map<String, Object> r) {
        return new Agent(str(r, "id"), str(r, "name"), str(r, "description"), str(r, "owner"),
                read(str(r, "capabilities"), STRINGS), read(str(r, "skills"), SKILLS),
                new Endpoint(EndpointKind.valueOf(str(r, "endpoint_kind").toUpperCase(Locale.ROOT)),
                        str(r, "endpoint_url")),
                AgentStatus.fromWire(str(r, "status")), Source.fromWire(str(r, "source")), str(r, "card_url"),
                instant(r.get("last_heartbeat_at")), instant(r.get("last_seen_at")), instant(r.get("created_at")),
                instant(r.get("updated_at")));
    }

    // ---- keys ---------------------------------------------------------------------------------

    private static final String KEY_COLUMNS = "id, agent_id, prefix, key_hash, label, created_at, last_used_at, "
            + "expires_at, revoked_at";

    @Override
    public void insertKey(AgentKey key, OutboxEvent... events) {
        audited(events, sql -> {
            insertKey(sql, key);
            appendEvents(sql, events);
            return null;
        });
    }

    private void insertKey(Sql sql, AgentKey k) {
        try {
            sql.update("INSERT INTO agent_keys (" + KEY_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    k.id(), k.agentId(), k.prefix(), k.hash(), k.label(), millis(k.createdAt()),
                    millis(k.lastUsedAt()), millis(k.expiresAt()), millis(k.revokedAt()));
        } catch (Sql.UniqueViolation e) {
            throw RegistryException.conflict("key prefix " + k.prefix() + " is taken");
        }
    }

    @Override
    public Optional<AgentKey> findKey(String agentId, String keyId) {
        return first(sql().query("SELECT " + KEY_COLUMNS + " FROM agent_keys WHERE agent_id = ? AND id = ?",
                agentId, keyId), SqlAgentStore::key);
    }

    @Override
    public Optional<AgentKey> findKeyByPrefix(String prefix) {
        return first(sql().query("SELECT " + KEY_COLUMNS + " FROM agent_keys WHERE prefix = ?", prefix),
                SqlAgentStore::key);
    }

    @Override
    public List<AgentKey> listKeys(String agentId) {
        return sql().query("SELECT " + KEY_COLUMNS + " FROM agent_keys WHERE agent_id = ? ORDER BY created_at, id",
                agentId).stream().map(SqlAgentStore::key).toList();
    }

    @Override
    public boolean revokeKey(String keyId, Instant at, OutboxEvent... events) {
        return audited(events, sql -> {
            boolean changed = sql.update("UPDATE agent_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                    millis(at), keyId) == 1;
            if (changed) {
                appendEvents(sql, events);
            }
            return changed;
        });
    }

    @Override
    public void rotateKey(String oldKeyId, Instant revokedAt, AgentKey replacement, OutboxEvent... events) {
        audited(events, sql -> {
            int changed = sql.update("UPDATE agent_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                    millis(revokedAt), oldKeyId);
            if (changed != 1) {
                throw RegistryException.conflict("key " + oldKeyId + " is revoked");
            }
            insertKey(sql, replacement);
            appendEvents(sql, events);
            return null;
        });
    }

    @Override
    public void touchKey(String keyId, Instant usedAt) {
        sql().update("UPDATE agent_keys SET last_used_at = ? WHERE id = ?", millis(usedAt), keyId);
    }

    private static AgentKey key(Map<String, Object> r) {
        return new AgentKey(str(r, "id"), str(r, "agent_id"), str(r, "prefix"), str(r, "key_hash"), str(r, "label"),
                instant(r.get("created_at")), instant(r.get("last_used_at")), instant(r.get("expires_at")),
                instant(r.get("revoked_at")));
    }

    // ---- heartbeats ---------------------------------------------------------------------------

    @Override
    public void recordHeartbeat(Heartbeat h, int retain) {
        transaction(sql -> {
            sql.update("INSERT INTO heartbeats (agent_id, received_at, status, load_factor, version, metrics) "
                            + "VALUES (?, ?, ?, ?, ?, ?)",
                    h.agentId(), millis(h.receivedAt()), h.status(), h.load(), h.version(), write(h.metrics()));
            sql.update("UPDATE agents SET last_heartbeat_at = ?, last_seen_at = ? WHERE id = ?",
                    millis(h.receivedAt()), millis(h.receivedAt()), h.agentId());
            sql.update("DELETE FROM heartbeats WHERE agent_id = ? AND id <= (SELECT id FROM heartbeats "
                    + "WHERE agent_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)", h.agentId(), h.agentId(), retain);
            return null;
        });
    }

    @Override
    public List<Heartbeat> recentHeartbeats(String agentId, int limit) {
        return sql().query("SELECT agent_id, received_at, status, load_factor, version, metrics FROM heartbeats "
                        + "WHERE agent_id = ? ORDER BY id DESC LIMIT ?", agentId, limit).stream()
                .map(r -> new Heartbeat(str(r, "agent_id"), instant(r.get("received_at")), str(r, "status"),
                        r.get("load_factor") == null ? null : ((Number) r.get("load_factor")).doubleValue(),
                        str(r, "version"), read(str(r, "metrics"), OBJECT)))
                .toList();
    }

    // ---- remote agents ------------------------------------------------------------------------

    @Override
    public Optional<RemoteAgent> findRemote(String agentId) {
        return first(sql().query("SELECT " + REMOTE_COLUMNS + " FROM remote_agents r WHERE r.agent_id = ?", agentId),
                SqlAgentStore::remote);
    }

    @Override
    public Optional<RemoteAgent> findActiveRemoteByCardUrl(String cardUrl) {
        return first(sql().query("SELECT " + REMOTE_COLUMNS + " FROM remote_agents r JOIN agents a ON a.id = "
                + "r.agent_id WHERE r.card_url = ? AND a.status = ?", cardUrl, AgentStatus.ACTIVE.wire()),
                SqlAgentStore::remote);
    }

    @Override
    public List<RemoteAgent> listRemotes() {
        return sql().query("SELECT " + REMOTE_COLUMNS + " FROM remote_agents r JOIN agents a ON a.id = r.agent_id "
                + "WHERE a.status = ? ORDER BY r.agent_id", AgentStatus.ACTIVE.wire()).stream()
                .map(SqlAgentStore::remote).toList();
    }

    @Override
    public List<RemoteAgent> dueRemotes(Instant now) {
        return sql().query("SELECT " + REMOTE_COLUMNS + " FROM remote_agents r JOIN agents a ON a.id = r.agent_id "
                        + "WHERE a.status = ? AND r.enabled = 1 AND (r.last_fetched_at IS NULL "
                        + "OR r.last_fetched_at + r.poll_interval_seconds * 1000 <= ?) ORDER BY r.agent_id",
                AgentStatus.ACTIVE.wire(), millis(now)).stream().map(SqlAgentStore::remote).toList();
    }

    @Override
    public void updateRemote(RemoteAgent r, String cardJson, OutboxEvent... events) {
        Object[] params = {r.pollIntervalSeconds(), r.enabled() ? 1 : 0, r.etag(), millis(r.lastFetchedAt()),
                millis(r.lastSuccessAt()), r.consecutiveFailures(), r.lastError()};
        String set = "UPDATE remote_agents SET poll_interval_seconds = ?, enabled = ?, etag = ?, last_fetched_at = ?, "
                + "last_success_at = ?, consecutive_failures = ?, last_error = ?";
        if (events.length == 0) {
            updateRemote(sql(), set, params, r, cardJson);
            return;
        }
        audited(events, sql -> {
            updateRemote(sql, set, params, r, cardJson);
            appendEvents(sql, events);
            return null;
        });
    }

    private static void updateRemote(Sql sql, String set, Object[] params, RemoteAgent r, String cardJson) {
        if (cardJson == null) {
            sql.update(set + " WHERE agent_id = ?", append(params, r.agentId()));
        } else {
            sql.update(set + ", card_json = ? WHERE agent_id = ?", append(append(params, cardJson), r.agentId()));
        }
    }

    private static RemoteAgent remote(Map<String, Object> r) {
        return new RemoteAgent(str(r, "agent_id"), str(r, "card_url"), num(r, "poll_interval_seconds"),
                num(r, "enabled") != 0, str(r, "etag"), instant(r.get("last_fetched_at")),
                instant(r.get("last_success_at")), num(r, "consecutive_failures"), str(r, "last_error"));
    }

    @Override
    public void ping() {
        sql().query("SELECT 1 AS one");
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static Object[] append(Object[] params, Object last) {
        Object[] out = java.util.Arrays.copyOf(params, params.length + 1);
        out[params.length] = last;
        return out;
    }

    private static <T> Optional<T> first(List<Map<String, Object>> rows, Function<Map<String, Object>, T> map) {
        return rows.isEmpty() ? Optional.empty() : Optional.of(map.apply(rows.get(0)));
    }

    private static String str(Map<String, Object> row, String column) {
        Object v = row.get(column);
        return v == null ? null : v.toString();
    }

    private static int num(Map<String, Object> row, String column) {
        return ((Number) row.get(column)).intValue();
    }

    static Long millis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }

    private static Instant instant(Object v) {
        return v == null ? null : Instant.ofEpochMilli(((Number) v).longValue());
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON column", e);
        }
    }

    private <T> T read(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot read JSON column", e);
        }
    }
}
