package io.memroos.governance.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.memroos.governance.domain.Aggregate;
import io.memroos.governance.domain.AssetLabel;
import io.memroos.governance.domain.AuditEvent;
import io.memroos.governance.domain.Checkpoint;
import io.memroos.governance.domain.ChainVerifier;
import io.memroos.governance.domain.Record;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/** The JSON shapes of responses. */
@RegisterForReflection
final class Views {

    private Views() {
    }

    @Schema(name = "AssetRef")
    record AssetJson(String type, String id) {
    }

    @Schema(name = "AuditEvent")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record EventJson(long seq, String id, String recordedAt, String occurredAt, String source, String type, String actor,
                     String action, AssetJson asset, String purpose, String label,
                     @JsonRawValue @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.OBJECT)
                     String data, String prevHash, String hash) {
    }

    @Schema(name = "AuditPage")
    record EventPage(List<EventJson> items, String nextCursor) {
    }

    @Schema(name = "Checkpoint")
    record CheckpointJson(long seq, long fromSeq, String hash, String merkleRoot, String time, String keyId,
                          String signature) {
    }

    @Schema(name = "AuditStatus")
    record StatusJson(long headSeq, String headHash, long events, CheckpointJson lastCheckpoint, String lastVerify,
                      String keyId) {
    }

    @Schema(name = "VerifyResult")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record VerifyJson(boolean ok, long events, long checkpoints, long headSeq, String headHash, String failure, Long seq,
                      String eventId, Long checkpointSeq, String reason, String verifiedAt, long millis) {
    }

    @Schema(name = "Record")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RecordJson(String id, String kind, String agentId, String taskId, String at, long eventSeq,
                      @JsonRawValue @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.OBJECT)
                      String record) {
    }

    @Schema(name = "RecordPage")
    record RecordPage(List<RecordJson> items, String nextCursor) {
    }

    @Schema(name = "AggregateRow")
    record AggregateJson(Map<String, String> group, long count, long inputTokens, long outputTokens, double cost,
                         double avgLatencyMs, long errors) {
    }

    @Schema(name = "Aggregates")
    record AggregatePage(List<String> by, List<AggregateJson> items) {
    }

    @Schema(name = "AssetLabel")
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record LabelJson(String type, String id, String label, String explicitLabel, List<AssetJson> derivedFrom,
                     String updatedAt, String updatedBy) {
    }

    @Schema(name = "AssetLabelPage")
    record LabelPage(List<LabelJson> items, String nextCursor) {
    }

    static EventJson event(AuditEvent e) {
        return new EventJson(e.seq(), e.id(), e.recordedAt(), e.occurredAt(), e.source(), e.type(), e.actor(), e.action(),
                e.assetType() == null ? null : new AssetJson(e.assetType(), e.assetId()), e.purpose(), e.label(), e.data(),
                e.prevHash(), e.hash());
    }

    static CheckpointJson checkpoint(Checkpoint c) {
        return c == null ? null : new CheckpointJson(c.seq(), c.fromSeq(), c.hash(), c.merkleRoot(), c.time(), c.keyId(),
                c.signature());
    }

    static VerifyJson verify(ChainVerifier.Result r) {
        return new VerifyJson(r.ok(), r.events(), r.checkpoints(), r.headSeq(), r.headHash(), r.failure(), r.seq(),
                r.eventId(), r.checkpointSeq(), r.reason(), r.verifiedAt(), r.millis());
    }

    static RecordJson record(Record r) {
        return new RecordJson(r.id(), r.kind().wire, r.agentId(), r.taskId(), r.at(), r.eventSeq(), r.data());
    }

    static AggregateJson aggregate(Aggregate a) {
        return new AggregateJson(a.group(), a.count(), a.inputTokens(), a.outputTokens(), a.cost(), a.avgLatencyMs(),
                a.errors());
    }

    static LabelJson label(AssetLabel l) {
        return new LabelJson(l.type(), l.id(), l.label(), l.explicitLabel(),
                l.derivedFrom().stream().map(r -> new AssetJson(r.type(), r.id())).toList(), l.updatedAt(), l.updatedBy());
    }
}
