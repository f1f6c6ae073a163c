package io.memroos.bus.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The bus's durable state: messages, one delivery per recipient, the per-agent inbox counters, webhook
 * subscriptions and the outbox. Every change writes its outbox event(s) in the same transaction.
 * One implementation per backend (SQLite, PostgreSQL), one shared test suite.
 */
public interface BusStore {

    /**
     * Whether the send enqueued a new message or returned the first one sent with the same idempotency key, and
     * what it claimed in the same transaction for receivers already waiting (recipient to deliveries).
     */
    record SendResult(Message message, boolean replay, Map<String, List<Delivery>> claimed) {
        public SendResult {
            claimed = Map.copyOf(claimed);
        }

        public SendResult(Message message, boolean replay) {
            this(message, replay, Map.of());
        }
    }

    /** How a claim treats what it finds. */
    record ClaimPolicy(Duration visibility, int maxAttempts) {
    }

    /** One acknowledgement: the receipt is optional; when given it must name the latest delivery. */
    record AckRequest(String messageId, String receipt) {
    }

    enum AckOutcome { ACKED, ALREADY_ACKED, NOT_FOUND, DEAD, NOT_DELIVERED, STALE_RECEIPT }

    record AckResult(String messageId, AckOutcome outcome) {
    }

    /** What a sweep did, and the inboxes with messages that became visible again since the last sweep. */
    record Sweep(int deadLettered, int expired, List<String> wake) {
        public Sweep {
            wake = List.copyOf(wake);
        }
    }

    /** Operator search: every filter optional; {@code text} matches subject or body. */
    record MessageQuery(String text, String sender, String recipient, String threadId, String cursor, int limit) {
    }

    /**
     * Enqueues the message for each recipient, in one transaction, unless a message with the same sender and
     * idempotency key exists (then returns that one, replay=true). Refuses with BACKLOG_FULL when a recipient
     * already holds {@code maxBacklog} unacknowledged messages (nothing is enqueued then).
     */
    default SendResult send(Message message, int maxBacklog, String actor) {
        return send(message, maxBacklog, actor, Map.of(), null);
    }

    /**
     * The same, and in the same transaction claims (as {@link #claim} would) up to {@code claimFor.get(r)}
     * deliveries for each recipient r that has a receiver waiting: the hand-off saves that receiver a claim of
     * its own.
     */
    SendResult send(Message message, int maxBacklog, String actor, Map<String, Integer> claimFor, ClaimPolicy policy);

    /** The message with this sender and idempotency key, or null. */
    Message findByIdempotencyKey(String sender, String key);

    /** The message, or null. */
    Message message(String id);

    /**
     * Claims up to {@code max} visible, unacknowledged deliveries of the recipient, highest priority first, then
     * in the order sent; each claimed one gets a new receipt, one more attempt and is invisible for the policy's
     * visibility timeout. A delivery already attempted {@code maxAttempts} times is dead-lettered instead, an
     * expired one is expired. {@code resumeAfterSeq}: also claim in-flight deliveries with a greater sequence
     * (SSE resume); {@code Long.MAX_VALUE} for none.
     */
    List<Delivery> claim(String recipient, int max, ClaimPolicy policy, long resumeAfterSeq, Instant now, String actor);

    List<AckResult> ack(String recipient, List<AckRequest> acks, Instant now, String actor);

    /** Makes a delivered message visible again after {@code delay}. */
    AckResult nack(String recipient, String messageId, String receipt, Duration delay, Instant now, String actor);

    /** The thread in the order sent; only messages the participant sent or received unless it is null. */
    List<Message> thread(String threadId, String participant, int limit);

    List<Backlog> backlog(Instant now);

    Page<Message> search(MessageQuery query);

    /** Dead letters, newest first; all agents when {@code agentId} is null. */
    Page<DeadLetter> deadLetters(String agentId, String cursor, int limit);

    /** Puts a dead letter back in its inbox with a fresh attempt count; its recipient, or null when no such dead letter. */
    String requeue(String deliveryId, Instant now, String actor);

    /** Deletes a dead letter for good; false when no such dead letter. */
    boolean purge(String deliveryId, Instant now, String actor);

    List<OutboxEvent> outbox(long after, int limit);

    /**
     * Dead-letters deliveries whose last allowed attempt timed out, expires deliveries past their time to live,
     * and names the inboxes whose messages became visible again after {@code since}.
     */
    Sweep sweep(int maxAttempts, Instant since, Instant now);

    Subscription subscription(String agentId);

    List<Subscription> subscriptions();

    /** Creates or replaces a push subscription, with its outbox event ({@code bus.subscription.created|updated}). */
    void putSubscription(Subscription subscription, String actor);

    /** Deletes a push subscription, with its outbox event ({@code bus.subscription.deleted}) when there was one. */
    boolean deleteSubscription(String agentId, String actor);

    /** Background upkeep, called every second or so off the request path (SQLite: a WAL checkpoint). */
    default void housekeeping() {
    }

    /** One round trip, to prove the store answers. */
    void ping();
}
