package io.memroos.governance.domain;

/** Filters of a record listing or aggregate; null means any. Times are ISO-8601 text, {@code to} exclusive. */
public record RecordQuery(Record.Kind kind, String agentId, String taskId, String model, String provider, String tool,
                          String outcome, String from, String to, long afterSeq, int limit) {
}
