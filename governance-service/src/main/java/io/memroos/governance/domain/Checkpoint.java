package io.memroos.governance.domain;

/**
 * A signed checkpoint: the Ed25519 signature (base64) over the canonical JSON of
 * {@code {"fromSeq","hash","keyId","merkleRoot","seq","time"}}: the chain head at {@code seq}, and the Merkle
 * root of the event hashes {@code fromSeq..seq} (see {@link Merkle}).
 */
public record Checkpoint(long seq, long fromSeq, String hash, String merkleRoot, String time, String keyId,
                         String signature) {

    public String payload() {
        return "{\"fromSeq\":" + fromSeq + ",\"hash\":\"" + hash + "\",\"keyId\":\"" + keyId + "\",\"merkleRoot\":\""
                + merkleRoot + "\",\"seq\":" + seq + ",\"time\":\"" + time + "\"}";
    }
}
