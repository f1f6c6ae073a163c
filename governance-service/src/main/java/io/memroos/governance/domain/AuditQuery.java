package io.memroos.governance.domain;

/** Filters of an audit listing; null means any. {@code afterSeq} is the cursor. Times are ISO-8601 text. */
public record AuditQuery(String actor, String action, String assetType, String assetId, String type, String source,
                         String from, String to, String agentId, String taskId, long afterSeq, int limit) {
}
