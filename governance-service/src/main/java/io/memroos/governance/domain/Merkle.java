package io.memroos.governance.domain;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * The Merkle tree a checkpoint signs over the event hashes it covers: a leaf is SHA-256(0x00 || event hash
 * bytes), an inner node SHA-256(0x01 || left || right); a level with an odd count carries its last node up
 * unchanged. A proof lists the sibling hashes from the leaf up, each with its side ({@code L}: the sibling is
 * on the left).
 */
public final class Merkle {

    /** One step of an inclusion proof. */
    public record Step(String side, String hash) {
    }

    private Merkle() {
    }

    public static String root(List<String> eventHashes) {
        if (eventHashes.isEmpty()) {
            return Canonical.hex(Canonical.sha256(new byte[0]));
        }
        List<byte[]> level = leaves(eventHashes);
        MessageDigest md = Canonical.digest();
        while (level.size() > 1) {
            level = up(level, md);
        }
        return Canonical.hex(level.get(0));
    }

    public static List<Step> proof(List<String> eventHashes, int index) {
        List<byte[]> level = leaves(eventHashes);
        MessageDigest md = Canonical.digest();
        List<Step> steps = new ArrayList<>();
        int i = index;
        while (level.size() > 1) {
            int sibling = i ^ 1;
            if (sibling < level.size()) {
                steps.add(new Step((i & 1) == 1 ? "L" : "R", Canonical.hex(level.get(sibling))));
            }
            level = up(level, md);
            i >>= 1;
        }
        return steps;
    }

    /** The root a proof leads to from one event hash. */
    public static String fold(String eventHash, List<Step> steps) {
        MessageDigest md = Canonical.digest();
        byte[] node = leaf(Canonical.unhex(eventHash), md);
        for (Step s : steps) {
            byte[] other = Canonical.unhex(s.hash());
            node = "L".equals(s.side()) ? node(other, node, md) : node(node, other, md);
        }
        return Canonical.hex(node);
    }

    private static List<byte[]> leaves(List<String> hashes) {
        MessageDigest md = Canonical.digest();
        List<byte[]> out = new ArrayList<>(hashes.size());
        for (String h : hashes) {
            out.add(leaf(Canonical.unhex(h), md));
        }
        return out;
    }

    private static List<byte[]> up(List<byte[]> level, MessageDigest md) {
        List<byte[]> next = new ArrayList<>((level.size() + 1) / 2);
        for (int i = 0; i < level.size(); i += 2) {
            next.add(i + 1 < level.size() ? node(level.get(i), level.get(i + 1), md) : level.get(i));
        }
        return next;
    }

    private static byte[] leaf(byte[] hash, MessageDigest md) {
        md.reset();
        md.update((byte) 0);
        md.update(hash);
        return md.digest();
    }

    private static byte[] node(byte[] left, byte[] right, MessageDigest md) {
        md.reset();
        md.update((byte) 1);
        md.update(left);
        md.update(right);
        return md.digest();
    }
}
