package io.memroos.bus.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memroos.bus.domain.Backlog;
import io.memroos.bus.domain.BusException;
import io.memroos.bus.domain.BusStore;
import io.memroos.bus.domain.DeadLetter;
import io.memroos.bus.domain.Delivery;
import io.memroos.bus.domain.Ids;
import io.memroos.bus.domain.Message;
import io.memroos.bus.domain.OutboxEvent;
import io.memroos.bus.domain.Page;
import io.memroos.bus.domain.Subscription;
import io.memroos.contract.outbox.OutboxStore;
import io.memroos.contract.sql.Tx;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The bus store in portable SQL; the backends differ only in how a unit of work gets its connection and
 * transaction ({@link #write}, {@link #read}) and in the claim's row lock ({@link #claimLock()}).
 */
abstract class SqlBusStore implements BusStore, OutboxAware {

    static final int PENDING = 0;
    static final int ACKED = 1;
    static final int DEAD = 2;

    /** Dead letters are named after their delivery row: {@code dlv_<n>}. */
    static final String DEAD_PREFIX = "dlv_";

    static final String SENT = "bus.message.sent";
    static final String DELIVERED = "bus.message.delivered";
    static final String ACKED_EVENT = "bus.message.acked";
    static final String NACKED = "bus.message.nacked";
    static final String DEAD_LETTERED = "bus.message.dead-lettered";
    static final String REQUEUED = "bus.message.requeued";
    static final String PURGED = "bus.message.purged";
    static final String SUBSCRIPTION_CREATED = "bus.subscription.created";
    static final String SUBSCRIPTION_UPDATED = "bus.subscription.updated";
    static final String SUBSCRIPTION_DELETED = "bus.subscription.deleted";

    private static final String MESSAGE_COLUMNS = "m.id, m.sender, m.recipients, m.thread_id, m.reply_to, m.subject, "
            + "m.body_kind, m.body, m.priority AS m_priority, m.label, m.idempotency_key, m.created_at AS m_created_at, "
            + "m.expires_at AS m_expires_at";

    private static final String OUTBOX_INSERT = "INSERT INTO outbox (id, type, actor, asset, occurred_at, payload) "
            + "VALUES (?, ?, ?, ?, ?, ?)";

    private final ObjectMapper json;
    private final BusOutboxStore outbox;
    private volatile Runnable onOutboxAppend = () -> {
    };

    SqlBusStore(ObjectMapper json) {
        this.json = json;
        this.outbox = new BusOutboxStore(this, json);
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

    /** A write whose transaction appends outbox events: the relay is woken once it has committed. */
    private <T> T audited(Function<Tx, T> work) {
        T result = write(work);
        onOutboxAppend.run();
        return result;
    }

    /** Runs the work in one transaction (for SQLite: on the single write lane). */
    abstract <T> T write(Function<Tx, T> work);

    /** Runs read-only work. */
    abstract <T> T read(Function<Tx, T> work);

    /** The row lock the claim query takes ({@code FOR UPDATE ... SKIP LOCKED} on PostgreSQL). */
    abstract String claimLock();

    // ---- send ----------------------------------------------------------------------------------------

    @Override
    public SendResult send(Message m, int maxBacklog, String actor, Map<String, Integer> claimFor, ClaimPolicy policy) {
        try {
            return audited(tx -> {
                SendResult sent = sendIn(tx, m, maxBacklog, actor);
                if (sent.replay() || claimFor.isEmpty()) {
                    return sent;
                }
                Map<String, List<Delivery>> claimed = new HashMap<>();
                for (Map.Entry<String, Integer> e : claimFor.entrySet()) {
                    claimed.put(e.getKey(), claimIn(tx, e.getKey(), e.getValue(), policy, Long.MAX_VALUE, m.createdAt(),
                            "agent:" + e.getKey(), new int[1]));
                }
                return new SendResult(sent.message(), false, claimed);
            });
        } catch (Tx.UniqueViolation e) {
            // a concurrent send with the same idempotency key won (PostgreSQL): return the first one
            if (m.idempotencyKey() != null) {
                Message first = findByIdempotencyKey(m.sender(), m.idempotencyKey());
                if (first != null) {
                    return new SendResult(first, true);
                }
            }
            throw e;
        }
    }

    private SendResult sendIn(Tx tx, Message m, int maxBacklog, String actor) {
        if (m.idempotencyKey() != null) {
            Message existing = byKey(tx, m.sender(), m.idempotencyKey());
            if (existing != null) {
                return new SendResult(existing, true);
            }
        }
        long now = m.createdAt().toEpochMilli();
        Long expires = m.expiresAt() == null ? null : m.expiresAt().toEpochMilli();
        tx.update("INSERT INTO messages (id, sender, recipients, thread_id, reply_to, subject, body_kind, body, "
                        + "priority, label, idempotency_key, created_at, expires_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                m.id(), m.sender(), String.join(" ", m.recipients()), m.threadId(), m.replyTo(), m.subject(),
                m.bodyKind().wire(), m.body(), m.priority(), m.label(), m.idempotencyKey(), now, expires);
        List<Object[]> deliveries = new ArrayList<>(m.recipients().size());
        for (String recipient : m.recipients()) {
            Map<String, Object> inbox = tx.one("INSERT INTO inboxes (agent_id, last_seq, pending, dead) "
                    + "VALUES (?, 1, 1, 0) ON CONFLICT (agent_id) DO UPDATE "
                    + "SET last_seq = inboxes.last_seq + 1, pending = inboxes.pending + 1 "
                    + "RETURNING last_seq, pending", recipient);
            if (lng(inbox, "pending") > maxBacklog) {
                throw BusException.backlogFull("to", "the inbox of agent " + recipient + " already holds " + maxBacklog
                        + " unacknowledged messages (the backlog limit); retry after it acknowledges some");
            }
            deliveries.add(new Object[]{m.id(), recipient, lng(inbox, "last_seq"), m.priority(), PENDING, 0, now,
                    expires, now});
        }
        tx.batch("INSERT INTO deliveries (message_id, recipient, seq, priority, state, attempts, visible_at, "
                + "expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", deliveries);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("messageId", m.id());
        payload.put("sender", m.sender());
        payload.put("recipients", m.recipients());
        payload.put("threadId", m.threadId());
        payload.put("priority", m.priority());
        payload.put("label", m.label());
        payload.put("bytes", m.body().length());
        event(tx, SENT, actor, m.id(), now, payload);
        return new SendResult(m, false);
    }

    @Override
    public Message findByIdempotencyKey(String sender, String key) {
        return read(tx -> byKey(tx, sender, key));
    }

    private Message byKey(Tx tx, String sender, String key) {
        Map<String, Object> row = tx.one("SELECT " + MESSAGE_COLUMNS + " FROM messages m "
                + "WHERE m.sender = ? AND m.idempotency_key = ?", sender, key);
        return row == null ? null : message(row);
    }

    @Override
    public Message message(String id) {
        return read(tx -> {
            Map<String, Object> row = tx.one("SELECT " + MESSAGE_COLUMNS + " FROM messages m WHERE m.id = ?", id);
            return row == null ? null : message(row);
        });
    }

    // ---- claim, ack, nack ------------------------------------------------------------------------------

    @Override
    public List<Delivery> claim(String recipient, int max, ClaimPolicy policy, long resumeAfterSeq, Instant now,
                                String actor) {
        int[] events = {0};
        List<Delivery> claimed = write(tx -> {
            for (int round = 0; round < 3; round++) {
                int[] dropped = {0};
                List<Delivery> out = claimIn(tx, recipient, max, policy, resumeAfterSeq, now, actor, dropped);
                events[0] += out.size() + dropped[0];
                if (!out.isEmpty() || dropped[0] == 0) {
                    return out;
                }
            }
            return List.of();
        });
        if (events[0] > 0) {
            onOutboxAppend.run();
        }
        return claimed;
    }

    private List<Delivery> claimIn(Tx tx, String recipient, int max, ClaimPolicy policy, long resumeAfterSeq,
                                   Instant now, String actor, int[] dropped) {
        long nowMs = now.toEpochMilli();
        List<Map<String, Object>> rows = tx.query("SELECT d.id AS d_id, d.seq, d.attempts, d.expires_at AS d_expires_at, "
                + MESSAGE_COLUMNS + " FROM deliveries d JOIN messages m ON m.id = d.message_id "
                + "WHERE d.recipient = ? AND d.state = 0 AND (d.visible_at <= ? OR d.seq > ?) "
                + "ORDER BY d.priority DESC, d.seq LIMIT ?" + claimLock(), recipient, nowMs, resumeAfterSeq, max);
        if (rows.isEmpty()) {
            return List.of();
        }
        long visibleUntil = nowMs + policy.visibility().toMillis();
        List<Object[]> delivered = new ArrayList<>(rows.size());
        List<Object[]> events = new ArrayList<>(rows.size());
        List<Delivery> out = new ArrayList<>(rows.size());
        int dead = 0;
        for (Map<String, Object> row : rows) {
            long deliveryId = lng(row, "d_id");
            int attempts = (int) lng(row, "attempts");
            Long expires = (Long) longOrNull(row, "d_expires_at");
            Message m = message(row);
            if (expires != null && expires <= nowMs) {
                deadLetter(tx, deliveryId, recipient, m.id(), attempts, "expired", nowMs, events);
                dead++;
            } else if (attempts >= policy.maxAttempts()) {
                deadLetter(tx, deliveryId, recipient, m.id(), attempts, "max-attempts", nowMs, events);
                dead++;
            } else {
                String receipt = Ids.receipt();
                delivered.add(new Object[]{visibleUntil, receipt, nowMs, deliveryId});
                long seq = lng(row, "seq");
                out.add(new Delivery(recipient, seq, receipt, attempts + 1, Instant.ofEpochMilli(visibleUntil), m));
                events.add(eventRow(DELIVERED, actor, "message:" + m.id(), nowMs, Map.of("messageId", m.id(),
                        "recipient", recipient, "seq", seq, "attempt", attempts + 1)));
            }
        }
        tx.batch("UPDATE deliveries SET attempts = attempts + 1, visible_at = ?, receipt = ?, delivered_at = ? "
                + "WHERE id = ?", delivered);
        if (dead > 0) {
            tx.update("UPDATE inboxes SET pending = pending - ?, dead = dead + ? WHERE agent_id = ?", dead, dead,
                    recipient);
        }
        tx.batch(OUTBOX_INSERT, events);
        dropped[0] = dead;
        return out;
    }

    private void deadLetter(Tx tx, long deliveryId, String recipient, String messageId, int attempts, String reason,
                            long nowMs, List<Object[]> events) {
        tx.update("UPDATE deliveries SET state = 2, dead_at = ?, reason = ?, receipt = NULL WHERE id = ?", nowMs, reason,
                deliveryId);
        events.add(eventRow(DEAD_LETTERED, "service:context-bus", "message:" + messageId, nowMs, Map.of("messageId",
                messageId, "recipient", recipient, "deliveryId", DEAD_PREFIX + deliveryId, "attempts", attempts,
                "reason", reason)));
    }

    @Override
    public List<AckResult> ack(String recipient, List<AckRequest> acks, Instant now, String actor) {
        return audited(tx -> {
            long nowMs = now.toEpochMilli();
            List<AckResult> out = new ArrayList<>(acks.size());
            List<Object[]> events = new ArrayList<>();
            int acked = 0;
            for (AckRequest a : acks) {
                int n = a.receipt() == null
                        ? tx.update("UPDATE deliveries SET state = 1, acked_at = ?, receipt = NULL WHERE recipient = ? "
                        + "AND message_id = ? AND state = 0 AND attempts > 0", nowMs, recipient, a.messageId())
                        : tx.update("UPDATE deliveries SET state = 1, acked_at = ?, receipt = NULL WHERE recipient = ? "
                        + "AND message_id = ? AND state = 0 AND attempts > 0 AND receipt = ?", nowMs, recipient,
                        a.messageId(), a.receipt());
                if (n == 1) {
                    acked++;
                    out.add(new AckResult(a.messageId(), AckOutcome.ACKED));
                    events.add(eventRow(ACKED_EVENT, actor, "message:" + a.messageId(), nowMs,
                            Map.of("messageId", a.messageId(), "recipient", recipient)));
                } else {
                    out.add(new AckResult(a.messageId(), why(tx, recipient, a.messageId())));
                }
            }
            if (acked > 0) {
                tx.update("UPDATE inboxes SET pending = pending - ? WHERE agent_id = ?", acked, recipient);
            }
            tx.batch(OUTBOX_INSERT, events);
            return out;
        });
    }

    @Override
    public AckResult nack(String recipient, String messageId, String receipt, Duration delay, Instant now, String actor) {
        return audited(tx -> {
            long nowMs = now.toEpochMilli();
            long visibleAt = nowMs + delay.toMillis();
            int n = receipt == null
                    ? tx.update("UPDATE deliveries SET visible_at = ?, receipt = NULL WHERE recipient = ? "
                    + "AND message_id = ? AND state = 0 AND attempts > 0", visibleAt, recipient, messageId)
                    : tx.update("UPDATE deliveries SET visible_at = ?, receipt = NULL WHERE recipient = ? "
                    + "AND message_id = ? AND state = 0 AND attempts > 0 AND receipt = ?", visibleAt, recipient,
                    messageId, receipt);
            if (n == 0) {
                return new AckResult(messageId, why(tx, recipient, messageId));
            }
            event(tx, NACKED, actor, messageId, nowMs, Map.of("messageId", messageId, "recipient", recipient,
                    "delayMs", delay.toMillis()));
            return new AckResult(messageId, AckOutcome.ACKED);
        });
    }

    /** Why an ack or nack changed nothing. */
    private static AckOutcome why(Tx tx, String recipient, String messageId) {
        Map<String, Object> row = tx.one("SELECT state, attempts FROM deliveries WHERE recipient = ? AND message_id = ?",
                recipient, messageId);
        if (row == null) {
            return AckOutcome.NOT_FOUND;
        }
        int state = (int) lng(row, "state");
        if (state == ACKED) {
            return AckOutcome.ALREADY_ACKED;
        }
        if (state == DEAD) {
            return AckOutcome.DEAD;
        }
        return lng(row, "attempts") == 0 ? AckOutcome.NOT_DELIVERED : AckOutcome.STALE_RECEIPT;
    }

    // ---- reading -------------------------------------------------------------------------------------

    @Override
    public List<Message> thread(String threadId, String participant, int limit) {
        return read(tx -> {
            List<Message> out = new ArrayList<>();
            for (Map<String, Object> row : tx.query("SELECT " + MESSAGE_COLUMNS + " FROM messages m "
                    + "WHERE m.thread_id = ? ORDER BY m.pos LIMIT ?", threadId, limit)) {
                Message m = message(row);
                if (participant == null || m.involves(participant)) {
                    out.add(m);
                }
            }
            return out;
        });
    }

    @Override
    public List<Backlog> backlog(Instant now) {
        return read(tx -> {
            Map<String, long[]> live = new HashMap<>();
            for (Map<String, Object> row : tx.query("SELECT recipient, "
                    + "SUM(CASE WHEN attempts > 0 AND visible_at > ? THEN 1 ELSE 0 END) AS inflight, "
                    + "MIN(created_at) AS oldest FROM deliveries WHERE state = 0 GROUP BY recipient",
                    now.toEpochMilli())) {
                live.put((String) row.get("recipient"), new long[]{lng(row, "inflight"), lng(row, "oldest")});
            }
            List<Backlog> out = new ArrayList<>();
            for (Map<String, Object> row : tx.query("SELECT agent_id, last_seq, pending, dead FROM inboxes "
                    + "ORDER BY pending DESC, agent_id")) {
                String agent = (String) row.get("agent_id");
                long[] l = live.get(agent);
                out.add(new Backlog(agent, lng(row, "pending"), l == null ? 0 : l[0], lng(row, "dead"),
                        lng(row, "last_seq"), l == null ? null : Instant.ofEpochMilli(l[1])));
            }
            return out;
        });
    }

    @Override
    public Page<Message> search(MessageQuery q) {
        return read(tx -> {
            StringBuilder sql = new StringBuilder("SELECT m.pos, " + MESSAGE_COLUMNS + " FROM messages m WHERE 1 = 1");
            List<Object> params = new ArrayList<>();
            if (q.text() != null) {
                String like = "%" + q.text().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
                sql.append(" AND (m.subject LIKE ? ESCAPE '\\' OR m.body LIKE ? ESCAPE '\\')");
                params.add(like);
                params.add(like);
            }
            if (q.sender() != null) {
                sql.append(" AND m.sender = ?");
                params.add(q.sender());
            }
            if (q.recipient() != null) {
                sql.append(" AND EXISTS (SELECT 1 FROM deliveries d WHERE d.message_id = m.id AND d.recipient = ?)");
                params.add(q.recipient());
            }
            if (q.threadId() != null) {
                sql.append(" AND m.thread_id = ?");
                params.add(q.threadId());
            }
            if (q.cursor() != null) {
                sql.append(" AND m.pos < ?");
                params.add(cursorNumber("cursor", q.cursor()));
            }
            sql.append(" ORDER BY m.pos DESC LIMIT ?");
            params.add(q.limit() + 1);
            List<Map<String, Object>> rows = tx.query(sql.toString(), params.toArray());
            List<Message> items = new ArrayList<>();
            String next = null;
            for (int i = 0; i < rows.size(); i++) {
                if (i == q.limit()) {
                    next = String.valueOf(lng(rows.get(i - 1), "pos"));
                    break;
                }
                items.add(message(rows.get(i)));
            }
            return new Page<>(items, next);
        });
    }

    @Override
    public Page<DeadLetter> deadLetters(String agentId, String cursor, int limit) {
        return read(tx -> {
            StringBuilder sql = new StringBuilder("SELECT d.id AS d_id, d.recipient, d.seq, d.attempts, d.dead_at, "
                    + "d.reason, " + MESSAGE_COLUMNS + " FROM deliveries d JOIN messages m ON m.id = d.message_id "
                    + "WHERE d.state = 2");
            List<Object> params = new ArrayList<>();
            if (agentId != null) {
                sql.append(" AND d.recipient = ?");
                params.add(agentId);
            }
            if (cursor != null) {
                int cut = cursor.indexOf('_');
                if (cut < 0) {
                    throw BusException.invalid("cursor", "is not a cursor this listing returned");
                }
                long at = cursorNumber("cursor", cursor.substring(0, cut));
                sql.append(" AND (d.dead_at < ? OR (d.dead_at = ? AND d.id < ?))");
                params.add(at);
                params.add(at);
                params.add(cursorNumber("cursor", cursor.substring(cut + 1)));
            }
            sql.append(" ORDER BY d.dead_at DESC, d.id DESC LIMIT ?");
            params.add(limit + 1);
            List<Map<String, Object>> rows = tx.query(sql.toString(), params.toArray());
            List<DeadLetter> items = new ArrayList<>();
            String next = null;
            for (int i = 0; i < rows.size(); i++) {
                if (i == limit) {
                    Map<String, Object> last = rows.get(i - 1);
                    next = lng(last, "dead_at") + "_" + last.get("d_id");
                    break;
                }
                Map<String, Object> r = rows.get(i);
                items.add(new DeadLetter(DEAD_PREFIX + lng(r, "d_id"), (String) r.get("recipient"), lng(r, "seq"),
                        (int) lng(r, "attempts"), Instant.ofEpochMilli(lng(r, "dead_at")), (String) r.get("reason"),
                        message(r)));
            }
            return new Page<>(items, next);
        });
    }

    @Override
    public String requeue(String deadLetterId, Instant now, String actor) {
        Long deliveryId = deadLetterNumber(deadLetterId);
        if (deliveryId == null) {
            return null;
        }
        return audited(tx -> {
            Map<String, Object> row = tx.one("SELECT recipient, message_id FROM deliveries WHERE id = ? AND state = 2",
                    deliveryId);
            if (row == null) {
                return null;
            }
            long nowMs = now.toEpochMilli();
            String recipient = (String) row.get("recipient");
            tx.update("UPDATE deliveries SET state = 0, attempts = 0, visible_at = ?, expires_at = NULL, receipt = NULL, "
                    + "dead_at = NULL, reason = NULL WHERE id = ?", nowMs, deliveryId);
            tx.update("UPDATE inboxes SET pending = pending + 1, dead = dead - 1 WHERE agent_id = ?", recipient);
            event(tx, REQUEUED, actor, (String) row.get("message_id"), nowMs, Map.of("messageId", row.get("message_id"),
                    "recipient", recipient, "deliveryId", deadLetterId));
            return recipient;
        });
    }

    @Override
    public boolean purge(String deadLetterId, Instant now, String actor) {
        Long deliveryId = deadLetterNumber(deadLetterId);
        if (deliveryId == null) {
            return false;
        }
        return audited(tx -> {
            Map<String, Object> row = tx.one("SELECT recipient, message_id FROM deliveries WHERE id = ? AND state = 2",
                    deliveryId);
            if (row == null) {
                return false;
            }
            String recipient = (String) row.get("recipient");
            tx.update("DELETE FROM deliveries WHERE id = ?", deliveryId);
            tx.update("UPDATE inboxes SET dead = dead - 1 WHERE agent_id = ?", recipient);
            event(tx, PURGED, actor, (String) row.get("message_id"), now.toEpochMilli(),
                    Map.of("messageId", row.get("message_id"), "recipient", recipient, "deliveryId", deadLetterId));
            return true;
        });
    }

    @Override
    public List<OutboxEvent> outbox(long after, int limit) {
        return read(tx -> {
            List<OutboxEvent> out = new ArrayList<>();
            for (Map<String, Object> r : tx.query("SELECT position, id, type, actor, asset, occurred_at, payload, "
                    + "published_at FROM outbox WHERE position > ? ORDER BY position LIMIT ?", after, limit)) {
                Object published = r.get("published_at");
                out.add(new OutboxEvent(lng(r, "position"), (String) r.get("id"), (String) r.get("type"),
                        (String) r.get("actor"), (String) r.get("asset"), Instant.ofEpochMilli(lng(r, "occurred_at")),
                        (String) r.get("payload"),
                        published == null ? null : Instant.ofEpochMilli(((Number) published).longValue())));
            }
            return out;
        });
    }

    @Override
    public Sweep sweep(int maxAttempts, Instant since, Instant now) {
        long nowMs = now.toEpochMilli();
        // cheap reads first; the write lane is used only when something is due
        List<Map<String, Object>> due = read(tx -> {
            List<Map<String, Object>> rows = new ArrayList<>(tx.query("SELECT id, recipient, message_id, attempts, "
                    + "'max-attempts' AS reason FROM deliveries WHERE state = 0 AND attempts > 0 AND attempts >= ? "
                    + "AND visible_at <= ? LIMIT 500", maxAttempts, nowMs));
            rows.addAll(tx.query("SELECT id, recipient, message_id, attempts, 'expired' AS reason FROM deliveries "
                    + "WHERE state = 0 AND expires_at IS NOT NULL AND expires_at <= ? LIMIT 500", nowMs));
            return rows;
        });
        int[] counts = {0, 0};
        if (!due.isEmpty()) {
            audited(tx -> {
                List<Object[]> events = new ArrayList<>();
                Map<String, Integer> perInbox = new HashMap<>();
                for (Map<String, Object> r : due) {
                    String reason = (String) r.get("reason");
                    int n = tx.update("UPDATE deliveries SET state = 2, dead_at = ?, reason = ?, receipt = NULL "
                            + "WHERE id = ? AND state = 0", nowMs, reason, r.get("id"));
                    if (n == 1) {
                        String recipient = (String) r.get("recipient");
                        perInbox.merge(recipient, 1, Integer::sum);
                        counts["expired".equals(reason) ? 1 : 0]++;
                        events.add(eventRow(DEAD_LETTERED, "service:context-bus", "message:" + r.get("message_id"), nowMs,
                                Map.of("messageId", r.get("message_id"), "recipient", recipient, "deliveryId",
                                        DEAD_PREFIX + lng(r, "id"), "attempts", lng(r, "attempts"), "reason", reason)));
                    }
                }
                perInbox.forEach((agent, n) -> tx.update(
                        "UPDATE inboxes SET pending = pending - ?, dead = dead + ? WHERE agent_id = ?", n, n, agent));
                tx.batch(OUTBOX_INSERT, events);
                return null;
            });
        }
        List<String> wake = read(tx -> {
            List<String> out = new ArrayList<>();
            for (Map<String, Object> r : tx.query("SELECT DISTINCT recipient FROM deliveries WHERE state = 0 "
                    + "AND attempts > 0 AND visible_at > ? AND visible_at <= ?", since.toEpochMilli(), nowMs)) {
                out.add((String) r.get("recipient"));
            }
            return out;
        });
        return new Sweep(counts[0], counts[1], wake);
    }

    // ---- subscriptions -------------------------------------------------------------------------------------

    @Override
    public Subscription subscription(String agentId) {
        return read(tx -> {
            Map<String, Object> r = tx.one("SELECT * FROM subscriptions WHERE agent_id = ?", agentId);
            return r == null ? null : subscription(r);
        });
    }

    @Override
    public List<Subscription> subscriptions() {
        return read(tx -> tx.query("SELECT * FROM subscriptions ORDER BY agent_id").stream()
                .map(SqlBusStore::subscription).toList());
    }

    @Override
    public void putSubscription(Subscription s, String actor) {
        audited(tx -> {
            boolean existed = tx.one("SELECT agent_id FROM subscriptions WHERE agent_id = ?", s.agentId()) != null;
            tx.update("INSERT INTO subscriptions (agent_id, url, secret, enabled, created_at, updated_at) "
                            + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (agent_id) DO UPDATE SET url = excluded.url, "
                            + "secret = excluded.secret, enabled = excluded.enabled, updated_at = excluded.updated_at",
                    s.agentId(), s.url(), s.secret(), s.enabled() ? 1 : 0, s.createdAt().toEpochMilli(),
                    s.updatedAt().toEpochMilli());
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("agentId", s.agentId());
            payload.put("enabled", s.enabled());
            payload.put("urlOrigin", origin(s.url()));
            tx.update(OUTBOX_INSERT, eventRow(existed ? SUBSCRIPTION_UPDATED : SUBSCRIPTION_CREATED, actor,
                    "subscription:" + s.agentId(), s.updatedAt().toEpochMilli(), payload));
            return null;
        });
    }

    @Override
    public boolean deleteSubscription(String agentId, String actor) {
        return audited(tx -> {
            if (tx.update("DELETE FROM subscriptions WHERE agent_id = ?", agentId) != 1) {
                return false;
            }
            tx.update(OUTBOX_INSERT, eventRow(SUBSCRIPTION_DELETED, actor, "subscription:" + agentId,
                    System.currentTimeMillis(), Map.of("agentId", agentId)));
            return true;
        });
    }

    /** Scheme, host and port of a webhook URL (its path or query may hold a secret). */
    private static String origin(String url) {
        try {
            java.net.URI u = java.net.URI.create(url);
            if (u.getScheme() == null || u.getHost() == null) {
                return "?";
            }
            return u.getScheme() + "://" + u.getHost() + (u.getPort() >= 0 ? ":" + u.getPort() : "");
        } catch (IllegalArgumentException e) {
            return "?";
        }
    }

    @Override
    public void ping() {
        read(tx -> tx.query("SELECT 1 AS one"));
    }

    // ---- rows ----------------------------------------------------------------------------------------------

    private static Subscription subscription(Map<String, Object> r) {
        return new Subscription((String) r.get("agent_id"), (String) r.get("url"), (String) r.get("secret"),
                lng(r, "enabled") == 1, Instant.ofEpochMilli(lng(r, "created_at")),
                Instant.ofEpochMilli(lng(r, "updated_at")));
    }

    private static Message message(Map<String, Object> r) {
        Object expires = r.get("m_expires_at");
        return new Message((String) r.get("id"), (String) r.get("sender"),
                Arrays.asList(((String) r.get("recipients")).split(" ")), (String) r.get("thread_id"),
                (String) r.get("reply_to"), (String) r.get("subject"), Message.BodyKind.parse((String) r.get("body_kind")),
                (String) r.get("body"), (int) lng(r, "m_priority"), (String) r.get("label"),
                (String) r.get("idempotency_key"), Instant.ofEpochMilli(lng(r, "m_created_at")),
                expires == null ? null : Instant.ofEpochMilli(((Number) expires).longValue()));
    }

    private void event(Tx tx, String type, String actor, String messageId, long at, Map<String, Object> payload) {
        tx.update(OUTBOX_INSERT, eventRow(type, actor, "message:" + messageId, at, payload));
    }

    /** An outbox row; {@code asset} is {@code message:<id>} or {@code subscription:<agent>}. */
    private Object[] eventRow(String type, String actor, String asset, long at, Map<String, ?> payload) {
        try {
            return new Object[]{Ids.event(), type, actor, asset, at, json.writeValueAsString(payload)};
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code dlv_<n>} to n, or null when it is not such an id. */
    private static Long deadLetterNumber(String id) {
        if (id == null || !id.startsWith(DEAD_PREFIX)) {
            return null;
        }
        try {
            return Long.parseLong(id.substring(DEAD_PREFIX.length()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static long lng(Map<String, Object> row, String column) {
        return ((Number) row.get(column)).longValue();
    }

    private static Object longOrNull(Map<String, Object> row, String column) {
        Object v = row.get(column);
        return v == null ? null : ((Number) v).longValue();
    }

    private static long cursorNumber(String field, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw BusException.invalid(field, "is not a cursor this listing returned");
        }
    }
}
