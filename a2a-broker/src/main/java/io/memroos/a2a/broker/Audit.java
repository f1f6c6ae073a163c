package io.memroos.a2a.broker;

import io.memroos.a2a.domain.Caller;
import io.memroos.a2a.domain.PushDelivery;
import io.memroos.a2a.domain.TaskRecord;
import io.memroos.a2a.domain.TaskState;
import io.memroos.contract.Ids;
import io.memroos.contract.outbox.JsonText;
import io.memroos.contract.outbox.OutboxEvent;

import java.net.URI;
import java.time.Instant;

/**
 * The broker's audit events for governance (docs/a2a-broker.md, "Governance events"), in the envelope of
 * {@code POST /internal/events}. Never a message body, a webhook token or a credential: ids, states, kinds.
 */
final class Audit {

    static final String SOURCE = "a2a-broker";
    /** The broker itself, for what it decides (a delivery given up, an agent gone). */
    static final String BROKER = "service:a2a-broker";
    static final String TASK = "a2a-task";
    static final String PUSH_CONFIG = "a2a-push-config";

    private Audit() {
    }

    /** The actor in governance's terms: {@code operator}, {@code agent:<id>} or {@code service:<name>}. */
    static String actor(Caller caller) {
        return switch (caller.kind()) {
            case OPERATOR -> "operator";
            case AGENT -> "agent:" + caller.agentId();
            case SERVICE -> "service:internal";
        };
    }

    /** {@code a2a.task.create}: a caller started a task. */
    static OutboxEvent created(Caller caller, TaskRecord t, String endpoint, Via via) {
        StringBuilder d = new StringBuilder(200);
        d.append("{\"targetAgent\":").append(JsonText.quote(t.targetAgent()))
                .append(",\"contextId\":").append(JsonText.quote(t.contextId()))
                .append(",\"endpoint\":").append(JsonText.quote(endpoint))
                .append(",\"targetKind\":").append(JsonText.quote(t.targetKind()));
        if (via.binding() != null) {
            d.append(",\"binding\":").append(JsonText.quote(via.binding()));
        }
        if (via.protocolVersion() != null) {
            d.append(",\"protocolVersion\":").append(JsonText.quote(via.protocolVersion()));
        }
        d.append(",\"state\":").append(JsonText.quote(t.state().wire10())).append('}');
        return event("a2a.task.created", actor(caller), "a2a.task.create", TASK, t.id(), t.createdAt(), d.toString());
    }

    /** {@code a2a.task.state}: the task moved from one state to another. */
    static OutboxEvent state(String actor, TaskRecord cur, TaskState to, Instant at) {
        String d = "{\"from\":" + JsonText.quote(cur.state().wire10()) + ",\"to\":" + JsonText.quote(to.wire10())
                + ",\"targetAgent\":" + JsonText.quote(cur.targetAgent()) + ",\"contextId\":"
                + JsonText.quote(cur.contextId()) + "}";
        return event("a2a.task.state-changed", actor, "a2a.task.state", TASK, cur.id(), at, d);
    }

    /** {@code a2a.task.cancel}: a caller asked to cancel the task. */
    static OutboxEvent cancel(Caller caller, TaskRecord t, Instant at) {
        String d = "{\"state\":" + JsonText.quote(t.state().wire10()) + ",\"targetAgent\":"
                + JsonText.quote(t.targetAgent()) + "}";
        return event("a2a.task.cancel-requested", actor(caller), "a2a.task.cancel", TASK, t.id(), at, d);
    }

    /** {@code a2a.task.delivery-failed}: the agent could not be reached before the delivery deadline. */
    static OutboxEvent deliveryFailed(TaskRecord cur, Instant at) {
        String d = "{\"targetAgent\":" + JsonText.quote(cur.targetAgent()) + ",\"attempts\":" + cur.attempts()
                + ",\"deliverBy\":" + JsonText.quote(String.valueOf(cur.deliverBy())) + "}";
        return event("a2a.task.delivery-failed", BROKER, "a2a.task.deliver", TASK, cur.id(), at, d);
    }

    /** {@code a2a.push-config.create}: a webhook was set on a task (its token and credentials are never sent). */
    static OutboxEvent pushCreated(Caller caller, String taskId, String configId, String url, String authScheme,
                                   Instant at) {
        StringBuilder d = new StringBuilder(160);
        d.append("{\"taskId\":").append(JsonText.quote(taskId))
                .append(",\"configId\":").append(JsonText.quote(configId))
                .append(",\"urlOrigin\":").append(JsonText.quote(origin(url)));
        if (authScheme != null) {
            d.append(",\"authScheme\":").append(JsonText.quote(authScheme));
        }
        d.append('}');
        return event("a2a.push-config.created", actor(caller), "a2a.push-config.create", PUSH_CONFIG,
                taskId + "/" + configId, at, d.toString());
    }

    /** {@code a2a.push-config.delete}: a webhook was removed. */
    static OutboxEvent pushDeleted(Caller caller, String taskId, String configId, Instant at) {
        String d = "{\"taskId\":" + JsonText.quote(taskId) + ",\"configId\":" + JsonText.quote(configId) + "}";
        return event("a2a.push-config.deleted", actor(caller), "a2a.push-config.delete", PUSH_CONFIG,
                taskId + "/" + configId, at, d);
    }

    /** {@code a2a.push.deliver}: a webhook call was given up after its last attempt. */
    static OutboxEvent pushGivenUp(PushDelivery d, int attempts, String error, Instant at) {
        // the reason only: an exception message may quote the URL, whose path or query may hold a secret
        String reason = error == null ? "?" : error.startsWith("HTTP ") ? error
                : error.indexOf(':') > 0 ? error.substring(0, error.indexOf(':')) : error;
        if (reason.length() > 100) {
            reason = reason.substring(0, 100);
        }
        String d1 = "{\"taskId\":" + JsonText.quote(d.taskId()) + ",\"configId\":" + JsonText.quote(d.configId())
                + ",\"seq\":" + d.seq() + ",\"attempts\":" + attempts + ",\"reason\":" + JsonText.quote(reason) + "}";
        return event("a2a.push.delivery-failed", BROKER, "a2a.push.deliver", PUSH_CONFIG,
                d.taskId() + "/" + d.configId(), at, d1);
    }

        /** Scheme, host and port of a URL: its path and query may carry a secret. */
    static String origin(String url) {
        try {
            URI u = URI.create(url);
            if (u.getScheme() == null || u.getHost() == null) {
                return "?";
            }
            return u.getScheme() + "://" + u.getHost() + (u.getPort() >= 0 ? ":" + u.getPort() : "");
        } catch (IllegalArgumentException e) {
            return "?";
        }
    }

    private static OutboxEvent event(String type, String actor, String action, String assetType, String assetId,
                                     Instant at, String data) {
        return OutboxEvent.builder().id(Ids.timeOrdered()).source(SOURCE).type(type).actor(actor).action(action)
                .asset(assetType, assetId).occurredAt(at).data(data).build();
    }
}
