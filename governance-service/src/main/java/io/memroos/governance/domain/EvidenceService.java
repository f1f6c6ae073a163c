package io.memroos.governance.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Builds a signed evidence bundle for a scope (agent, task, time range): the audit events in scope, the
 * receipts and decisions they carry, the signed checkpoints covering them with one Merkle inclusion proof per
 * event, and a manifest (counts, SHA-256 of the canonical JSON of each part) signed with the audit key. The
 * format is described in docs/governance.md; verifier/Verify.java checks it offline.
 */
public final class EvidenceService {

    public static final String FORMAT = "memroos-evidence/1";
    public static final int MAX_EVENTS = 50_000;
    private static final Set<String> DECISION_TYPES = Set.of("policy.decision");
    private static final Set<String> RECEIPT_TYPES = Set.of("memory.receipt", "tool.call", "model.routing",
            "model.usage", "efficiency.event");

    private final GovernanceStore store;
    private final AuditLog log;
    private final Signer signer;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    public EvidenceService(GovernanceStore store, AuditLog log, Signer signer, Clock clock) {
        this.store = store;
        this.log = log;
        this.signer = signer;
        this.clock = clock;
    }

    public ObjectNode build(String agentId, String taskId, String from, String to, Caller caller) {
        Checkpoint head = log.checkpoint();
        long until = head == null ? 0 : head.seq();
        List<AuditEvent> events = new ArrayList<>();
        long after = 0;
        while (true) {
            Page<AuditEvent> page = store.audit(new AuditQuery(null, null, null, null, null, null, from, to, agentId,
                    taskId, after, 1000));
            for (AuditEvent e : page.items()) {
                if (e.seq() <= until) {
                    events.add(e);
                }
            }
            if (events.size() > MAX_EVENTS) {
                throw GovException.tooLarge("scope", "more than " + MAX_EVENTS + " events in scope; narrow it (from, to, taskId)");
            }
            if (page.nextCursor() == null || page.items().isEmpty()
                    || page.items().get(page.items().size() - 1).seq() > until) {
                break;
            }
            after = Long.parseLong(page.nextCursor());
        }
        List<Checkpoint> all = store.checkpoints();
        Map<Long, Checkpoint> used = new java.util.TreeMap<>();
        Map<Long, List<String>> hashesByCheckpoint = new HashMap<>();
        ArrayNode eventsJson = json.createArrayNode();
        ArrayNode receipts = json.createArrayNode();
        ArrayNode decisions = json.createArrayNode();
        ArrayNode proofs = json.createArrayNode();
        for (AuditEvent e : events) {
            ObjectNode ej = parse(e.canonical());
            ej.put("hash", e.hash());
            eventsJson.add(ej);
            Checkpoint cp = covering(all, e.seq());
            if (cp == null) {
                throw GovException.unavailable("no checkpoint covers event " + e.seq() + " yet; try again");
            }
            used.put(cp.seq(), cp);
            List<String> hashes = hashesByCheckpoint.computeIfAbsent(cp.seq(), s -> store.hashes(cp.fromSeq(), cp.seq()));
            ObjectNode proof = proofs.addObject();
            proof.put("seq", e.seq());
            proof.put("checkpointSeq", cp.seq());
            ArrayNode path = proof.putArray("path");
            for (Merkle.Step step : Merkle.proof(hashes, (int) (e.seq() - cp.fromSeq()))) {
                path.addObject().put("side", step.side()).put("hash", step.hash());
            }
            if (RECEIPT_TYPES.contains(e.type()) || DECISION_TYPES.contains(e.type())) {
                ObjectNode item = (DECISION_TYPES.contains(e.type()) ? decisions : receipts).addObject();
                item.put("eventSeq", e.seq());
                item.put("eventId", e.id());
                item.put("type", e.type());
                item.set("record", parse(e.data()));
            }
        }
        ArrayNode checkpoints = json.createArrayNode();
        for (Checkpoint c : used.values()) {
            checkpoints.addObject().put("seq", c.seq()).put("fromSeq", c.fromSeq()).put("hash", c.hash())
                    .put("merkleRoot", c.merkleRoot()).put("time", c.time()).put("keyId", c.keyId())
                    .put("signature", c.signature());
        }
        ObjectNode scope = json.createObjectNode();
        if (agentId != null) {
            scope.put("agentId", agentId);
        }
        if (taskId != null) {
            scope.put("taskId", taskId);
        }
        if (from != null) {
            scope.put("from", from);
        }
        if (to != null) {
            scope.put("to", to);
        }
        ObjectNode manifest = json.createObjectNode();
        manifest.put("format", FORMAT);
        manifest.put("bundleId", UUID.randomUUID().toString());
        manifest.put("createdAt", Times.format(clock.instant()));
        manifest.put("createdBy", caller.actor());
        manifest.set("scope", scope);
        manifest.put("keyId", signer.keyId());
        manifest.put("chainHeadSeq", until);
        ObjectNode counts = manifest.putObject("counts");
        ObjectNode digests = manifest.putObject("digests");
        Map<String, ArrayNode> parts = new java.util.LinkedHashMap<>();
        parts.put("events", eventsJson);
        parts.put("receipts", receipts);
        parts.put("decisions", decisions);
        parts.put("checkpoints", checkpoints);
        parts.put("proofs", proofs);
        parts.forEach((name, part) -> {
            counts.put(name, part.size());
            digests.put(name, Canonical.sha256Hex(Canonical.of(part)));
        });
        ObjectNode bundle = json.createObjectNode();
        bundle.set("manifest", manifest);
        parts.forEach(bundle::set);
        bundle.put("signature", signer.sign(Canonical.of(manifest)));
        bundle.put("publicKey", signer.publicPem());
        log.append(List.of(new AuditLog.Draft(new AuditEvent(0, UUID.randomUUID().toString(), null,
                Times.format(clock.instant()), "governance-service", "evidence.exported", caller.actor(),
                "evidence.export", "evidence-bundle", manifest.get("bundleId").asText(), null, null,
                Canonical.of(json.createObjectNode().<ObjectNode>set("scope", scope).put("events", events.size())
                        .put("manifestDigest", Canonical.sha256Hex(Canonical.of(manifest)))),
                null, null, agentId, taskId), null)));
        return bundle;
    }

    private static Checkpoint covering(List<Checkpoint> all, long seq) {
        int lo = 0;
        int hi = all.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Checkpoint c = all.get(mid);
            if (seq < c.fromSeq()) {
                hi = mid - 1;
            } else if (seq > c.seq()) {
                lo = mid + 1;
            } else {
                return c;
            }
        }
        return null;
    }

    private ObjectNode parse(String text) {
        try {
            JsonNode n = json.readTree(text);
            return (ObjectNode) n;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON does not parse: " + e.getMessage(), e);
        }
    }
}
