package io.memroos.a2a.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.memroos.a2a.domain.A2aException;
import io.memroos.a2a.domain.Applied;
import io.memroos.a2a.domain.Change;
import io.memroos.a2a.domain.Page;
import io.memroos.a2a.domain.PushConfig;
import io.memroos.a2a.domain.PushDelivery;
import io.memroos.a2a.domain.TaskEvent;
import io.memroos.a2a.domain.TaskQuery;
import io.memroos.a2a.domain.TaskRecord;
import io.memroos.a2a.domain.TaskState;
import io.memroos.a2a.domain.TaskStore;
import io.memroos.contract.outbox.OutboxEvent;
import io.memroos.contract.outbox.OutboxSql;
import io.memroos.contract.outbox.OutboxStore;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Every query of the broker, written once in SQL that SQLite and PostgreSQL both accept. Subclasses supply the
 * connection handling. Times are stored as epoch milliseconds.
 */
abstract class SqlTaskStore implements TaskStore, OutboxAware {

    private static final String COLUMNS = "id, context_id, caller, target_agent, target_kind, remote_task_id, state, "
            + "task_json, last_seq, pending_json, pending_mode, next_attempt_at, deliver_by, attempts, created_at, "
            + "updated_at";

    private final OutboxStore outbox = new SqlOutboxStore(this::sql);
    private volatile Runnable onOutboxAppend = () -> {
    };

    SqlTaskStore(ObjectMapper json) {
    }

    @Override
    public OutboxStore outbox() {
        return outbox;
    }

    @Override
    public void onOutboxAppend(Runnable afterCommit) {
        this.onOutboxAppend = afterCommit == null ? () -> {
        } : afterCommit;
    }

    /** Appends the audit events to the outbox inside the caller's transaction (never commits). */
    private static void appendAudit(Sql sql, List<OutboxEvent> audit) {
        if (audit.isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        for (OutboxEvent e : audit) {
            sql.update(OutboxSql.INSERT, e.id(), e.toJson(), now);
        }
    }

    /** After a commit that appended audit events: let the relay send them now. */
    private void appended(int count) {
        if (count > 0) {
            onOutboxAppend.run();
        }
    }

    /** Auto-committing access. */
    abstract Sql sql();

    /** Runs {@code work} in one transaction, committed when it returns. */
    abstract <T> T transaction(Function<Sql, T> work);

    /**
     * {@link #transaction} without waiting on this thread where the store can (SQLite's write lane); otherwise on
     * {@code blocking}.
     */
    <T> CompletionStage<T> transactionAsync(Function<Sql, T> work, Executor blocking) {
        return CompletableFuture.supplyAsync(() -> transaction(work), blocking);
    }

    /** Appended to the SELECT that reads a task before updating it ({@code FOR UPDATE} where supported). */
    abstract String lockClause();

    @Override
    public Applied create(TaskRecord task, List<String> events, List<OutboxEvent> audit) {
        Applied applied = transaction(sql -> insert(sql, task, events, audit));
        appended(audit.size());
        return applied;
    }

    @Override
    public CompletionStage<Applied> createAsync(TaskRecord task, List<String> events, List<OutboxEvent> audit,
                                                Executor blocking) {
        return transactionAsync(sql -> insert(sql, task, events, audit), blocking).thenApply(applied -> {
            appended(audit.size());
            return applied;
        });
    }

    private static Applied insert(Sql sql, TaskRecord task, List<String> events, List<OutboxEvent> audit) {
        TaskRecord stored = task.withLastSeq(events.size());
        sql.update("INSERT INTO tasks (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                stored.id(), stored.contextId(), stored.caller(), stored.targetAgent(), stored.targetKind(),
                stored.remoteTaskId(), stored.state().name(), stored.taskJson(), stored.lastSeq(),
                stored.pendingJson(), stored.pendingMode(), millis(stored.nextAttemptAt()),
                millis(stored.deliverBy()), stored.attempts(), millis(stored.createdAt()),
                millis(stored.updatedAt()));
        List<TaskEvent> inserted = insertEvents(sql, stored.id(), 0, events, stored.updatedAt());
        appendAudit(sql, audit);
        return new Applied(stored, inserted);
    }

    @Override
    public Optional<TaskRecord> find(String id) {
        List<Map<String, Object>> rows = sql().query("SELECT " + COLUMNS + " FROM tasks WHERE id = ?", id);
        return rows.isEmpty() ? Optional.empty() : Optional.of(task(rows.get(0)));
    }

    @Override
    public Applied update(String id, Function<TaskRecord, Change> change) {
        int[] audited = {0};
        Applied applied = transaction(sql -> {
            List<Map<String, Object>> rows = sql.query("SELECT " + COLUMNS + " FROM tasks WHERE id = ?" + lockClause(),
                    id);
            if (rows.isEmpty()) {
                throw A2aException.taskNotFound(id);
            }
            TaskRecord current = task(rows.get(0));
            Change c = change.apply(current);
            TaskRecord next = c.next().withLastSeq(current.lastSeq() + c.events().size());
            sql.update("UPDATE tasks SET remote_task_id = ?, state = ?, task_json = ?, last_seq = ?, pending_json = ?, "
                            + "pending_mode = ?, next_attempt_at = ?, deliver_by = ?, attempts = ?, updated_at = ? "
                            + "WHERE id = ?",
                    next.remoteTaskId(), next.state().name(), next.taskJson(), next.lastSeq(), next.pendingJson(),
                    next.pendingMode(), millis(next.nextAttemptAt()), millis(next.deliverBy()), next.attempts(),
                    millis(next.updatedAt()), id);
            List<TaskEvent> stored = insertEvents(sql, id, current.lastSeq(), c.events(), next.updatedAt());
            if (!stored.isEmpty()) {
                List<Map<String, Object>> configs = sql.query("SELECT id FROM push_configs WHERE task_id = ?", id);
                for (Map<String, Object> config : configs) {
                    for (TaskEvent e : stored) {
                        sql.update("INSERT INTO push_outbox (id, task_id, config_id, seq, attempts, next_at) "
                                        + "VALUES (?, ?, ?, ?, 0, ?)", UUID.randomUUID().toString(), id,
                                (String) config.get("id"), e.seq(), millis(next.updatedAt()));
                    }
                }
            }
            appendAudit(sql, c.audit());
            audited[0] = c.audit().size();
            return new Applied(next, stored);
        });
        appended(audited[0]);
        return applied;
    }

    private static List<TaskEvent> insertEvents(Sql sql, String taskId, long after, List<String> events, Instant at) {
        List<TaskEvent> out = new ArrayList<>(events.size());
        long seq = after;
        for (String e : events) {
            seq++;
            sql.update("INSERT INTO task_events (task_id, seq, event_json, created_at) VALUES (?, ?, ?, ?)", taskId,
                    seq, e, millis(at));
            out.add(new TaskEvent(taskId, seq, e, at));
        }
        return out;
    }

    @Override
    public List<TaskEvent> events(String taskId, long afterSeq, int limit) {
        List<TaskEvent> out = new ArrayList<>();
        for (Map<String, Object> r : sql().query("SELECT task_id, seq, event_json, created_at FROM task_events "
                + "WHERE task_id = ? AND seq > ? ORDER BY seq LIMIT ?", taskId, afterSeq, limit)) {
            out.add(new TaskEvent((String) r.get("task_id"), num(r.get("seq")), (String) r.get("event_json"),
                    instant(r.get("created_at"))));
        }
        return out;
    }

    @Override
    public Page<TaskRecord> list(TaskQuery q) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        if (q.visibleTo() != null) {
            where.append(" AND (caller = ? OR target_agent = ?)");
            params.add("agent:" + q.visibleTo());
            params.add(q.visibleTo());
        }
        if (q.contextId() != null) {
            where.append(" AND context_id = ?");
            params.add(q.contextId());
        }
        if (q.state() != null) {
            where.append(" AND state = ?");
            params.add(q.state().name());
        }
        if (q.agentId() != null) {
            where.append(" AND target_agent = ?");
            params.add(q.agentId());
        }
        if (q.updatedAfter() != null) {
            where.append(" AND updated_at > ?");
            params.add(q.updatedAfter().toEpochMilli());
        }
        long total = num(sql().query("SELECT COUNT(*) AS n FROM tasks" + where, params.toArray()).get(0).get("n"));
        StringBuilder page = new StringBuilder(where);
        List<Object> pageParams = new ArrayList<>(params);
        if (q.cursor() != null) {
            String[] c = decodeCursor(q.cursor());
            page.append(" AND (created_at < ? OR (created_at = ? AND id < ?))");
            long created = Long.parseLong(c[0]);
            pageParams.add(created);
            pageParams.add(created);
            pageParams.add(c[1]);
        }
        pageParams.add(q.limit() + 1);
        List<TaskRecord> items = new ArrayList<>();
        for (Map<String, Object> r : sql().query("SELECT " + COLUMNS + " FROM tasks" + page
                + " ORDER BY created_at DESC, id DESC LIMIT ?", pageParams.toArray())) {
            items.add(task(r));
        }
        String next = null;
        if (items.size() > q.limit()) {
            items = items.subList(0, q.limit());
            TaskRecord last = items.get(items.size() - 1);
            next = Base64.getUrlEncoder().withoutPadding().encodeToString(
                    (last.createdAt().toEpochMilli() + ":" + last.id()).getBytes(StandardCharsets.UTF_8));
        }
        return new Page<>(items, next, total);
    }

    private static String[] decodeCursor(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int colon = text.indexOf(':');
            Long.parseLong(text.substring(0, colon));
            return new String[]{text.substring(0, colon), text.substring(colon + 1)};
        } catch (RuntimeException e) {
            throw A2aException.invalidParams("pageToken is not valid");
        }
    }

    @Override
    public List<TaskRecord> open(int limit) {
        List<TaskRecord> out = new ArrayList<>();
        for (Map<String, Object> r : sql().query("SELECT " + COLUMNS + " FROM tasks WHERE state NOT IN ('COMPLETED', "
                + "'FAILED', 'CANCELED', 'REJECTED') ORDER BY created_at LIMIT ?", limit)) {
            out.add(task(r));
        }
        return out;
    }

    @Override
    public List<TaskRecord> duePending(Instant now, int limit) {
        List<TaskRecord> out = new ArrayList<>();
        for (Map<String, Object> r : sql().query("SELECT " + COLUMNS + " FROM tasks WHERE pending_json IS NOT NULL "
                + "AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?", now.toEpochMilli(), limit)) {
            out.add(task(r));
        }
        return out;
    }

    @Override
    public void savePushConfig(PushConfig c, OutboxEvent audit) {
        List<OutboxEvent> events = audit == null ? List.of() : List.of(audit);
        transaction(sql -> {
            sql.update("DELETE FROM push_configs WHERE task_id = ? AND id = ?", c.taskId(), c.id());
            sql.update("INSERT INTO push_configs (task_id, id, config_json, created_at) VALUES (?, ?, ?, ?)",
                    c.taskId(), c.id(), c.configJson(), millis(c.createdAt()));
            appendAudit(sql, events);
            return null;
        });
        appended(events.size());
    }

    @Override
    public Optional<PushConfig> findPushConfig(String taskId, String id) {
        List<Map<String, Object>> rows = sql().query("SELECT task_id, id, config_json, created_at FROM push_configs "
                + "WHERE task_id = ? AND id = ?", taskId, id);
        return rows.isEmpty() ? Optional.empty() : Optional.of(push(rows.get(0)));
    }

    @Override
    public List<PushConfig> pushConfigs(String taskId) {
        List<PushConfig> out = new ArrayList<>();
        for (Map<String, Object> r : sql().query("SELECT task_id, id, config_json, created_at FROM push_configs "
                + "WHERE task_id = ? ORDER BY created_at, id", taskId)) {
            out.add(push(r));
        }
        return out;
    }

    @Override
    public boolean deletePushConfig(String taskId, String id, OutboxEvent audit) {
        boolean deleted = transaction(sql -> {
            sql.update("DELETE FROM push_outbox WHERE task_id = ? AND config_id = ?", taskId, id);
            boolean gone = sql.update("DELETE FROM push_configs WHERE task_id = ? AND id = ?", taskId, id) > 0;
            if (gone && audit != null) {
                appendAudit(sql, List.of(audit));
            }
            return gone;
        });
        appended(deleted && audit != null ? 1 : 0);
        return deleted;
    }

    @Override
    public List<PushDelivery> duePushDeliveries(Instant now, int limit) {
        List<PushDelivery> out = new ArrayList<>();
        for (Map<String, Object> r : sql().query("SELECT id, task_id, config_id, seq, attempts, next_at FROM push_outbox "
                + "WHERE next_at <= ? ORDER BY next_at, task_id, seq LIMIT ?", now.toEpochMilli(), limit)) {
            out.add(new PushDelivery((String) r.get("id"), (String) r.get("task_id"), (String) r.get("config_id"),
                    num(r.get("seq")), (int) num(r.get("attempts")), instant(r.get("next_at"))));
        }
        return out;
    }

    @Override
    public void pushDelivered(String deliveryId) {
        sql().update("DELETE FROM push_outbox WHERE id = ?", deliveryId);
    }

    @Override
    public void pushFailed(String deliveryId, int attempts, Instant nextAt, String error, OutboxEvent audit) {
        if (nextAt == null && audit != null) {
            boolean gone = transaction(sql -> {
                if (sql.update("DELETE FROM push_outbox WHERE id = ?", deliveryId) == 0) {
                    return false;
                }
                appendAudit(sql, List.of(audit));
                return true;
            });
            appended(gone ? 1 : 0);
        } else if (nextAt == null) {
            sql().update("DELETE FROM push_outbox WHERE id = ?", deliveryId);
        } else {
            sql().update("UPDATE push_outbox SET attempts = ?, next_at = ?, last_error = ? WHERE id = ?", attempts,
                    nextAt.toEpochMilli(), error, deliveryId);
        }
    }

    @Override
    public void ping() {
        sql().query("SELECT 1 AS one");
    }

    private static TaskRecord task(Map<String, Object> r) {
        return new TaskRecord((String) r.get("id"), (String) r.get("context_id"), (String) r.get("caller"),
                (String) r.get("target_agent"), (String) r.get("target_kind"), (String) r.get("remote_task_id"),
                TaskState.valueOf((String) r.get("state")), (String) r.get("task_json"), num(r.get("last_seq")),
                (String) r.get("pending_json"), (String) r.get("pending_mode"), instant(r.get("next_attempt_at")),
                instant(r.get("deliver_by")), (int) num(r.get("attempts")), instant(r.get("created_at")),
                instant(r.get("updated_at")));
    }

    private static PushConfig push(Map<String, Object> r) {
        return new PushConfig((String) r.get("task_id"), (String) r.get("id"), (String) r.get("config_json"),
                instant(r.get("created_at")));
    }

    static Long millis(Instant t) {
        return t == null ? null : t.toEpochMilli();
    }

    static long num(Object o) {
        return o == null ? 0 : ((Number) o).longValue();
    }

    static Instant instant(Object o) {
        return o == null ? null : Instant.ofEpochMilli(((Number) o).longValue());
    }
}
