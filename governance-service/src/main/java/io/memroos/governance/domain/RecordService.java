package io.memroos.governance.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Receipts and telemetry written with an agent's key: tool-use receipts ({@code tool-attention}), model routing
 * and usage, efficiency events. An agent writes only as itself (the operator names the agent); each write is an
 * audit event carrying the record in full.
 */
public final class RecordService {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    public static final Set<String> GROUPS = Set.of("day", "agent", "model", "provider", "tool", "outcome");

    private final AuditLog log;
    private final GovernanceStore store;
    private final Clock clock;

    public RecordService(AuditLog log, GovernanceStore store, Clock clock) {
        this.log = log;
        this.store = store;
        this.clock = clock;
    }

    public Record write(Record.Kind kind, JsonNode body, Caller caller) {
        Fields.object(body, "");
        String agent = Fields.token(body, "agentId", "", false);
        if (caller.role() == Caller.Role.AGENT) {
            if (agent != null && !agent.equals(caller.id())) {
                throw GovException.forbidden("an agent writes receipts only as itself");
            }
            agent = caller.id();
        } else if (agent == null) {
            throw GovException.invalid("agentId", "an operator must name the agent the record is about");
        }
        String taskId = Fields.token(body, "taskId", "", false);
        String at = body.hasNonNull("at") ? Times.parse("at", Fields.text(body, "at", "", false, 64))
                : Times.format(clock.instant());
        String model = null;
        String provider = null;
        String tool = null;
        String outcome = null;
        Long in = null;
        Long out = null;
        Long latency = null;
        Double cost = null;
        switch (kind) {
            case TOOL_ATTENTION -> {
                Fields.only(body, "", Set.of("agentId", "taskId", "at", "tool", "argsDigest", "durationMs", "outcome",
                        "error", "callId"));
                tool = Fields.token(body, "tool", "", true);
                String digest = Fields.text(body, "argsDigest", "", true, 64);
                if (!SHA256.matcher(digest).matches()) {
                    throw GovException.invalid("argsDigest", "must be the SHA-256 of the arguments, 64 lowercase hex "
                            + "characters (never the arguments themselves)");
                }
                latency = Fields.whole(body, "durationMs", "", true);
                outcome = Fields.text(body, "outcome", "", true, 16);
                if (!outcome.equals("ok") && !outcome.equals("error")) {
                    throw GovException.invalid("outcome", "must be ok or error");
                }
                Fields.text(body, "error", "", false, 1000);
                Fields.token(body, "callId", "", false);
            }
            case MODEL_ROUTING -> {
                Fields.only(body, "", Set.of("agentId", "taskId", "at", "callId", "model", "provider", "reason",
                        "candidates"));
                model = Fields.token(body, "model", "", true);
                provider = Fields.token(body, "provider", "", false);
                Fields.token(body, "callId", "", false);
                Fields.text(body, "reason", "", true, 1000);
                JsonNode c = body.get("candidates");
                if (c != null && !c.isNull()) {
                    if (!c.isArray() || c.size() > 50) {
                        throw GovException.invalid("candidates", "must be an array of at most 50 model names");
                    }
                    for (int i = 0; i < c.size(); i++) {
                        if (!c.get(i).isTextual()) {
                            throw GovException.invalid("candidates[" + i + "]", "must be a string");
                        }
                    }
                }
            }
            case MODEL_USAGE -> {
                Fields.only(body, "", Set.of("agentId", "taskId", "at", "callId", "model", "provider", "inputTokens",
                        "outputTokens", "latencyMs", "cost", "currency"));
                model = Fields.token(body, "model", "", true);
                provider = Fields.token(body, "provider", "", false);
                Fields.token(body, "callId", "", false);
                in = Fields.whole(body, "inputTokens", "", true);
                out = Fields.whole(body, "outputTokens", "", true);
                latency = Fields.whole(body, "latencyMs", "", false);
                cost = Fields.number(body, "cost", "");
                Fields.text(body, "currency", "", false, 8);
            }
            case EFFICIENCY -> {
                Fields.only(body, "", Set.of("agentId", "taskId", "at", "event", "value", "unit", "model", "details"));
                outcome = Fields.token(body, "event", "", true);
                model = Fields.token(body, "model", "", false);
                JsonNode v = body.get("value");
                if (v != null && !v.isNull() && !v.isNumber()) {
                    throw GovException.invalid("value", "must be a number");
                }
                Fields.text(body, "unit", "", false, 32);
                JsonNode d = body.get("details");
                if (d != null && !d.isNull()) {
                    Fields.object(d, "details");
                }
            }
            default -> throw GovException.notFound("records of kind " + kind.wire + " are not written here");
        }
        ObjectNode data = body.deepCopy();
        data.put("agentId", agent);
        data.put("at", at);
        String canonical = Canonical.of(data);
        if (canonical.length() > 65_536) {
            throw GovException.tooLarge("body", "at most 64 KiB");
        }
        String id = UUID.randomUUID().toString();
        Record rec = new Record(id, kind, agent, taskId, at, Times.day(at), 0, model, provider, tool, outcome, in, out,
                latency, cost, canonical);
        AuditEvent event = new AuditEvent(0, id, null, at, "governance-service", kind.eventType, caller.actor(),
                kind.eventType, "agent", agent, null, null, canonical, null, null, agent, taskId);
        AuditLog.Result r = log.append(List.of(new AuditLog.Draft(event, rec)));
        long seq = r.appended().isEmpty() ? 0 : r.appended().get(0).seq();
        return new Record(id, kind, agent, taskId, at, rec.day(), seq, model, provider, tool, outcome, in, out, latency,
                cost, canonical);
    }

    public Page<Record> list(RecordQuery q) {
        return store.records(q);
    }

    public List<Aggregate> aggregate(RecordQuery q, List<String> by) {
        for (String g : by) {
            if (!GROUPS.contains(g)) {
                throw GovException.invalid("by", "must list some of " + GROUPS);
            }
        }
        return store.aggregate(q, by);
    }
}
