package io.memroos.governance.domain;

/**
 * A receipt or telemetry record ({@link Kind}), kept beside the audit event that carries it in full
 * ({@code eventSeq}; {@code data} is the event's canonical data). The other fields are query columns.
 */
public record Record(String id, Kind kind, String agentId, String taskId, String at, String day, long eventSeq,
                     String model, String provider, String tool, String outcome, Long inputTokens, Long outputTokens,
                     Long latencyMs, Double cost, String data) {

    /** What a record is; {@code wire} is its route segment and its audit event type prefix. */
    public enum Kind {
        TOOL_ATTENTION("tool-attention", "tool.call"),
        MODEL_ROUTING("model-routing", "model.routing"),
        MODEL_USAGE("model-usage", "model.usage"),
        EFFICIENCY("efficiency", "efficiency.event"),
        MEMORY_RECEIPT("memory-receipt", "memory.receipt"),
        DECISION("decision", "policy.decision");

        public final String wire;
        public final String eventType;

        Kind(String wire, String eventType) {
            this.wire = wire;
            this.eventType = eventType;
        }

        public static Kind of(String wire) {
            for (Kind k : values()) {
                if (k.wire.equals(wire)) {
                    return k;
                }
            }
            throw GovException.notFound("no such record kind: " + wire);
        }
    }
}
