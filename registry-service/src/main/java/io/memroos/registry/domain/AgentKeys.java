package io.memroos.registry.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** The agent key format {@code mrk_<8 hex>_<32 random bytes, base64url, no padding>} and its hash. */
public final class AgentKeys {

    static final String SCHEME = "mrk_";
    private static final Pattern FORMAT = Pattern.compile("mrk_([0-9a-f]{8})_([A-Za-z0-9_-]{43})");
    private static final SecureRandom RANDOM = new SecureRandom();

    private AgentKeys() {
    }

    static String newPrefix() {
        byte[] bytes = new byte[4];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    static String newKey(String prefix) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return SCHEME + prefix + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /** The prefix of a well-formed key, or null when the text is not a key. */
    public static String prefixOf(String key) {
        if (key == null) {
            return null;
        }
        var m = FORMAT.matcher(key);
        return m.matches() ? m.group(1) : null;
    }

    public static String sha256Hex(String key) {
        return HexFormat.of().formatHex(sha256(key));
    }

    static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Constant-time comparison of a presented key with a stored hash. */
    static boolean matches(String key, String storedHexHash) {
        byte[] stored;
        try {
            stored = HexFormat.of().parseHex(storedHexHash);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(sha256(key), stored);
    }
}
