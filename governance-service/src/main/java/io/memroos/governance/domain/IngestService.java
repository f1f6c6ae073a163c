package io.memroos.governance.domain;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Ingests events from every service's outbox ({@code POST /internal/events}): the whole batch is validated
 * first, then appended; an event id the chain already holds is counted as a duplicate and not appended again.
 * {@code memory.receipt} events are also kept as memory receipts.
 */
public final class IngestService {

    public static final int MAX_BATCH = 500;
    private static final Set<String> EVENT_FIELDS = Set.of("id", "source", "type", "occurredAt", "actor", "action",
            "asset", "purpose", "label", "data");
    private static final Set<String> RECEIPT_FIELDS = Set.of("op", "scope", "ids", "reason", "agentId", "taskId");

    /** Accepted and duplicate counts. */
    public record Outcome(int accepted, int duplicates) {
    }

    private final AuditLog log;
    private final Labels labels;

    public IngestService(AuditLog log, Labels labels) {
        this.log = log;
        this.labels = labels;
    }

    public Outcome ingest(JsonNode body) {
        Fields.object(body, "");
        Fields.only(body, "", Set.of("events"));
        JsonNode events = body.get("events");
        if (events == null || !events.isArray()) {
            throw GovException.invalid("events", "must be an array of events");
        }
        if (events.isEmpty()) {
            throw GovException.invalid("events", "must hold at least one event");
        }
        if (events.size() > MAX_BATCH) {
            throw GovException.tooLarge("events", "at most " + MAX_BATCH + " events per call");
        }
        List<AuditLog.Draft> drafts = new ArrayList<>(events.size());
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < events.size(); i++) {
            drafts.add(draft(events.get(i), "events[" + i + "].", ids));
        }
        AuditLog.Result r = log.append(drafts);
        return new Outcome(r.appended().size(), r.duplicates());
    }

    private AuditLog.Draft draft(JsonNode e, String p, Set<String> ids) {
        Fields.object(e, p.substring(0, p.length() - 1));
        Fields.only(e, p, EVENT_FIELDS);
        String id = Fields.token(e, "id", p, true);
        ids.add(id);
        String source = Fields.token(e, "source", p, true);
        String type = Fields.token(e, "type", p, true);
        String occurredAt = Times.parse(p + "occurredAt", Fields.text(e, "occurredAt", p, true, 64));
        String actor = Fields.text(e, "actor", p, true, 200);
        String actorAgent = Fields.actor(p + "actor", actor);
        String action = Fields.token(e, "action", p, true);
        JsonNode asset = e.get("asset");
        String assetType = null;
        String assetId = null;
        if (asset != null && !asset.isNull()) {
            Fields.object(asset, p + "asset");
            Fields.only(asset, p + "asset.", Set.of("type", "id", "owner"));
            assetType = Fields.token(asset, "type", p + "asset.", true);
            assetId = Fields.token(asset, "id", p + "asset.", true);
            Fields.token(asset, "owner", p + "asset.", false);
        }
        String purpose = Fields.text(e, "purpose", p, false, 500);
        if (purpose != null && purpose.chars().anyMatch(c -> c < 0x20)) {
            throw GovException.invalid(p + "purpose", "must not contain control characters");
        }
        String label = labels.check(p + "label", Fields.text(e, "label", p, false, 64));
        JsonNode data = e.get("data");
        if (data == null || data.isNull()) {
            data = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        }
        Fields.object(data, p + "data");
        String canonical = Canonical.of(data);
        if (canonical.length() > 65_536) {
            throw GovException.tooLarge(p + "data", "at most 64 KiB of canonical JSON");
        }
        String agent = actorAgent != null ? actorAgent
                : "agent".equals(assetType) ? assetId
                : asset != null && asset.hasNonNull("owner") ? asset.get("owner").asText() : null;
        String taskId = data.hasNonNull("taskId") && data.get("taskId").isTextual() ? data.get("taskId").textValue() : null;
        Record record = null;
        if ("memory.receipt".equals(type)) {
            String dp = p + "data.";
            Fields.only(data, dp, RECEIPT_FIELDS);
            String op = Fields.text(data, "op", dp, true, 16);
            if (!op.equals("write") && !op.equals("recall")) {
                throw GovException.invalid(dp + "op", "must be write or recall");
            }
            JsonNode scope = data.get("scope");
            if (scope != null && !scope.isNull()) {
                Fields.object(scope, dp + "scope");
            }
            JsonNode list = data.get("ids");
            if (list == null || !list.isArray()) {
                throw GovException.invalid(dp + "ids", "must be an array of memory ids");
            }
            for (int i = 0; i < list.size(); i++) {
                if (!list.get(i).isTextual()) {
                    throw GovException.invalid(dp + "ids[" + i + "]", "must be a string");
                }
            }
            Fields.text(data, "reason", dp, false, 1000);
            String receiptAgent = Fields.token(data, "agentId", dp, false);
            if (receiptAgent != null) {
                agent = receiptAgent;
            }
            record = new Record(id, Record.Kind.MEMORY_RECEIPT, agent, taskId, occurredAt, Times.day(occurredAt), 0,
                    null, null, null, op, null, null, null, null, canonical);
        }
        return new AuditLog.Draft(new AuditEvent(0, id, null, occurredAt, source, type, actor, action, assetType, assetId,
                purpose, label, canonical, null, null, agent, taskId), record);
    }
}
