package io.memroos.bus.domain;

import io.memroos.bus.domain.BusStore.AckOutcome;
import io.memroos.bus.domain.BusStore.AckRequest;
import io.memroos.bus.domain.BusStore.AckResult;
import io.memroos.bus.domain.BusStore.ClaimPolicy;
import io.memroos.bus.domain.BusStore.SendResult;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/** The bus: send, receive (long poll and stream), acknowledge, threads, peers and the operator's views. */
public final class MessageService {

    /** What a caller asks to send; the sender is the caller. Exactly one of {@code to} and {@code capability}. */
    public record SendCommand(List<String> to, String capability, String threadId, String replyTo, String subject,
                              Message.BodyKind bodyKind, String body, Integer priority, Integer ttlSeconds,
                              String idempotencyKey, String label) {
    }

    private static final int MAX_SUBJECT = 512;
    private static final int MAX_THREAD = 1000;

    private final BusStore store;
    private final Directory directory;
    private final InboxSignals signals;
    private final Clock clock;
    private final BusSettings settings;
    private final Executor executor;
    private volatile Instant lastSweep;

    public MessageService(BusStore store, Directory directory, InboxSignals signals, Clock clock, BusSettings settings,
                          Executor executor) {
        this.store = store;
        this.directory = directory;
        this.signals = signals;
        this.clock = clock;
        this.settings = settings;
        this.executor = executor;
        this.lastSweep = clock.instant();
    }

    public BusSettings settings() {
        return settings;
    }

    // ---- send ----------------------------------------------------------------------------------------

    public SendResult send(Caller caller, SendCommand c) {
        String sender = caller.senderName();
        String key = Checks.idempotencyKey(c.idempotencyKey());
        if (key != null) {
            Message first = store.findByIdempotencyKey(sender, key);
            if (first != null) {
                return new SendResult(first, true);
            }
        }
        if (c.body() == null) {
            throw BusException.invalid("body", "is required (a string, or any JSON value)");
        }
        int bytes = c.body().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > settings.maxBodyBytes()) {
            throw BusException.tooLarge("body", "is " + bytes + " bytes; the limit is " + settings.maxBodyBytes());
        }
        if (c.subject() != null && c.subject().length() > MAX_SUBJECT) {
            throw BusException.invalid("subject", "must be at most " + MAX_SUBJECT + " characters");
        }
        int priority = Checks.range("priority", c.priority(), 0, 9, 5);
        int maxTtl = (int) Math.min(Integer.MAX_VALUE, settings.maxTtl().toSeconds());
        int ttl = Checks.range("ttlSeconds", c.ttlSeconds(), 1, maxTtl, (int) settings.defaultTtl().toSeconds());
        String label = Checks.label(c.label());
        String replyTo = Checks.optionalId("replyTo", c.replyTo());
        String threadId = Checks.optionalId("threadId", c.threadId());
        if (replyTo != null) {
            Message parent = store.message(replyTo);
            if (parent == null || !(caller.isOperator() || parent.involves(sender))) {
                throw BusException.notFound("replyTo", "no message " + replyTo + " that you sent or received");
            }
            if (threadId != null && !threadId.equals(parent.threadId())) {
                throw BusException.invalid("threadId", "differs from the thread of the message replied to ("
                        + parent.threadId() + ")");
            }
            threadId = parent.threadId();
        }
        List<String> recipients = recipients(caller, c);
        String id = Ids.message();
        Instant now = clock.instant();
        Message m = new Message(id, sender, recipients, threadId == null ? id : threadId, replyTo, c.subject(),
                c.bodyKind() == null ? Message.BodyKind.TEXT : c.bodyKind(), c.body(), priority, label, key, now,
                now.plusSeconds(ttl));
        Map<String, InboxSignals.Poller> taken = new HashMap<>();
        Map<String, Integer> claimFor = new HashMap<>();
        for (String r : recipients) {
            InboxSignals.Poller p = signals.takePoller(r);
            if (p != null) {
                taken.put(r, p);
                claimFor.put(r, p.max);
            }
        }
        SendResult result;
        try {
            result = store.send(m, settings.maxBacklog(), caller.actor(), claimFor, policy());
        } catch (RuntimeException e) {
            taken.values().forEach(p -> p.result.complete(null)); // they look again
            throw e;
        }
        for (Map.Entry<String, InboxSignals.Poller> e : taken.entrySet()) {
            List<Delivery> handed = result.claimed().getOrDefault(e.getKey(), List.of());
            if (!e.getValue().result.complete(handed.isEmpty() ? null : handed) && !handed.isEmpty()) {
                release(e.getKey(), handed); // the poller timed out meanwhile: make them visible again at once
            }
        }
        if (!result.replay()) {
            for (String r : recipients) {
                signals.wake(r);
            }
        }
        return result;
    }

    private List<String> recipients(Caller caller, SendCommand c) {
        boolean hasTo = c.to() != null && !c.to().isEmpty();
        boolean hasCapability = c.capability() != null;
        if (hasTo == hasCapability) {
            throw BusException.invalid("to", "name the recipients in to, or a capability, not both");
        }
        if (hasCapability) {
            if (c.capability().isBlank() || c.capability().length() > 128) {
                throw BusException.invalid("capability", "must be 1-128 characters");
            }
            Set<String> ids = new LinkedHashSet<>();
            for (Peer p : directory.active(c.capability())) {
                if (!p.id().equals(caller.agentId())) {
                    ids.add(p.id());
                }
            }
            if (ids.isEmpty()) {
                throw BusException.notFound("capability", "no active agent has the capability " + c.capability());
            }
            if (ids.size() > settings.maxRecipients()) {
                throw BusException.invalid("capability", ids.size() + " agents have it; at most "
                        + settings.maxRecipients() + " recipients per message");
            }
            return List.copyOf(ids);
        }
        if (c.to().size() > settings.maxRecipients()) {
            throw BusException.invalid("to", "at most " + settings.maxRecipients() + " recipients per message");
        }
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < c.to().size(); i++) {
            String field = "to[" + i + "]";
            String to = Checks.id(field, c.to().get(i));
            Peer peer = directory.find(to);
            if (peer == null) {
                throw BusException.notFound(field, "agent " + to + " does not exist");
            }
            if (!peer.active()) {
                throw BusException.notFound(field, "agent " + to + " is deregistered");
            }
            ids.add(to);
        }
        return List.copyOf(ids);
    }

    // ---- receive -------------------------------------------------------------------------------------

    /**
     * Long poll: claims up to {@code max} messages; when there are none, waits (without a thread) until a
     * send wakes the inbox or {@code waitSeconds} pass.
     */
    public CompletableFuture<List<Delivery>> receive(Caller caller, String agentId, Integer waitSeconds, Integer max) {
        String inbox = caller.inboxOf(agentId);
        int wait = Checks.range("wait", waitSeconds, 0, (int) settings.maxWait().toSeconds(), 0);
        int n = Checks.range("max", max, 1, settings.maxPageSize(), 10);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(wait);
        return attempt(inbox, n, deadline);
    }

    private CompletableFuture<List<Delivery>> attempt(String inbox, int max, long deadline) {
        InboxSignals.Poller poller = signals.registerPoller(inbox, max);
        List<Delivery> got;
        try {
            got = claim(inbox, max, Long.MAX_VALUE, "agent:" + inbox);
        } catch (RuntimeException e) {
            if (!signals.unregisterPoller(inbox, poller)) {
                poller.result.thenAccept(h -> release(inbox, h));
            }
            return CompletableFuture.failedFuture(e);
        }
        long remaining = deadline - System.nanoTime();
        if (!got.isEmpty() || remaining <= 0) {
            if (signals.unregisterPoller(inbox, poller)) {
                return CompletableFuture.completedFuture(got);
            }
            // a send took this poller meanwhile: what it hands over is ours too
            return poller.result.thenApply(h -> h == null ? got : concat(got, h));
        }
        return poller.result.completeOnTimeout(null, remaining, TimeUnit.NANOSECONDS).thenCompose(handed -> {
            if (handed != null) {
                return CompletableFuture.completedFuture(handed); // handed over by a send: no claim of our own
            }
            signals.unregisterPoller(inbox, poller);
            return CompletableFuture.supplyAsync(() -> attempt(inbox, max, deadline), executor)
                    .thenCompose(f -> f);
        });
    }

    private static List<Delivery> concat(List<Delivery> a, List<Delivery> b) {
        List<Delivery> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** Deliveries claimed for a receiver that is gone: visible again at once. */
    private void release(String inbox, List<Delivery> deliveries) {
        if (deliveries == null) {
            return;
        }
        for (Delivery d : deliveries) {
            store.nack(inbox, d.message().id(), d.receipt(), Duration.ZERO, clock.instant(), "service:context-bus");
        }
        signals.wake(inbox);
    }

    private ClaimPolicy policy() {
        return new ClaimPolicy(settings.visibility(), settings.maxAttempts());
    }

    /** One claim for the caller's stream; {@code resumeAfterSeq} re-sends in-flight messages after that seq. */
    public List<Delivery> claimForStream(String inbox, int max, long resumeAfterSeq) {
        return claim(inbox, max, resumeAfterSeq, "agent:" + inbox);
    }

    /** Whose inbox a stream reads (authorisation only). */
    public String streamInbox(Caller caller, String agentId) {
        return caller.inboxOf(agentId);
    }

    /** Claims on behalf of the webhook pusher, with its own visibility. */
    List<Delivery> claimForPush(String inbox, int max, Duration visibility) {
        return store.claim(inbox, max, new ClaimPolicy(visibility, settings.maxAttempts()), Long.MAX_VALUE,
                clock.instant(), "service:context-bus");
    }

    private List<Delivery> claim(String inbox, int max, long resumeAfterSeq, String actor) {
        return store.claim(inbox, max, new ClaimPolicy(settings.visibility(), settings.maxAttempts()), resumeAfterSeq,
                clock.instant(), actor);
    }

    // ---- ack, nack -------------------------------------------------------------------------------------

    public AckResult ack(Caller caller, String agentId, String messageId, String receipt) {
        return ackAll(caller, agentId, List.of(new AckRequest(Checks.id("id", messageId), receipt))).get(0);
    }

    /** Acknowledges several messages at once; refused ones are reported per item, not thrown (except for one). */
    public List<AckResult> ackAll(Caller caller, String agentId, List<AckRequest> acks) {
        String inbox = caller.inboxOf(agentId);
        if (acks.isEmpty() || acks.size() > settings.maxPageSize()) {
            throw BusException.invalid("acks", "must hold 1 to " + settings.maxPageSize() + " entries");
        }
        for (int i = 0; i < acks.size(); i++) {
            Checks.id("acks[" + i + "].messageId", acks.get(i).messageId());
        }
        List<AckResult> results = store.ack(inbox, acks, clock.instant(), caller.actor());
        if (results.size() == 1) {
            refuse(results.get(0), inbox, "acknowledged");
        }
        return results;
    }

    public void nack(Caller caller, String agentId, String messageId, String receipt, Integer delaySeconds) {
        String inbox = caller.inboxOf(agentId);
        Checks.id("id", messageId);
        int delay = Checks.range("delaySeconds", delaySeconds, 0, (int) settings.maxNackDelay().toSeconds(), 0);
        AckResult r = store.nack(inbox, messageId, receipt, Duration.ofSeconds(delay), clock.instant(), caller.actor());
        if (r.outcome() == AckOutcome.ALREADY_ACKED) {
            throw BusException.conflict("message " + messageId + " is already acknowledged");
        }
        refuse(r, inbox, "released");
        if (delay == 0) {
            signals.wake(inbox);
        }
    }

    private static void refuse(AckResult r, String inbox, String verb) {
        switch (r.outcome()) {
            case ACKED, ALREADY_ACKED -> {
            }
            case NOT_FOUND -> throw BusException.notFound("no message " + r.messageId() + " in the inbox of " + inbox);
            case DEAD -> throw BusException.conflict("message " + r.messageId()
                    + " is dead-lettered and cannot be " + verb + "; an operator may requeue it");
            case NOT_DELIVERED -> throw BusException.conflict("message " + r.messageId()
                    + " has not been delivered yet; receive it first");
            case STALE_RECEIPT -> throw BusException.conflict("receipt: message " + r.messageId()
                    + " was delivered again since; use the latest receipt");
        }
    }

    // ---- threads, peers -----------------------------------------------------------------------------

    public List<Message> thread(Caller caller, String threadId) {
        caller.mustNotBeService();
        Checks.id("threadId", threadId);
        List<Message> messages = store.thread(threadId, caller.isOperator() ? null : caller.agentId(), MAX_THREAD);
        if (messages.isEmpty()) {
            throw BusException.notFound("no thread " + threadId + (caller.isOperator() ? "" : " that you take part in"));
        }
        return messages;
    }

    /** The agents the caller may talk to: every active agent but itself (optionally with a capability). */
    public List<Peer> peers(Caller caller, String capability) {
        caller.mustNotBeService();
        List<Peer> out = new ArrayList<>();
        for (Peer p : directory.active(capability == null || capability.isBlank() ? null : capability)) {
            if (!p.id().equals(caller.agentId())) {
                out.add(p);
            }
        }
        return out;
    }

    // ---- operator ------------------------------------------------------------------------------------

    public List<Backlog> backlog(Caller caller) {
        caller.mustBeOperator("read the backlog");
        return store.backlog(clock.instant());
    }

    public Page<Message> search(Caller caller, String text, String sender, String recipient, String threadId,
                                String cursor, Integer limit) {
        caller.mustBeOperator("search messages");
        int n = Checks.range("limit", limit, 1, settings.maxPageSize(), 50);
        return store.search(new BusStore.MessageQuery(blankToNull(text), blankToNull(sender), blankToNull(recipient),
                blankToNull(threadId), blankToNull(cursor), n));
    }

    public Message message(Caller caller, String id) {
        caller.mustNotBeService();
        Message m = store.message(Checks.id("id", id));
        if (m == null || !(caller.isOperator() || m.involves(caller.agentId()))) {
            throw BusException.notFound("no message " + id + (caller.isOperator() ? "" : " that you sent or received"));
        }
        return m;
    }

    public Page<DeadLetter> deadLetters(Caller caller, String agentId, String cursor, Integer limit) {
        caller.mustBeOperator("read dead letters");
        int n = Checks.range("limit", limit, 1, settings.maxPageSize(), 50);
        return store.deadLetters(blankToNull(agentId), blankToNull(cursor), n);
    }

    public void requeue(Caller caller, String deliveryId) {
        caller.mustBeOperator("requeue dead letters");
        String recipient = store.requeue(Checks.id("id", deliveryId), clock.instant(), caller.actor());
        if (recipient == null) {
            throw BusException.notFound("no dead letter " + deliveryId);
        }
        signals.wake(recipient);
    }

    public void purge(Caller caller, String deliveryId) {
        caller.mustBeOperator("purge dead letters");
        if (!store.purge(Checks.id("id", deliveryId), clock.instant(), caller.actor())) {
            throw BusException.notFound("no dead letter " + deliveryId);
        }
    }

    public List<OutboxEvent> outbox(Caller caller, Long after, Integer limit) {
        caller.mustBeOperator("read the outbox");
        int n = Checks.range("limit", limit, 1, settings.maxPageSize(), 100);
        return store.outbox(after == null ? 0 : after, n);
    }

    /** Dead-letters exhausted and expired deliveries; wakes inboxes whose messages became visible again. */
    public BusStore.Sweep sweep() {
        Instant now = clock.instant();
        BusStore.Sweep s = store.sweep(settings.maxAttempts(), lastSweep, now);
        lastSweep = now;
        for (String agent : s.wake()) {
            signals.wake(agent);
        }
        return s;
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
