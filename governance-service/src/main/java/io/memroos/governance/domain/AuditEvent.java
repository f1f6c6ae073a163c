package io.memroos.governance.domain;

/**
 * One link of the audit chain. {@code data} is canonical JSON text (an object). {@code agentId} and
 * {@code taskId} are index columns derived from the hashed fields (the agent acting or owning the asset, the
 * {@code taskId} of data), not hashed themselves.
 */
public record AuditEvent(long seq, String id, String recordedAt, String occurredAt, String source, String type,
                         String actor, String action, String assetType, String assetId, String purpose, String label,
                         String data, String prevHash, String hash, String agentId, String taskId) {

    /** The hash input: the canonical JSON object of every hashed field, {@code prevHash} included. */
    public String canonical() {
        StringBuilder out = new StringBuilder(256 + (data == null ? 0 : data.length()));
        out.append('{');
        boolean first = Canonical.field(out, true, "action", action);
        first = Canonical.field(out, first, "actor", actor);
        if (assetType != null || assetId != null) {
            StringBuilder asset = new StringBuilder("{");
            boolean f = Canonical.field(asset, true, "id", assetId);
            Canonical.field(asset, f, "type", assetType);
            first = Canonical.rawField(out, first, "asset", asset.append('}').toString());
        }
        first = Canonical.rawField(out, first, "data", data);
        first = Canonical.field(out, first, "id", id);
        first = Canonical.field(out, first, "label", label);
        first = Canonical.field(out, first, "occurredAt", occurredAt);
        first = Canonical.field(out, first, "prevHash", prevHash);
        first = Canonical.field(out, first, "purpose", purpose);
        first = Canonical.field(out, first, "recordedAt", recordedAt);
        first = Canonical.rawField(out, first, "seq", Long.toString(seq));
        first = Canonical.field(out, first, "source", source);
        Canonical.field(out, first, "type", type);
        return out.append('}').toString();
    }

    public String computeHash() {
        return Canonical.sha256Hex(canonical());
    }

    /** The same with a digest the caller reuses (the verifier's hot loop). */
    public String computeHash(java.security.MessageDigest md) {
        md.reset();
        return Canonical.hex(md.digest(canonical().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    public AuditEvent chained(long newSeq, String recorded, String prev) {
        AuditEvent e = new AuditEvent(newSeq, id, recorded, occurredAt, source, type, actor, action, assetType, assetId,
                purpose, label, data, prev, null, agentId, taskId);
        return e.withHash(e.computeHash());
    }

    AuditEvent withHash(String h) {
        return new AuditEvent(seq, id, recordedAt, occurredAt, source, type, actor, action, assetType, assetId,
                purpose, label, data, prevHash, h, agentId, taskId);
    }
}
