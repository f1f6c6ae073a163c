package io.memroos.a2a.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.memroos.a2a.domain.A2aException;
import io.memroos.a2a.domain.AgentRef;
import io.memroos.a2a.domain.Applied;
import io.memroos.a2a.domain.Caller;
import io.memroos.a2a.domain.Change;
import io.memroos.a2a.domain.Directory;
import io.memroos.a2a.domain.Page;
import io.memroos.a2a.domain.PushConfig;
import io.memroos.a2a.domain.TaskEvent;
import io.memroos.a2a.domain.TaskQuery;
import io.memroos.a2a.domain.TaskRecord;
import io.memroos.a2a.domain.TaskState;
import io.memroos.a2a.domain.TaskStore;
import io.memroos.a2a.protocol.Wire;
import io.memroos.contract.Ids;
import io.memroos.contract.outbox.OutboxEvent;
import org.jboss.logging.Logger;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

/**
 * The broker: takes A2A requests (in the 1.0 shape) from callers, keeps every task and event durable before it
 * answers, delivers messages to the target agent (A2A or REST), and streams stored events to followers.
 */
public final class TaskService {

    private static final Logger LOG = Logger.getLogger(TaskService.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final TaskStore store;
    private final Directory directory;
    private final Upstream upstream;
    private final RestAgents rest;
    private final UrlGuard pushGuard;
    private final ExecutorService background;
    private final Clock clock;
    private final Duration deadline;
    private final Duration retryEvery;
    private final EventHub hub = new EventHub();

    public TaskService(TaskStore store, Directory directory, Upstream upstream, RestAgents rest, UrlGuard pushGuard,
                       ExecutorService background, Clock clock, Duration deadline, Duration retryEvery) {
        this.store = store;
        this.directory = directory;
        this.upstream = upstream;
        this.rest = rest;
        this.pushGuard = pushGuard;
        this.background = background;
        this.clock = clock;
        this.deadline = deadline;
        this.retryEvery = retryEvery;
    }

    // ---- send --------------------------------------------------------------------------------------

    /** SendMessage: {task} or {message} (1.0 shape). */
    public ObjectNode send(Caller caller, String endpointAgent, ObjectNode params) {
        return send(caller, endpointAgent, params, Via.UNKNOWN);
    }

    /** SendMessage, {@code via} a binding and protocol version (named in the audit event of a new task). */
    public ObjectNode send(Caller caller, String endpointAgent, ObjectNode params, Via via) {
        Latest accepted = new Latest();
        boolean immediately = params.path("configuration").path("returnImmediately").asBoolean(false);
        TaskRecord t = accept(caller, endpointAgent, params, "send", !immediately, accepted, via);
        if (immediately) {
            background.execute(() -> deliver(t.id(), false));
            return wrapTask(t, null, params);
        }
        Latest latest = new Latest();
        latest.request = accepted.request;
        JsonNode result = accepted.draft != null ? deliverFirst(accepted.draft, latest) : deliver(t, true, latest);
        return answer(t, result, latest, params);
    }

    /** What a blocking send answers: the agent's message (an answer without a task) or the task as stored. */
    private ObjectNode answer(TaskRecord t, JsonNode result, Latest latest, ObjectNode params) {
        TaskRecord now = latest.task != null ? latest.task : store.find(t.id()).orElse(t);
        if (result != null && result.has("message") && !result.has("task")) {
            ObjectNode out = Wire.obj();
            out.set("message", rewriteMessage(result.get("message"), now));
            return out;
        }
        return wrapTask(now, latest.task != null ? latest.taskNode : null, params);
    }

    /**
     * The blocking send of a new task without waiting on a thread, for an event loop: the agent is called from the
     * loop, and the task is stored with the answer in one transaction (as {@link #deliverFirst} does) through
     * {@link TaskStore#createAsync}: on the loop itself when SQLite's write lane is free, else by the lane's holder; a
     * worker is taken only when the agent's call failed. Null when this send does not qualify or deciding would wait
     * (agent or card not cached, push config, a later turn, a REST agent, the kernel's endpoint): the caller then
     * takes the blocking {@link #send}.
     */
    public io.vertx.core.Future<ObjectNode> trySendAsync(Caller caller, String endpointAgent, ObjectNode params, Via via,
                                                         io.vertx.core.Vertx vertx) {
        JsonNode m = params.get("message");
        JsonNode c = params.path("configuration");
        if (endpointAgent == null || m == null || !m.isObject() || c.path("returnImmediately").asBoolean(false)
                || (c.get("taskPushNotificationConfig") != null && !c.get("taskPushNotificationConfig").isNull())
                || (Wire.text(m, "taskId") != null && !Wire.text(m, "taskId").isBlank())) {
            return null;
        }
        Optional<AgentRef> known = directory.peek(endpointAgent);
        if (known == null || known.isEmpty() || !known.get().active() || known.get().rest()) {
            return null;
        }
        Upstream.Remote remote = upstream.peek(known.get());
        if (remote == null) {
            return null;
        }
        Latest latest = new Latest();
        TaskRecord t = accept(caller, endpointAgent, params, "send", true, latest, via);
        Draft d = latest.draft;
        if (d == null) {
            throw new IllegalStateException("a blocking send to an A2A agent was stored before delivery");
        }
        ObjectNode request = firstRequest(latest);
        io.vertx.core.Context loop = vertx.getOrCreateContext();
        return upstream.callAsync(remote, "SendMessage", request).transform(ar -> {
            First first = ar.succeeded() ? first(d, ar.result()) : new First(null, null, asRuntime(ar.cause()));
            if (first.failure() != null) {
                return vertx.executeBlocking(() -> answer(t, failedFirst(d, first.failure()), latest, params), false);
            }
            // the commit runs on this loop when the write lane is free: no worker, no thread hand-off
            Executor blocking = r -> vertx.executeBlocking(() -> {
                r.run();
                return null;
            }, false);
            return io.vertx.core.Future.fromCompletionStage(store.createAsync(first.change().next(), first.events(d),
                    first.audit(d), blocking), loop).map(a -> {
                stored(d, latest, first, a);
                return answer(t, ar.result(), latest, params);
            });
        });
    }

    private static RuntimeException asRuntime(Throwable e) {
        return e instanceof RuntimeException r ? r : new Unreachable("agent call failed: " + e, e);
    }

    /**
     * What one send learnt on its way, so it need not read or parse it again: the request as stored, and the task
     * row (with its parsed Task JSON) after the agent's answer was stored.
     */
    private static final class Latest {
        ObjectNode request;
        TaskRecord task;
        ObjectNode taskNode;
        /** A new task whose first (blocking) delivery is tried before it is stored: see {@link #deliverFirst}. */
        Draft draft;
    }

    /** A new task as accepted, not stored yet: its row, its first event and its audit event. */
    private record Draft(TaskRecord record, AgentRef agent, String firstEvent, OutboxEvent created) {
    }

    private ObjectNode wrapTask(TaskRecord t, ObjectNode parsed, ObjectNode params) {
        JsonNode hl = params.path("configuration").get("historyLength");
        ObjectNode out = Wire.obj();
        out.set("task", snapshot(parsed != null ? parsed : Wire.parseObject(t.taskJson()),
                hl == null || hl.isNull() ? null : hl.asInt(), true));
        return out;
    }

    /** SendStreamingMessage: the task (as of now), then every event until a terminal or interrupted state. */
    public void sendStreaming(Caller caller, String endpointAgent, ObjectNode params, Sink sink) {
        sendStreaming(caller, endpointAgent, params, sink, Via.UNKNOWN);
    }

    public void sendStreaming(Caller caller, String endpointAgent, ObjectNode params, Sink sink, Via via) {
        TaskRecord t = accept(caller, endpointAgent, params, "stream", false, new Latest(), via);
        // the stream starts with this turn's stored {task} event (the last one stored)
        follow(t.id(), t.lastSeq() - 1, false, sink);
        background.execute(() -> deliver(t.id(), false));
    }

    /**
     * Stores the message (a new task, or the next turn of one) with its delivery pending. {@code deferFirst}: a
     * blocking send, whose new task for an A2A agent is not stored here but handed back in {@code out.draft}, to be
     * stored with the agent's answer ({@link #deliverFirst}).
     */
    private TaskRecord accept(Caller caller, String endpointAgent, ObjectNode params, String mode, boolean deferFirst,
                              Latest out, Via via) {
        JsonNode m = params.get("message");
        if (m == null || !m.isObject()) {
            throw A2aException.invalidParams("params.message is required");
        }
        ObjectNode msg = (ObjectNode) m.deepCopy();
        if (Wire.text(msg, "messageId") == null || Wire.text(msg, "messageId").isBlank()) {
            throw A2aException.invalidParams("message.messageId is required");
        }
        if (!msg.path("parts").isArray() || msg.path("parts").isEmpty()) {
            throw A2aException.invalidParams("message.parts must be a non-empty array");
        }
        if (!msg.has("role")) {
            msg.put("role", "ROLE_USER");
        }
        Instant now = clock.instant();
        String existing = Wire.text(msg, "taskId");
        JsonNode push = params.path("configuration").get("taskPushNotificationConfig");
        if (existing != null && !existing.isBlank()) {
            TaskRecord t = visible(caller, existing);
            if (endpointAgent != null && !endpointAgent.equals(t.targetAgent())) {
                throw A2aException.taskNotFound(existing);
            }
            if (t.state().terminal()) {
                throw A2aException.of(A2aException.Kind.UNSUPPORTED_OPERATION,
                        "task " + existing + " is " + t.state().wire10() + " and takes no more messages");
            }
            msg.put("contextId", t.contextId());
            ObjectNode request = request(params, msg);
            String requestJson = Wire.write(request);
            out.request = request;
            if (push != null && push.isObject()) {
                storePush(caller, t, pushConfig(t.id(), (ObjectNode) push));
            }
            // The next turn is a stored event (the task as it is now, submitted again, the message in its history), so
            // its stream starts with an id of its own and followers and webhooks see the turn once.
            Applied a = update(existing, Audit.actor(caller), cur -> {
                ObjectNode task = Wire.parseObject(cur.taskJson());
                history(task).add(msg);
                ObjectNode status = Wire.obj();
                status.put("state", TaskState.SUBMITTED.wire10());
                status.put("timestamp", now.toString());
                task.set("status", status);
                ObjectNode turn = Wire.obj();
                turn.set("task", task);
                return new Change(cur.with(TaskState.SUBMITTED, Wire.write(task), now)
                        .withPending(requestJson, mode, now.plus(DELIVERY_LEASE), now.plus(deadline), 0), List.of(Wire.write(turn)));
            });
            hub.publish(existing, a.events());
            return a.task();
        }
        AgentRef agent = endpointAgent != null ? directory.find(endpointAgent)
                .filter(AgentRef::active)
                .orElseThrow(() -> A2aException.invalidParams("no active agent " + endpointAgent))
                : route(msg, params);
        String id = Ids.timeOrdered();
        String contextId = Wire.text(msg, "contextId") == null ? Ids.timeOrdered()
                : Wire.text(msg, "contextId");
        msg.put("taskId", id);
        msg.put("contextId", contextId);
        ObjectNode task = Wire.obj();
        task.put("id", id);
        task.put("contextId", contextId);
        ObjectNode status = Wire.obj();
        status.put("state", TaskState.SUBMITTED.wire10());
        status.put("timestamp", now.toString());
        task.set("status", status);
        task.set("artifacts", Wire.F.arrayNode());
        task.set("history", Wire.F.arrayNode().add(msg));
        ObjectNode meta = Wire.obj();
        meta.putObject("memroos").put("caller", caller.id()).put("targetAgent", agent.id());
        task.set("metadata", meta);
        ObjectNode first = Wire.obj();
        first.set("task", task);
        ObjectNode request = request(params, msg);
        out.request = request;
        String endpoint = endpointAgent != null ? "agent" : "kernel";
        TaskRecord record = new TaskRecord(id, contextId, caller.id(), agent.id(), agent.rest() ? "rest" : "a2a",
                null, TaskState.SUBMITTED, Wire.write(task), 0, Wire.write(request), mode, now.plus(DELIVERY_LEASE),
                now.plus(deadline), 0,
                now, now);
        if (push != null && push.isObject()) {
            // The webhook sees the first event too: the config is stored before it (the URL is checked first, so a
            // refused webhook leaves no task behind).
            ObjectNode config = pushConfig(id, (ObjectNode) push);
            Applied created = store.create(record, List.of(), List.of(Audit.created(caller, record, endpoint, via)));
            storePush(caller, created.task(), config);
            return update(id, null, cur -> new Change(cur, List.of(Wire.write(first)))).task();
        }
        OutboxEvent created = Audit.created(caller, record, endpoint, via);
        if (deferFirst && !agent.rest()) {
            // stored together with the agent's answer, in one transaction, before the caller is answered
            out.draft = new Draft(record, agent, Wire.write(first), created);
            return record;
        }
        return store.create(record, List.of(Wire.write(first)), List.of(created)).task();
    }

    private static ObjectNode request(ObjectNode params, ObjectNode msg) {
        ObjectNode request = Wire.obj();
        request.set("message", msg);
        if (params.has("metadata")) {
            request.set("metadata", params.get("metadata"));
        }
        JsonNode c = params.get("configuration");
        if (c != null && c.has("acceptedOutputModes")) {
            request.putObject("configuration").set("acceptedOutputModes", c.get("acceptedOutputModes"));
        }
        return request;
    }

    /** The kernel's own endpoint: metadata.targetAgent, else the agent offering metadata.skill. */
    private AgentRef route(ObjectNode msg, ObjectNode params) {
        String target = meta(msg, params, "targetAgent");
        if (target != null) {
            return directory.find(target).filter(AgentRef::active)
                    .orElseThrow(() -> A2aException.invalidParams("metadata.targetAgent: no active agent " + target));
        }
        String skill = meta(msg, params, "skill");
        if (skill == null) {
            throw A2aException.invalidParams("the kernel routes by metadata.targetAgent or metadata.skill; "
                    + "set one, or send to /a2a/agents/{id}");
        }
        int colon = skill.indexOf(':');
        if (colon > 0) {
            Optional<AgentRef> byId = directory.find(skill.substring(0, colon)).filter(AgentRef::active);
            if (byId.isPresent()) {
                return byId.get();
            }
        }
        List<AgentRef> agents = directory.active();
        for (AgentRef a : agents) {
            for (AgentRef.SkillRef s : a.skills()) {
                if (s.id().equals(skill)) {
                    return a;
                }
            }
        }
        for (AgentRef a : agents) {
            for (AgentRef.SkillRef s : a.skills()) {
                if (s.tags().contains(skill)) {
                    return a;
                }
            }
            if (a.capabilities().contains(skill)) {
                return a;
            }
        }
        throw A2aException.invalidParams("metadata.skill: no active agent offers " + skill);
    }

    private static String meta(JsonNode msg, JsonNode params, String field) {
        String v = Wire.text(msg.path("metadata"), field);
        return v != null ? v : Wire.text(params.path("metadata"), field);
    }

    // ---- delivery ------------------------------------------------------------------------------------

    /**
     * Delivers the pending request of a task. {@code inline}: the caller waits (blocking send) and A2A errors of the
     * agent are thrown to it. Returns the agent's answer in the 1.0 shape, or null.
     */
    JsonNode deliver(String taskId, boolean inline) {
        TaskRecord t = store.find(taskId).orElse(null);
        if (t == null) {
            return null;
        }
        return deliver(t, inline, new Latest());
    }

    /**
     * Delivers the pending request of {@code t} (the task as just read or stored). When the agent's answer was
     * stored here, {@code latest[0]} is the task after it (saves the caller a read).
     */
    private JsonNode deliver(TaskRecord t, boolean inline, Latest latest) {
        String taskId = t.id();
        if (t.pendingJson() == null) {
            return null;
        }
        // the request as accepted (already stored, so it may be changed here), else as stored
        ObjectNode request = latest.request != null ? latest.request : Wire.parseObject(t.pendingJson());
        latest.request = null;
        ObjectNode msg = (ObjectNode) request.get("message");
        if (t.remoteTaskId() != null) {
            msg.put("taskId", t.remoteTaskId());
        } else {
            msg.remove("taskId");
        }
        try {
            AgentRef agent = directory.find(t.targetAgent()).orElse(null);
            if (agent == null || !agent.active()) {
                fail(taskId, TaskState.REJECTED, "agent " + t.targetAgent() + " is not registered");
                return null;
            }
            if (agent.rest()) {
                JsonNode answer = rest.deliver(agent, t, request);
                update(taskId, Audit.BROKER, cur -> new Change(cur.delivered(), List.of()));
                if (answer != null) {
                    apply(taskId, answer, false);
                }
                return answer;
            }
            Upstream.Remote remote = upstream.resolve(agent);
            if ("send".equals(t.pendingMode()) && inline) {
                request.putObject("configuration").put("returnImmediately", false);
                JsonNode result = upstream.call(remote, "SendMessage", request);
                apply(taskId, result, true, latest);
                return result;
            }
            upstream.stream(remote, "SendStreamingMessage", request, ev -> apply(taskId, ev, true));
            return null;
        } catch (RuntimeException e) {
            return failedDelivery(t, e, inline);
        }
    }

    /**
     * The first delivery of a new task on a blocking send, before the task is stored: when the agent answers, the
     * task, its first event, the agent's events and both audit events are stored in one transaction (one commit
     * instead of two; nothing is acknowledged before it). When the agent does not answer, or answers nonsense, the
     * task is stored as accepted and the usual path takes over (retry while the deadline allows, or fail).
     */
    private JsonNode deliverFirst(Draft d, Latest latest) {
        ObjectNode request = firstRequest(latest);
        JsonNode result;
        try {
            result = upstream.call(upstream.resolve(d.agent()), "SendMessage", request);
        } catch (RuntimeException e) {
            return finishFirst(d, latest, null, e);
        }
        return finishFirst(d, latest, result, null);
    }

    /** The first turn's request as the agent gets it (no task id of ours, a blocking call). */
    private static ObjectNode firstRequest(Latest latest) {
        ObjectNode request = latest.request;
        latest.request = null;
        ((ObjectNode) request.get("message")).remove("taskId");
        request.putObject("configuration").put("returnImmediately", false);
        return request;
    }

    /**
     * Stores a new task with the agent's answer ({@code result}), or as accepted and then retried or failed when the
     * call failed ({@code failure}) or the answer makes no sense. Blocking: runs on a worker.
     */
    private JsonNode finishFirst(Draft d, Latest latest, JsonNode result, RuntimeException failure) {
        First first = failure == null ? first(d, result) : new First(null, null, failure);
        if (first.failure() != null) {
            return failedFirst(d, first.failure());
        }
        stored(d, latest, first, store.create(first.change().next(), first.events(d), first.audit(d)));
        return result;
    }

    /** The first delivery's outcome: the change the agent's answer makes (with the parsed task), or why it failed. */
    private record First(Change change, ObjectNode taskNode, RuntimeException failure) {
        List<String> events(Draft d) {
            List<String> events = new ArrayList<>(1 + change.events().size());
            events.add(d.firstEvent());
            events.addAll(change.events());
            return events;
        }

        List<OutboxEvent> audit(Draft d) {
            List<OutboxEvent> audit = new ArrayList<>(1 + change.audit().size());
            audit.add(d.created());
            audit.addAll(change.audit());
            return audit;
        }
    }

    /** What the agent's answer to the first delivery changes (no I/O: safe on an event loop). */
    private First first(Draft d, JsonNode result) {
        try {
            TaskRecord cur = d.record().withLastSeq(1);
            ObjectNode[] stored = new ObjectNode[1];
            Change change = audited(null, cur, answered(cur, result, true, clock.instant(), stored));
            return new First(change, stored[0], null);
        } catch (RuntimeException e) {
            return new First(null, null, e);
        }
    }

    /** The first delivery failed: the task is stored as accepted, then retried or failed. Blocking. */
    private JsonNode failedFirst(Draft d, RuntimeException failure) {
        store.create(d.record(), List.of(d.firstEvent()), List.of(d.created()));
        return failedDelivery(d.record(), failure, true);
    }

    /**
     * The new task is stored: its events go to followers (there are none yet on the event-loop path, where this runs
     * on the loop: the task's id is unknown to anyone until this send answers) and the send's answer is built from it.
     */
    private void stored(Draft d, Latest latest, First first, Applied a) {
        hub.publish(d.record().id(), a.events());
        latest.task = a.task();
        latest.taskNode = first.taskNode();
    }

    /** A delivery that did not get the agent's answer stored: retry (agent unreachable) or fail the task. */
    private JsonNode failedDelivery(TaskRecord t, RuntimeException failure, boolean inline) {
        String taskId = t.id();
        if (failure instanceof Unreachable e) {
            LOG.debugf("task %s: %s", taskId, e.getMessage());
            TaskRecord now = store.find(taskId).orElse(t);
            if (now.pendingJson() == null && now.remoteTaskId() != null && !now.state().terminal()) {
                background.execute(() -> watch(taskId));
            } else {
                retryLater(taskId);
            }
            return null;
        }
        if (failure instanceof A2aException e) {
            fail(taskId, TaskState.FAILED, e.getMessage());
        } else {
            LOG.warnf(failure, "task %s: delivery failed", taskId);
            fail(taskId, TaskState.FAILED, "delivery failed: " + failure.getMessage());
        }
        if (inline) {
            throw failure;
        }
        return null;
    }

    private void retryLater(String taskId) {
        Instant now = clock.instant();
        Applied a = update(taskId, Audit.BROKER, cur -> {
            if (cur.pendingJson() == null) {
                return Change.none(cur);
            }
            if (cur.deliverBy() != null && now.isAfter(cur.deliverBy())) {
                return failChange(cur, TaskState.FAILED, "agent " + cur.targetAgent()
                        + " could not be reached before the delivery deadline", now)
                        .withAudit(Audit.deliveryFailed(cur, now));
            }
            long backoff = Math.min(retryEvery.toMillis() << Math.min(cur.attempts(), 6), 30_000);
            return new Change(cur.withPending(cur.pendingJson(), cur.pendingMode(), now.plusMillis(backoff),
                    cur.deliverBy(), cur.attempts() + 1), List.of());
        });
        hub.publish(taskId, a.events());
    }

    /**
     * How long a delivery in progress owns its pending message before the retry job may take it over: set when
     * a message is accepted (the caller's own delivery runs at once) and when the retry job starts one, so a
     * delivery still in flight is never started a second time; after a crash the job picks it up once it lapses.
     */
    static final Duration DELIVERY_LEASE = Duration.ofMinutes(1);

    /** Retries every due delivery (offline agents), failing those past their deadline. */
    public void retryDue() {
        for (TaskRecord t : store.duePending(clock.instant(), 50)) {
            update(t.id(), Audit.BROKER, cur -> new Change(cur.withPending(cur.pendingJson(), cur.pendingMode(),
                    clock.instant().plus(DELIVERY_LEASE), cur.deliverBy(), cur.attempts()), List.of()));
            background.execute(() -> deliver(t.id(), false));
        }
    }

    /** After a restart: follow again every open task the agent already has, and redeliver what is pending. */
    public void recover() {
        Instant now = clock.instant();
        for (TaskRecord t : store.open(1000)) {
            if (t.pendingJson() == null && t.remoteTaskId() != null && "a2a".equals(t.targetKind())) {
                background.execute(() -> watch(t.id()));
            } else if (t.pendingJson() != null && t.nextAttemptAt() != null && t.nextAttemptAt().isAfter(now)) {
                // no delivery survives a restart: a lease taken before it must not delay the retry job
                update(t.id(), Audit.BROKER, cur -> cur.pendingJson() == null ? Change.none(cur)
                        : new Change(cur.withPending(cur.pendingJson(), cur.pendingMode(), now, cur.deliverBy(),
                        cur.attempts()), List.of()));
            }
        }
    }

    /** Follows the agent's own task (SubscribeToTask) until it ends, reconnecting while the deadline allows. */
    void watch(String taskId) {
        Instant until = clock.instant().plus(deadline);
        int attempt = 0;
        while (clock.instant().isBefore(until)) {
            TaskRecord t = store.find(taskId).orElse(null);
            if (t == null || t.state().terminal() || t.state().interrupted() || t.remoteTaskId() == null) {
                return;
            }
            try {
                AgentRef agent = directory.find(t.targetAgent()).orElse(null);
                if (agent == null) {
                    return;
                }
                ObjectNode params = Wire.obj();
                params.put("id", t.remoteTaskId());
                upstream.stream(upstream.resolve(agent), "SubscribeToTask", params, ev -> apply(taskId, ev, false));
                TaskRecord after = store.find(taskId).orElse(null);
                if (after == null || after.state().terminal() || after.state().interrupted()) {
                    return;
                }
            } catch (A2aException e) {
                LOG.debugf("task %s: agent refused resubscription: %s", taskId, e.getMessage());
                return;
            } catch (RuntimeException e) {
                LOG.debugf("task %s: resubscription failed: %s", taskId, e.getMessage());
            }
            attempt++;
            try {
                Thread.sleep(Math.min(retryEvery.toMillis() << Math.min(attempt, 6), 10_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Stores what the agent said (a 1.0 StreamResponse: task, message, statusUpdate or artifactUpdate). */
    void apply(String taskId, JsonNode ev, boolean clearPending) {
        apply(taskId, ev, clearPending, null, null, List.of());
    }

    private void apply(String taskId, JsonNode ev, boolean clearPending, Latest latest) {
        apply(taskId, ev, clearPending, latest, null, List.of());
    }

    /**
     * @param actor who the change is audited as: null for the agent the task went to ({@code agent:<target>})
     * @param audit more audit events to store with the change (before its state change)
     */
    private void apply(String taskId, JsonNode ev, boolean clearPending, Latest latest, String actor,
                       List<OutboxEvent> audit) {
        Instant now = clock.instant();
        ObjectNode[] stored = new ObjectNode[1];
        Applied a = update(taskId, actor, cur -> answered(cur, ev, clearPending, now, stored).withAudit(audit));
        hub.publish(taskId, a.events());
        if (latest != null) {
            latest.task = a.task();
            latest.taskNode = stored[0];
        }
    }

    /**
     * What an event of the agent (a 1.0 StreamResponse) does to the task {@code cur}: its new row and the events to
     * store. {@code stored[0]} is set to the task's JSON as it will be stored.
     */
    private static Change answered(TaskRecord cur, JsonNode ev, boolean clearPending, Instant now, ObjectNode[] stored) {
        ObjectNode task = Wire.parseObject(cur.taskJson());
        List<String> events = new ArrayList<>();
        TaskRecord next = cur;
        if (ev.has("task")) {
            JsonNode remote = ev.get("task");
            if (next.remoteTaskId() == null && Wire.text(remote, "id") != null) {
                next = next.withRemoteTaskId(Wire.text(remote, "id"));
            }
            reconcile(task, remote, cur, events);
        } else if (ev.has("message")) {
            ObjectNode m = rewriteMessage(ev.get("message"), cur);
            history(task).add(m);
            ObjectNode status = Wire.obj();
            status.put("state", TaskState.COMPLETED.wire10());
            status.set("message", m);
            status.put("timestamp", now.toString());
            setStatus(task, status, cur, events);
        } else if (ev.has("statusUpdate")) {
            JsonNode su = ev.get("statusUpdate");
            if (next.remoteTaskId() == null && Wire.text(su, "taskId") != null) {
                next = next.withRemoteTaskId(Wire.text(su, "taskId"));
            }
            ObjectNode status = su.path("status").deepCopy();
            if (!status.has("timestamp")) {
                status.put("timestamp", now.toString());
            }
            if (status.has("message")) {
                ObjectNode m = rewriteMessage(status.get("message"), cur);
                status.set("message", m);
                history(task).add(m);
            }
            setStatus(task, status, cur, events);
        } else if (ev.has("artifactUpdate")) {
            JsonNode au = ev.get("artifactUpdate");
            if (next.remoteTaskId() == null && Wire.text(au, "taskId") != null) {
                next = next.withRemoteTaskId(Wire.text(au, "taskId"));
            }
            mergeArtifact(task, au.path("artifact"), au.path("append").asBoolean(false));
            ObjectNode out = Wire.obj();
            ObjectNode e = au.deepCopy();
            e.put("taskId", cur.id());
            e.put("contextId", cur.contextId());
            out.set("artifactUpdate", e);
            events.add(Wire.write(out));
        } else {
            throw new A2aException(A2aException.Kind.INVALID_AGENT_RESPONSE, "agent sent an unknown event");
        }
        TaskState state = TaskState.parse(task.path("status").path("state").asText());
        if (clearPending) {
            next = next.delivered();
        }
        if (state != null && state.terminal()) {
            next = next.delivered();
        }
        stored[0] = task;
        return new Change(next.with(state == null ? cur.state() : state, Wire.write(task), now), events);
    }

    private static void reconcile(ObjectNode task, JsonNode remote, TaskRecord cur, List<String> events) {
        for (JsonNode ra : remote.path("artifacts")) {
            String aid = Wire.text(ra, "artifactId");
            ObjectNode local = null;
            for (JsonNode la : artifacts(task)) {
                if (aid != null && aid.equals(Wire.text(la, "artifactId"))) {
                    local = (ObjectNode) la;
                }
            }
            ObjectNode e = Wire.obj();
            e.put("taskId", cur.id());
            e.put("contextId", cur.contextId());
            if (local == null) {
                artifacts(task).add(ra.deepCopy());
                e.set("artifact", ra.deepCopy());
                e.put("lastChunk", true);
            } else if (ra.path("parts").size() > local.path("parts").size()) {
                ObjectNode extra = ra.deepCopy();
                ArrayNode parts = Wire.F.arrayNode();
                for (int i = local.path("parts").size(); i < ra.path("parts").size(); i++) {
                    parts.add(ra.path("parts").get(i));
                }
                extra.set("parts", parts);
                local.set("parts", ra.path("parts").deepCopy());
                e.set("artifact", extra);
                e.put("append", true);
            } else {
                continue;
            }
            ObjectNode out = Wire.obj();
            out.set("artifactUpdate", e);
            events.add(Wire.write(out));
        }
        JsonNode rs = remote.path("status");
        JsonNode ls = task.path("status");
        boolean sameState = rs.path("state").asText().equals(ls.path("state").asText());
        boolean sameMessage = Wire.text(rs.path("message"), "messageId") == null
                || String.valueOf(Wire.text(rs.path("message"), "messageId"))
                .equals(Wire.text(ls.path("message"), "messageId"));
        if (!rs.isMissingNode() && !(sameState && sameMessage) && !staleStatus(task, rs, ls)) {
            ObjectNode status = rs.deepCopy();
            if (status.has("message")) {
                ObjectNode m = rewriteMessage(status.get("message"), cur);
                status.set("message", m);
                history(task).add(m);
            }
            setStatus(task, status, cur, events);
        }
    }

    /**
     * A snapshot's status the broker has already seen: on a follow-up turn an agent (the JS SDK's executors must)
     * first publishes the task as it was, still input-required with the question it asked. Its status message is
     * then already in the history, or it is an interrupted state older than the turn's own status.
     */
    private static boolean staleStatus(ObjectNode task, JsonNode rs, JsonNode ls) {
        String mid = Wire.text(rs.path("message"), "messageId");
        if (mid != null) {
            for (JsonNode h : history(task)) {
                if (mid.equals(Wire.text(h, "messageId"))) {
                    return true;
                }
            }
        }
        TaskState rstate = TaskState.parse(rs.path("state").asText());
        if (rstate != null && rstate.interrupted()) {
            try {
                return Instant.parse(rs.path("timestamp").asText()).isBefore(Instant.parse(ls.path("timestamp").asText()));
            } catch (DateTimeParseException e) {
                return false;
            }
        }
        return false;
    }

    private static void setStatus(ObjectNode task, ObjectNode status, TaskRecord cur, List<String> events) {
        task.set("status", status);
        ObjectNode e = Wire.obj();
        e.put("taskId", cur.id());
        e.put("contextId", cur.contextId());
        e.set("status", status);
        ObjectNode out = Wire.obj();
        out.set("statusUpdate", e);
        events.add(Wire.write(out));
    }

    private static void mergeArtifact(ObjectNode task, JsonNode artifact, boolean append) {
        String aid = Wire.text(artifact, "artifactId");
        ArrayNode list = artifacts(task);
        for (int i = 0; i < list.size(); i++) {
            if (aid != null && aid.equals(Wire.text(list.get(i), "artifactId"))) {
                if (append) {
                    ArrayNode parts = (ArrayNode) list.get(i).withArray("parts");
                    artifact.path("parts").forEach(parts::add);
                } else {
                    list.set(i, artifact.deepCopy());
                }
                return;
            }
        }
        list.add(artifact.deepCopy());
    }

    private static ArrayNode artifacts(ObjectNode task) {
        return task.has("artifacts") && task.get("artifacts").isArray() ? (ArrayNode) task.get("artifacts")
                : task.putArray("artifacts");
    }

    private static ArrayNode history(ObjectNode task) {
        return task.has("history") && task.get("history").isArray() ? (ArrayNode) task.get("history")
                : task.putArray("history");
    }

    private static ObjectNode rewriteMessage(JsonNode m, TaskRecord t) {
        ObjectNode out = m.deepCopy();
        out.put("taskId", t.id());
        out.put("contextId", t.contextId());
        return out;
    }

    /**
     * Every task update goes through here: when the change moves the task to another state, its
     * {@code a2a.task.state} audit event is added to the same transaction. {@code actor} null means the agent the
     * task was sent to.
     */
    private Applied update(String taskId, String actor, Function<TaskRecord, Change> change) {
        return store.update(taskId, cur -> audited(actor, cur, change.apply(cur)));
    }

    /** {@code c} with the {@code a2a.task.state} audit event when it moves {@code cur} to another state. */
    private static Change audited(String actor, TaskRecord cur, Change c) {
        TaskState to = c.next().state();
        if (to == cur.state()) {
            return c;
        }
        return c.withAudit(Audit.state(actor != null ? actor : "agent:" + cur.targetAgent(), cur, to,
                c.next().updatedAt()));
    }

    private void fail(String taskId, TaskState state, String why) {
        Applied a = update(taskId, Audit.BROKER, cur -> cur.state().terminal() ? new Change(cur.delivered(), List.of())
                : failChange(cur, state, why, clock.instant()));
        hub.publish(taskId, a.events());
    }

    private static Change failChange(TaskRecord cur, TaskState state, String why, Instant now) {
        ObjectNode task = Wire.parseObject(cur.taskJson());
        List<String> events = new ArrayList<>();
        ObjectNode status = Wire.obj();
        status.put("state", state.wire10());
        ObjectNode m = Wire.obj();
        m.put("messageId", UUID.randomUUID().toString());
        m.put("role", "ROLE_AGENT");
        m.put("taskId", cur.id());
        m.put("contextId", cur.contextId());
        m.putArray("parts").addObject().put("text", why);
        status.set("message", m);
        status.put("timestamp", now.toString());
        setStatus(task, status, cur, events);
        return new Change(cur.with(state, Wire.write(task), now).delivered(), events);
    }

    // ---- reads -----------------------------------------------------------------------------------------

    public TaskRecord visible(Caller caller, String id) {
        if (id == null || id.isBlank()) {
            throw A2aException.invalidParams("id is required");
        }
        TaskRecord t = store.find(id).orElseThrow(() -> A2aException.taskNotFound(id));
        if (!caller.canSee(t)) {
            throw A2aException.taskNotFound(id);
        }
        return t;
    }

    public ObjectNode get(Caller caller, String id, Integer historyLength) {
        return snapshot(visible(caller, id), historyLength, true);
    }

    static ObjectNode snapshot(TaskRecord t, Integer historyLength, boolean includeArtifacts) {
        return snapshot(Wire.parseObject(t.taskJson()), historyLength, includeArtifacts);
    }

    /** {@code task} (parsed Task JSON, changed here) trimmed to what the caller asked for. */
    private static ObjectNode snapshot(ObjectNode task, Integer historyLength, boolean includeArtifacts) {
        if (historyLength != null) {
            if (historyLength < 0) {
                throw A2aException.invalidParams("historyLength must not be negative");
            }
            ArrayNode h = history(task);
            if (historyLength == 0) {
                task.remove("history");
            } else if (h.size() > historyLength) {
                ArrayNode trimmed = Wire.F.arrayNode();
                for (int i = h.size() - historyLength; i < h.size(); i++) {
                    trimmed.add(h.get(i));
                }
                task.set("history", trimmed);
            }
        }
        if (!includeArtifacts) {
            task.remove("artifacts");
        }
        return task;
    }

    /** ListTasks (1.0): contextId, status, agentId, statusTimestampAfter, pageSize (max 100), pageToken. */
    public ObjectNode list(Caller caller, JsonNode p) {
        int size = p.path("pageSize").asInt(50);
        if (size == 0) {
            size = 50;
        }
        TaskState state = null;
        String status = Wire.text(p, "status");
        // UNRECOGNIZED: what the JS SDK sends when a client leaves `status` out; both mean "any state".
        if (status != null && !status.isBlank() && !"TASK_STATE_UNSPECIFIED".equals(status)
                && !"UNRECOGNIZED".equals(status)) {
            state = TaskState.parse(status);
            if (state == null) {
                throw A2aException.invalidParams("status: unknown state " + status);
            }
        }
        Instant after = null;
        String ts = Wire.text(p, "statusTimestampAfter");
        if (ts != null && !ts.isBlank()) {
            try {
                after = Instant.parse(ts);
            } catch (DateTimeParseException e) {
                throw A2aException.invalidParams("statusTimestampAfter: not an ISO-8601 timestamp");
            }
        }
        String token = Wire.text(p, "pageToken");
        String ctx = Wire.text(p, "contextId");
        Page<TaskRecord> page = store.list(new TaskQuery(caller.isOperator() ? null : caller.agentId(),
                ctx == null || ctx.isBlank() ? null : ctx, state, Wire.text(p, "agentId"), after,
                token == null || token.isBlank() ? null : token, size));
        JsonNode hl = p.get("historyLength");
        boolean artifacts = p.path("includeArtifacts").asBoolean(false);
        ObjectNode out = Wire.obj();
        ArrayNode tasks = out.putArray("tasks");
        for (TaskRecord t : page.items()) {
            tasks.add(snapshot(t, hl == null || hl.isNull() ? null : hl.asInt(), artifacts));
        }
        out.put("nextPageToken", page.nextCursor() == null ? "" : page.nextCursor());
        out.put("pageSize", size);
        out.put("totalSize", page.total());
        return out;
    }

    public ObjectNode cancel(Caller caller, String id) {
        TaskRecord t = visible(caller, id);
        if (t.state().terminal()) {
            throw A2aException.of(A2aException.Kind.TASK_NOT_CANCELABLE, "task " + id + " is " + t.state().wire10());
        }
        // the request is audited with the first change it makes; the state change it causes is the caller's
        String actor = Audit.actor(caller);
        List<OutboxEvent> requested = List.of(Audit.cancel(caller, t, clock.instant()));
        if ("a2a".equals(t.targetKind()) && t.remoteTaskId() != null && t.pendingJson() == null) {
            try {
                AgentRef agent = directory.find(t.targetAgent()).orElseThrow();
                ObjectNode params = Wire.obj();
                params.put("id", t.remoteTaskId());
                JsonNode remote = upstream.call(upstream.resolve(agent), "CancelTask", params);
                ObjectNode ev = Wire.obj();
                ev.set("task", remote);
                apply(id, ev, false, null, actor, requested);
                requested = List.of();
            } catch (Unreachable e) {
                LOG.debugf("task %s: agent unreachable for cancel, canceling here", id);
            }
        }
        TaskRecord now = store.find(id).orElseThrow();
        if (!now.state().terminal()) {
            ObjectNode ev = Wire.obj();
            ObjectNode su = ev.putObject("statusUpdate");
            su.putObject("status").put("state", TaskState.CANCELED.wire10()).put("timestamp", clock.instant().toString());
            apply(id, ev, true, null, actor, requested);
            now = store.find(id).orElseThrow();
        }
        return snapshot(now, null, true);
    }

    // ---- streams -------------------------------------------------------------------------------------

    /**
     * SubscribeToTask. With {@code afterSeq} (Last-Event-ID): every stored event after it, then live ones.
     * Without: the task as it is now, then live events.
     */
    public void subscribe(Caller caller, String id, Long afterSeq, Sink sink) {
        TaskRecord t = visible(caller, id);
        if (afterSeq == null) {
            if (t.state().terminal()) {
                throw A2aException.of(A2aException.Kind.UNSUPPORTED_OPERATION,
                        "task " + id + " is " + t.state().wire10() + "; nothing more to stream");
            }
            follow(id, t.lastSeq(), true, sink);
        } else {
            follow(id, afterSeq, false, sink);
        }
    }

    private void follow(String taskId, long afterSeq, boolean snapshotFirst, Sink sink) {
        Follower f = new Follower(taskId, afterSeq, sink);
        f.unsubscribe = hub.subscribe(taskId, f::live);
        sink.onClose(f::stop);
        synchronized (f) {
            if (snapshotFirst) {
                TaskRecord cur = store.find(taskId).orElseThrow(() -> A2aException.taskNotFound(taskId));
                ObjectNode ev = Wire.obj();
                ev.set("task", snapshot(cur, null, true));
                f.lastSent = cur.lastSeq();
                f.emit(cur.lastSeq(), ev, cur.state().terminal());
            }
            f.catchUp();
        }
    }

    static boolean isFinal(JsonNode ev) {
        if (ev.has("message")) {
            return true;
        }
        JsonNode status = ev.has("statusUpdate") ? ev.get("statusUpdate").path("status")
                : ev.has("task") ? ev.get("task").path("status") : null;
        if (status == null) {
            return false;
        }
        TaskState s = TaskState.parse(status.path("state").asText());
        return s != null && (s.terminal() || s.interrupted());
    }

    private final class Follower {
        final String taskId;
        final Sink sink;
        long lastSent;
        boolean done;
        Runnable unsubscribe;

        Follower(String taskId, long afterSeq, Sink sink) {
            this.taskId = taskId;
            this.lastSent = afterSeq;
            this.sink = sink;
        }

        synchronized void live(List<TaskEvent> events) {
            for (TaskEvent e : events) {
                if (done) {
                    return;
                }
                if (e.seq() <= lastSent) {
                    continue;
                }
                if (e.seq() == lastSent + 1) {
                    emit(e.seq(), Wire.parseObject(e.eventJson()), false);
                } else {
                    catchUp();
                }
            }
        }

        synchronized void catchUp() {
            while (!done) {
                List<TaskEvent> batch = store.events(taskId, lastSent, 200);
                for (TaskEvent e : batch) {
                    if (done) {
                        return;
                    }
                    emit(e.seq(), Wire.parseObject(e.eventJson()), false);
                }
                if (batch.size() < 200) {
                    return;
                }
            }
        }

        void emit(long seq, ObjectNode ev, boolean forceLast) {
            boolean last = forceLast || isFinal(ev);
            lastSent = Math.max(lastSent, seq);
            try {
                sink.event(seq, ev, last);
            } catch (RuntimeException e) {
                stop();
                return;
            }
            if (last) {
                stop();
                sink.end();
            }
        }

        synchronized void stop() {
            done = true;
            if (unsubscribe != null) {
                unsubscribe.run();
            }
        }
    }

    // ---- push notification configs ----------------------------------------------------------------------

    public ObjectNode createPush(Caller caller, ObjectNode config) {
        TaskRecord t = visible(caller, Wire.text(config, "taskId"));
        return savePush(caller, t, config);
    }

    private ObjectNode savePush(Caller caller, TaskRecord t, ObjectNode config) {
        ObjectNode c = pushConfig(t.id(), config);
        storePush(caller, t, c);
        return c;
    }

    private void storePush(Caller caller, TaskRecord t, ObjectNode c) {
        Instant now = clock.instant();
        String configId = Wire.text(c, "id");
        store.savePushConfig(new PushConfig(t.id(), configId, Wire.write(c), now),
                Audit.pushCreated(caller, t.id(), configId, Wire.text(c, "url"),
                        Wire.text(c.path("authentication"), "scheme"), now));
    }

    /** A checked push config for task {@code taskId} (id and token generated when absent); not stored yet. */
    private ObjectNode pushConfig(String taskId, ObjectNode config) {
        String url = Wire.text(config, "url");
        if (url == null || url.isBlank()) {
            throw A2aException.invalidParams("url is required");
        }
        try {
            pushGuard.check("url", URI.create(url));
        } catch (IllegalArgumentException e) {
            throw A2aException.invalidParams("url: not a valid URL");
        }
        ObjectNode c = config.deepCopy();
        c.put("taskId", taskId);
        if (Wire.text(c, "id") == null || Wire.text(c, "id").isBlank()) {
            c.put("id", UUID.randomUUID().toString());
        }
        if (Wire.text(c, "token") == null || Wire.text(c, "token").isBlank()) {
            byte[] b = new byte[24];
            RANDOM.nextBytes(b);
            c.put("token", Base64.getUrlEncoder().withoutPadding().encodeToString(b));
        }
        c.remove("tenant");
        return c;
    }

    public ObjectNode getPush(Caller caller, String taskId, String id) {
        visible(caller, taskId);
        if (id == null || id.isBlank()) {
            List<PushConfig> all = store.pushConfigs(taskId);
            if (all.isEmpty()) {
                throw A2aException.taskNotFound(taskId + " push notification config");
            }
            return Wire.parseObject(all.get(0).configJson());
        }
        return Wire.parseObject(store.findPushConfig(taskId, id)
                .orElseThrow(() -> A2aException.of(A2aException.Kind.TASK_NOT_FOUND,
                        "push notification config " + id + " not found")).configJson());
    }

    public ObjectNode listPush(Caller caller, String taskId) {
        visible(caller, taskId);
        ObjectNode out = Wire.obj();
        ArrayNode configs = out.putArray("configs");
        for (PushConfig c : store.pushConfigs(taskId)) {
            configs.add(Wire.parseObject(c.configJson()));
        }
        out.put("nextPageToken", "");
        return out;
    }

    public void deletePush(Caller caller, String taskId, String id) {
        visible(caller, taskId);
        if (!store.deletePushConfig(taskId, id, Audit.pushDeleted(caller, taskId, id == null ? "" : id,
                clock.instant()))) {
            throw A2aException.of(A2aException.Kind.TASK_NOT_FOUND, "push notification config " + id + " not found");
        }
    }

    // ---- REST agents ------------------------------------------------------------------------------------

    /**
     * An update from a REST agent about a task sent to it: {status?, artifact?, append?, lastChunk?, message?}.
     * Returns the last stored sequence number.
     */
    public long agentEvent(Caller caller, String taskId, JsonNode body) {
        TaskRecord t = visible(caller, taskId);
        if (!caller.isOperator() && !caller.agentId().equals(t.targetAgent())) {
            throw A2aException.of(A2aException.Kind.FORBIDDEN, "only the agent the task was sent to reports on it");
        }
        if (body == null || !body.isObject()) {
            throw A2aException.invalidParams("body must be a JSON object");
        }
        if (t.state().terminal()) {
            throw A2aException.of(A2aException.Kind.UNSUPPORTED_OPERATION, "task " + taskId + " is "
                    + t.state().wire10());
        }
        boolean any = false;
        if (body.has("artifact")) {
            ObjectNode ev = Wire.obj();
            ObjectNode au = ev.putObject("artifactUpdate");
            au.set("artifact", Wire.artifact10(body.get("artifact")));
            au.put("append", body.path("append").asBoolean(false));
            au.put("lastChunk", body.path("lastChunk").asBoolean(false));
            apply(taskId, ev, true, null, Audit.actor(caller), List.of());
            any = true;
        }
        if (body.has("status")) {
            JsonNode s = body.get("status");
            if (TaskState.parse(Wire.text(s, "state")) == null) {
                throw A2aException.invalidParams("status.state: unknown state");
            }
            ObjectNode ev = Wire.obj();
            ev.putObject("statusUpdate").set("status", Wire.status10(s));
            apply(taskId, ev, true, null, Audit.actor(caller), List.of());
            any = true;
        } else if (body.has("message")) {
            ObjectNode ev = Wire.obj();
            ev.set("message", Wire.message10(body.get("message")));
            apply(taskId, ev, true, null, Audit.actor(caller), List.of());
            any = true;
        }
        if (!any) {
            throw A2aException.invalidParams("body needs status, artifact or message");
        }
        return store.find(taskId).orElseThrow().lastSeq();
    }

    public TaskStore store() {
        return store;
    }
}
