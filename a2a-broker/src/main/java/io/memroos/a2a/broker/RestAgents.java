package io.memroos.a2a.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.memroos.a2a.domain.A2aException;
import io.memroos.a2a.domain.AgentRef;
import io.memroos.a2a.domain.TaskRecord;
import io.memroos.a2a.protocol.Wire;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Agents without A2A (endpoint kind {@code rest}): the broker POSTs {taskId, contextId, message, callbackUrl} to
 * the agent's URL. The agent answers at once (200 with {status?, artifact?, message?}) or later through
 * {@code POST /api/a2a/tasks/{id}/events} with its own key.
 */
public final class RestAgents {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final String publicUrl;
    private final Duration timeout;

    public RestAgents(String publicUrl, Duration timeout) {
        this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
        this.timeout = timeout;
    }

    /** The agent's immediate answer as a 1.0 StreamResponse-like object, or null when it answers later. */
    JsonNode deliver(AgentRef agent, TaskRecord task, ObjectNode request) {
        ObjectNode body = Wire.obj();
        body.put("taskId", task.id());
        body.put("contextId", task.contextId());
        ObjectNode msg = ((ObjectNode) request.get("message")).deepCopy();
        msg.put("taskId", task.id());
        body.set("message", msg);
        if (request.has("metadata")) {
            body.set("metadata", request.get("metadata"));
        }
        body.put("callbackUrl", publicUrl + "/api/a2a/tasks/" + task.id() + "/events");
        body.put("caller", task.caller());
        HttpResponse<String> r;
        try {
            r = http.send(HttpRequest.newBuilder(URI.create(agent.endpointUrl())).timeout(timeout)
                    .header("Content-Type", "application/json").header("X-MemRoOS-Task-Id", task.id())
                    .POST(HttpRequest.BodyPublishers.ofString(Wire.write(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Unreachable("REST agent unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted", e);
        }
        if (r.statusCode() >= 500 || r.statusCode() == 429 || r.statusCode() == 408) {
            throw new Unreachable("REST agent answered " + r.statusCode(), null);
        }
        if (r.statusCode() >= 400) {
            throw new A2aException(A2aException.Kind.INVALID_AGENT_RESPONSE, "REST agent refused the task with HTTP "
                    + r.statusCode());
        }
        if (r.statusCode() == 202 || r.body() == null || r.body().isBlank()) {
            return null;
        }
        JsonNode answer;
        try {
            answer = Wire.JSON.readTree(r.body());
        } catch (IOException e) {
            throw new A2aException(A2aException.Kind.INVALID_AGENT_RESPONSE, "REST agent answered no JSON");
        }
        if (answer.has("status")) {
            ObjectNode ev = Wire.obj();
            ev.putObject("statusUpdate").set("status", Wire.status10(answer.get("status")));
            if (answer.has("artifact") || answer.has("artifacts")) {
                // artifacts first, then the status: a task reconcile does both in order
                ObjectNode snapshot = Wire.obj();
                snapshot.set("status", Wire.status10(answer.get("status")));
                var list = snapshot.putArray("artifacts");
                if (answer.has("artifact")) {
                    list.add(Wire.artifact10(answer.get("artifact")));
                }
                answer.path("artifacts").forEach(a -> list.add(Wire.artifact10(a)));
                ObjectNode t = Wire.obj();
                t.set("task", snapshot);
                return t;
            }
            return ev;
        }
        if (answer.has("message")) {
            ObjectNode ev = Wire.obj();
            ev.set("message", Wire.message10(answer.get("message")));
            return ev;
        }
        return null;
    }
}
