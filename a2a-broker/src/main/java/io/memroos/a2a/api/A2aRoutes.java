package io.memroos.a2a.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.memroos.a2a.broker.Sink;
import io.memroos.a2a.broker.TaskService;
import io.memroos.a2a.broker.Via;
import io.memroos.a2a.config.A2aConfig;
import io.memroos.a2a.domain.A2aException;
import io.memroos.a2a.domain.AgentRef;
import io.memroos.a2a.domain.Caller;
import io.memroos.a2a.domain.Directory;
import io.memroos.a2a.protocol.Version;
import io.memroos.a2a.protocol.Wire;
import io.memroos.contract.Problem;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;

/**
 * Every public route of the broker, on the Vert.x router (SSE framing needs the raw response):
 * JSON-RPC at {@code /a2a} (the kernel) and {@code /a2a/agents/{id}}, the HTTP+JSON binding under the same
 * URLs (and {@code /tasks/**} for the kernel), the agent cards, and the REST agents' callback.
 */
@Singleton
class A2aRoutes {

    private static final Logger LOG = Logger.getLogger(A2aRoutes.class);
    private static final String JSON = "application/json";

    private final TaskService tasks;
    private final Directory directory;
    private final Callers callers;
    private final Cards cards;
    private final long maxBody;
    private final io.vertx.core.Vertx vertx;

    A2aRoutes(TaskService tasks, Directory directory, Callers callers, A2aConfig config,
              @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBody, io.vertx.core.Vertx vertx) {
        this.vertx = vertx;
        this.tasks = tasks;
        this.directory = directory;
        this.callers = callers;
        this.cards = new Cards(config.publicUrl());
        this.maxBody = maxBody.asLongValue();
    }

    void register(@Observes Router router) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(maxBody);
        for (String regex : List.of("/a2a(/.*)?", "/tasks(/.*)?", "/tasks:.*", "/api/a2a/.*", "/\\.well-known/agent(-card)?\\.json")) {
            router.routeWithRegex(regex).order(-10).handler(body).handler(this::fastSend)
                    .blockingHandler(this::dispatch, false);
        }
    }

    /**
     * A blocking {@code SendMessage} (or {@code message/send}) to a new task at {@code /a2a/agents/{id}}, handled on
     * the event loop when nothing on the way needs to wait ({@link TaskService#trySendAsync}): the agent is called
     * from the loop and the commit runs there too when the write lane is free (no worker, no thread hand-off). Anything
     * else, and anything this cannot decide at once (a bad token, a bad body, an uncached agent), goes on to
     * {@link #dispatch}, which answers it as before.
     */
    private void fastSend(RoutingContext rc) {
        String path = rc.normalizedPath();
        if (rc.request().method() != HttpMethod.POST || !path.startsWith("/a2a/agents/")
                || path.indexOf('/', "/a2a/agents/".length()) >= 0) {
            rc.next();
            return;
        }
        String agentId = path.substring("/a2a/agents/".length());
        JsonNode id;
        Version version;
        io.vertx.core.Future<ObjectNode> sent;
        try {
            JsonNode req = Wire.JSON.readTree(rc.body().asString("UTF-8"));
            String method = req == null ? null : Wire.text(req, "method");
            id = req == null ? null : req.get("id");
            String header = rc.request().getHeader(Version.HEADER);
            if ("message/send".equals(method)) {
                version = Version.V0_3;
            } else if ("SendMessage".equals(method) && (header == null || header.strip().startsWith("1."))) {
                version = Version.V1_0;
            } else {
                rc.next();
                return;
            }
            if (!"2.0".equals(Wire.text(req, "jsonrpc")) || !(req.get("params") instanceof ObjectNode params)
                    || (id != null && !(id.isTextual() || id.isNumber() || id.isNull()))) {
                rc.next();
                return;
            }
            Caller caller = callers.of(rc);
            sent = tasks.trySendAsync(caller, agentId, version == Version.V0_3 ? Wire.sendParams10(params) : params,
                    new Via("JSONRPC", version.wire), vertx);
        } catch (Exception e) {
            rc.next(); // the blocking path parses again and answers with the right error
            return;
        }
        if (sent == null) {
            rc.next();
            return;
        }
        sent.onComplete(ar -> {
            if (ar.succeeded()) {
                rpcResult(rc, id, sendResult(version, ar.result()));
            } else if (ar.cause() instanceof A2aException e) {
                rpcError(rc, id, e.kind().code, e.getMessage());
            } else {
                LOG.errorf(ar.cause(), "unexpected failure on POST %s", path);
                rpcError(rc, id, A2aException.Kind.INTERNAL.code, "the broker failed; see its log");
            }
        });
    }

    // ---- dispatch ---------------------------------------------------------------------------------------

    private void dispatch(RoutingContext rc) {
        String path = rc.normalizedPath();
        try {
            if (path.equals("/.well-known/agent-card.json") || path.equals("/.well-known/agent.json")) {
                card(rc, null, path.endsWith("agent.json"));
                return;
            }
            if (path.startsWith("/api/a2a/tasks/") && path.endsWith("/events")) {
                requireMethod(rc, HttpMethod.POST);
                String id = path.substring("/api/a2a/tasks/".length(), path.length() - "/events".length());
                Caller caller = callers.of(rc);
                long seq = tasks.agentEvent(caller, id, jsonBody(rc));
                ObjectNode out = Wire.obj();
                out.put("taskId", id);
                out.put("seq", seq);
                send(rc, 202, JSON, Wire.write(out));
                return;
            }
            String agentId = null;
            String rest;
            if (path.startsWith("/a2a/agents/")) {
                String tail = path.substring("/a2a/agents/".length());
                int slash = tail.indexOf('/');
                agentId = slash < 0 ? tail : tail.substring(0, slash);
                rest = slash < 0 ? "" : tail.substring(slash);
            } else if (path.startsWith("/a2a")) {
                rest = path.substring(4);
            } else if (path.startsWith("/tasks")) {
                rest = path;
            } else {
                throw A2aException.of(A2aException.Kind.METHOD_NOT_FOUND, "no such route");
            }
            if (rest.equals("/.well-known/agent-card.json") || rest.equals("/.well-known/agent.json")) {
                card(rc, agentId, rest.endsWith("agent.json"));
                return;
            }
            if (rest.isEmpty() || rest.equals("/")) {
                requireMethod(rc, HttpMethod.POST);
                jsonRpc(rc, agentId);
                return;
            }
            restBinding(rc, agentId, rest);
        } catch (A2aException e) {
            problem(rc, e);
        } catch (RuntimeException e) {
            LOG.errorf(e, "unexpected failure on %s %s", rc.request().method(), path);
            problem(rc, A2aException.of(A2aException.Kind.INTERNAL, "the broker failed; see its log"));
        }
    }

    private void card(RoutingContext rc, String agentId, boolean legacy) {
        requireMethod(rc, HttpMethod.GET);
        AgentRef agent = null;
        if (agentId != null) {
            agent = directory.find(agentId).filter(AgentRef::active)
                    .orElseThrow(() -> A2aException.of(A2aException.Kind.TASK_NOT_FOUND, "no agent " + agentId));
        }
        List<AgentRef> all = agent == null ? directory.active() : List.of();
        ObjectNode card = legacy ? cards.card03(agent, all) : cards.card10(agent, all);
        send(rc, 200, JSON, Wire.write(card));
    }

    private AgentRef endpointAgent(String agentId) {
        if (agentId == null) {
            return null;
        }
        return directory.find(agentId).filter(AgentRef::active)
                .orElseThrow(() -> A2aException.of(A2aException.Kind.METHOD_NOT_FOUND, "no agent " + agentId));
    }

    // ---- JSON-RPC -----------------------------------------------------------------------------------------

    private void jsonRpc(RoutingContext rc, String agentId) {
        Caller caller = callers.of(rc);
        JsonNode req;
        try {
            req = Wire.JSON.readTree(rc.body().asString("UTF-8"));
        } catch (Exception e) {
            rpcError(rc, null, A2aException.Kind.PARSE_ERROR.code, "Parse error: the body is not JSON");
            return;
        }
        if (req == null || !req.isObject()) {
            rpcError(rc, null, A2aException.Kind.INVALID_REQUEST.code, "Invalid request: not a JSON-RPC object");
            return;
        }
        JsonNode id = req.get("id");
        if (id != null && !(id.isTextual() || id.isNumber() || id.isNull())) {
            rpcError(rc, null, A2aException.Kind.INVALID_REQUEST.code, "Invalid request: id must be a string or number");
            return;
        }
        if (!"2.0".equals(Wire.text(req, "jsonrpc")) || !req.path("method").isTextual()) {
            rpcError(rc, id, A2aException.Kind.INVALID_REQUEST.code,
                    "Invalid request: jsonrpc must be \"2.0\" and method a string");
            return;
        }
        String method = req.get("method").asText();
        Version version;
        String m10;
        if (Version.LEGACY_METHODS.containsKey(method)) {
            version = Version.V0_3;
            m10 = Version.LEGACY_METHODS.get(method);
        } else if (Version.LEGACY_METHODS.containsValue(method) || method.equals("ListTaskPushNotificationConfig")) {
            version = Version.V1_0;
            m10 = method.equals("ListTaskPushNotificationConfig") ? "ListTaskPushNotificationConfigs" : method;
            String header = rc.request().getHeader(Version.HEADER);
            if (header != null && !header.isBlank() && !header.strip().startsWith("1.") && !header.strip().equals("1")
                    && !header.strip().startsWith("0.3")) {
                rpcError(rc, id, A2aException.Kind.VERSION_NOT_SUPPORTED.code,
                        "Version not supported: " + header + " (this broker speaks 1.0 and 0.3)");
                return;
            }
        } else {
            rpcError(rc, id, A2aException.Kind.METHOD_NOT_FOUND.code, "Method not found: " + method);
            return;
        }
        JsonNode p = req.get("params");
        if (p == null || p.isNull()) {
            p = Wire.obj();
        }
        if (!p.isObject()) {
            rpcError(rc, id, A2aException.Kind.INVALID_PARAMS.code, "Invalid params: params must be an object");
            return;
        }
        ObjectNode params = (ObjectNode) p;
        try {
            AgentRef endpoint = endpointAgent(agentId);
            String target = endpoint == null ? null : endpoint.id();
            JsonNode result = switch (m10) {
                case "SendMessage" -> {
                    yield sendResult(version, tasks.send(caller, target,
                            version == Version.V0_3 ? Wire.sendParams10(params) : params, new Via("JSONRPC", version.wire)));
                }
                case "SendStreamingMessage" -> {
                    SseSink sink = new SseSink(rc, version, id == null ? Wire.F.nullNode() : id);
                    tasks.sendStreaming(caller, target, version == Version.V0_3 ? Wire.sendParams10(params) : params,
                            sink, new Via("JSONRPC", version.wire));
                    yield null;
                }
                case "GetTask" -> {
                    JsonNode hl = params.get("historyLength");
                    ObjectNode t = tasks.get(caller, Wire.text(params, "id"),
                            hl == null || hl.isNull() ? null : hl.asInt());
                    yield version == Version.V1_0 ? t : Wire.task03(t);
                }
                case "ListTasks" -> {
                    ObjectNode r = tasks.list(caller, params);
                    if (version == Version.V0_3) {
                        ArrayNode converted = Wire.F.arrayNode();
                        r.path("tasks").forEach(t -> converted.add(Wire.task03(t)));
                        r.set("tasks", converted);
                    }
                    yield r;
                }
                case "CancelTask" -> {
                    ObjectNode t = tasks.cancel(caller, Wire.text(params, "id"));
                    yield version == Version.V1_0 ? t : Wire.task03(t);
                }
                case "SubscribeToTask" -> {
                    SseSink sink = new SseSink(rc, version, id == null ? Wire.F.nullNode() : id);
                    tasks.subscribe(caller, Wire.text(params, "id"), lastEventId(rc, params), sink);
                    yield null;
                }
                case "CreateTaskPushNotificationConfig" -> {
                    ObjectNode cfg = version == Version.V1_0 ? params
                            : Wire.pushConfig10(Wire.text(params, "taskId"), params.path("pushNotificationConfig"));
                    ObjectNode r = tasks.createPush(caller, cfg);
                    yield version == Version.V1_0 ? r : Wire.pushConfig03(r);
                }
                case "GetTaskPushNotificationConfig" -> {
                    ObjectNode r = version == Version.V1_0
                            ? tasks.getPush(caller, Wire.text(params, "taskId"), Wire.text(params, "id"))
                            : tasks.getPush(caller, Wire.text(params, "id"), Wire.text(params, "pushNotificationConfigId"));
                    yield version == Version.V1_0 ? r : Wire.pushConfig03(r);
                }
                case "ListTaskPushNotificationConfigs" -> {
                    if (version == Version.V1_0) {
                        yield tasks.listPush(caller, Wire.text(params, "taskId"));
                    }
                    ArrayNode out = Wire.F.arrayNode();
                    tasks.listPush(caller, Wire.text(params, "id")).path("configs")
                            .forEach(c -> out.add(Wire.pushConfig03(c)));
                    yield out;
                }
                case "DeleteTaskPushNotificationConfig" -> {
                    if (version == Version.V1_0) {
                        tasks.deletePush(caller, Wire.text(params, "taskId"), Wire.text(params, "id"));
                        yield Wire.obj();
                    }
                    tasks.deletePush(caller, Wire.text(params, "id"), Wire.text(params, "pushNotificationConfigId"));
                    yield Wire.F.nullNode();
                }
                case "GetExtendedAgentCard" -> version == Version.V1_0
                        ? cards.card10(endpoint, endpoint == null ? directory.active() : List.of())
                        : cards.card03(endpoint, endpoint == null ? directory.active() : List.of());
                default -> throw A2aException.of(A2aException.Kind.METHOD_NOT_FOUND, "Method not found: " + method);
            };
            if (result != null) {
                rpcResult(rc, id, result);
            }
        } catch (A2aException e) {
            if (e.kind() == A2aException.Kind.UNAUTHORIZED || e.kind() == A2aException.Kind.FORBIDDEN) {
                throw e;
            }
            if (rc.response().headWritten()) {
                rc.response().end();
                return;
            }
            rpcError(rc, id, e.kind().code, e.getMessage());
        }
    }

    private static Long lastEventId(RoutingContext rc, JsonNode params) {
        String h = rc.request().getHeader("Last-Event-ID");
        String v = h != null && !h.isBlank() ? h : Wire.text(params, "lastEventId");
        if (v == null || v.isBlank()) {
            v = rc.request().getParam("lastEventId");
        }
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw A2aException.invalidParams("Last-Event-ID must be an event sequence number");
        }
    }

    /** SendMessage's answer ({task} or {message}, 1.0) in the caller's version: a 0.3 client gets the bare object. */
    private static JsonNode sendResult(Version version, ObjectNode r) {
        return version == Version.V1_0 ? r
                : r.has("task") ? Wire.task03(r.get("task")) : Wire.message03(r.get("message"));
    }

    private static void rpcResult(RoutingContext rc, JsonNode id, JsonNode result) {
        ObjectNode out = Wire.obj();
        out.put("jsonrpc", "2.0");
        out.set("id", id == null ? Wire.F.nullNode() : id);
        out.set("result", result);
        send(rc, 200, JSON, Wire.write(out));
    }

    private static void rpcError(RoutingContext rc, JsonNode id, int code, String message) {
        ObjectNode out = Wire.obj();
        out.put("jsonrpc", "2.0");
        out.set("id", id == null ? Wire.F.nullNode() : id);
        out.putObject("error").put("code", code).put("message", message);
        send(rc, 200, JSON, Wire.write(out));
    }

    // ---- HTTP+JSON binding ---------------------------------------------------------------------------------

    private static final Via REST_VIA = new Via("HTTP+JSON", Version.V1_0.wire);

    private void restBinding(RoutingContext rc, String agentId, String rest) {
        HttpMethod m = rc.request().method();
        Caller caller = callers.of(rc);
        AgentRef endpoint = endpointAgent(agentId);
        String target = endpoint == null ? null : endpoint.id();
        if (rest.equals("/message:send") && m == HttpMethod.POST) {
            sendJson(rc, 200, tasks.send(caller, target, jsonBody(rc), REST_VIA));
        } else if (rest.equals("/message:stream") && m == HttpMethod.POST) {
            tasks.sendStreaming(caller, target, jsonBody(rc), new SseSink(rc, Version.V1_0, null), REST_VIA);
        } else if (rest.equals("/tasks") && m == HttpMethod.GET) {
            ObjectNode q = Wire.obj();
            for (Map.Entry<String, String> e : rc.queryParams().entries()) {
                q.put(e.getKey(), e.getValue());
            }
            if (q.has("pageSize")) {
                q.put("pageSize", intParam(q, "pageSize"));
            }
            if (q.has("historyLength")) {
                q.put("historyLength", intParam(q, "historyLength"));
            }
            if (q.has("includeArtifacts")) {
                q.put("includeArtifacts", Boolean.parseBoolean(q.path("includeArtifacts").asText()));
            }
            sendJson(rc, 200, tasks.list(caller, q));
        } else if (rest.startsWith("/tasks/")) {
            String tail = rest.substring("/tasks/".length());
            if (tail.endsWith(":cancel") && m == HttpMethod.POST) {
                sendJson(rc, 200, tasks.cancel(caller, tail.substring(0, tail.length() - ":cancel".length())));
            } else if (tail.endsWith(":subscribe") && (m == HttpMethod.POST || m == HttpMethod.GET)) {
                tasks.subscribe(caller, tail.substring(0, tail.length() - ":subscribe".length()),
                        lastEventId(rc, Wire.obj()), new SseSink(rc, Version.V1_0, null));
            } else if (tail.contains("/pushNotificationConfigs")) {
                String taskId = tail.substring(0, tail.indexOf('/'));
                String after = tail.substring(tail.indexOf("/pushNotificationConfigs") + "/pushNotificationConfigs".length());
                String configId = after.startsWith("/") ? after.substring(1) : null;
                if (configId == null && m == HttpMethod.POST) {
                    ObjectNode cfg = jsonBody(rc);
                    cfg.put("taskId", taskId);
                    sendJson(rc, 200, tasks.createPush(caller, cfg));
                } else if (configId == null && m == HttpMethod.GET) {
                    sendJson(rc, 200, tasks.listPush(caller, taskId));
                } else if (configId != null && m == HttpMethod.GET) {
                    sendJson(rc, 200, tasks.getPush(caller, taskId, configId));
                } else if (configId != null && m == HttpMethod.DELETE) {
                    tasks.deletePush(caller, taskId, configId);
                    send(rc, 204, null, null);
                } else {
                    throw A2aException.of(A2aException.Kind.METHOD_NOT_FOUND, "no such route");
                }
            } else if (!tail.contains("/") && !tail.contains(":") && m == HttpMethod.GET) {
                String hl = rc.request().getParam("historyLength");
                Integer history = null;
                if (hl != null) {
                    try {
                        history = Integer.parseInt(hl);
                    } catch (NumberFormatException e) {
                        throw A2aException.invalidParams("historyLength must be a number");
                    }
                }
                sendJson(rc, 200, tasks.get(caller, tail, history));
            } else {
                throw A2aException.of(A2aException.Kind.METHOD_NOT_FOUND, "no such route");
            }
        } else if (rest.equals("/extendedAgentCard") && m == HttpMethod.GET) {
            sendJson(rc, 200, cards.card10(endpoint, endpoint == null ? directory.active() : List.of()));
        } else {
            throw A2aException.of(A2aException.Kind.METHOD_NOT_FOUND, "no such route");
        }
    }

    private static int intParam(ObjectNode q, String name) {
        try {
            return Integer.parseInt(q.path(name).asText());
        } catch (NumberFormatException e) {
            throw A2aException.invalidParams(name + " must be a number");
        }
    }

    private static ObjectNode jsonBody(RoutingContext rc) {
        String ct = rc.request().getHeader("Content-Type");
        if (ct != null && !ct.toLowerCase().startsWith("application/json") && !ct.toLowerCase().contains("+json")) {
            throw A2aException.of(A2aException.Kind.CONTENT_TYPE_NOT_SUPPORTED, "send application/json");
        }
        try {
            JsonNode n = Wire.JSON.readTree(rc.body().asString("UTF-8"));
            if (n == null || !n.isObject()) {
                throw A2aException.invalidParams("body: must be a JSON object");
            }
            return (ObjectNode) n;
        } catch (A2aException e) {
            throw e;
        } catch (Exception e) {
            throw A2aException.of(A2aException.Kind.PARSE_ERROR, "body: is not well-formed JSON");
        }
    }

    private static void requireMethod(RoutingContext rc, HttpMethod m) {
        if (rc.request().method() != m) {
            throw new A2aException(A2aException.Kind.METHOD_NOT_FOUND, rc.request().method() + " is not allowed here");
        }
    }

    // ---- responses --------------------------------------------------------------------------------------

    private static void sendJson(RoutingContext rc, int status, JsonNode body) {
        send(rc, status, JSON, Wire.write(body));
    }

    private static void send(RoutingContext rc, int status, String type, String body) {
        HttpServerResponse r = rc.response();
        if (r.ended()) {
            return;
        }
        r.setStatusCode(status);
        if (type != null) {
            r.putHeader("Content-Type", type);
        }
        if (body == null) {
            r.end();
        } else {
            r.end(body);
        }
    }

    private static void problem(RoutingContext rc, A2aException e) {
        if (rc.response().headWritten()) {
            rc.response().end();
            return;
        }
        int status = e.kind().httpStatus;
        String kind = switch (e.kind()) {
            case TASK_NOT_FOUND -> "task-not-found";
            case METHOD_NOT_FOUND -> "not-found";
            case UNAUTHORIZED -> "unauthorized";
            case FORBIDDEN -> "forbidden";
            case INVALID_PARAMS, INVALID_REQUEST -> "validation";
            case PARSE_ERROR -> "malformed-json";
            case INTERNAL -> "internal";
            default -> e.kind().name().toLowerCase().replace('_', '-');
        };
        Problem p = Problem.of(status, kind, e.kind().title, e.getMessage())
                .withInstance(rc.normalizedPath(), RequestIds.of(rc));
        if (status == 401) {
            rc.response().putHeader("WWW-Authenticate", "Bearer");
        }
        send(rc, status, Problem.MEDIA_TYPE, JsonObject.mapFrom(p).encode());
    }

    /** Writes stream events as SSE: {@code id: <seq>} and one JSON object per event. */
    private static final class SseSink implements Sink {
        private final RoutingContext rc;
        private final Version version;
        private final JsonNode rpcId;
        private boolean started;

        SseSink(RoutingContext rc, Version version, JsonNode rpcId) {
            this.rc = rc;
            this.version = version;
            this.rpcId = rpcId;
        }

        @Override
        public synchronized void event(long seq, ObjectNode ev, boolean last) {
            HttpServerResponse r = rc.response();
            if (r.ended() || r.closed()) {
                throw new IllegalStateException("client went away");
            }
            if (!started) {
                started = true;
                r.setStatusCode(200).setChunked(true).putHeader("Content-Type", "text/event-stream")
                        .putHeader("Cache-Control", "no-cache").putHeader("X-Accel-Buffering", "no");
            }
            JsonNode payload = version == Version.V0_3 ? Wire.streamResult03(ev, last) : ev;
            if (rpcId != null) {
                ObjectNode out = Wire.obj();
                out.put("jsonrpc", "2.0");
                out.set("id", rpcId);
                out.set("result", payload);
                payload = out;
            }
            r.write("id: " + seq + "\ndata: " + Wire.write(payload) + "\n\n");
        }

        @Override
        public synchronized void end() {
            HttpServerResponse r = rc.response();
            if (!r.ended() && !r.closed()) {
                r.end();
            }
        }

        @Override
        public void onClose(Runnable runnable) {
            rc.response().closeHandler(v -> runnable.run());
        }
    }
}
