package io.memroos.gateway.web;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Request ids: accept a caller's sane token, otherwise make a UUID. */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";

    private RequestIds() {
    }

    /** The caller's id when it is 1-128 chars of {@code [A-Za-z0-9._:-]}, else a fresh UUID. */
    public static String sanitise(String candidate) {
        return isSane(candidate) ? candidate : fresh();
    }

    /**
     * A random (version 4 shaped) UUID from {@link ThreadLocalRandom}. A request id is a correlation
     * label, not a secret: {@link UUID#randomUUID()} would take a lock and read {@code /dev/urandom}
     * through SecureRandom on every request without an id.
     */
    static String fresh() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long msb = (random.nextLong() & ~0xF000L) | 0x4000L;                       // version 4
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
        return new UUID(msb, lsb).toString();
    }

    /** 1-128 characters of {@code [A-Za-z0-9._:-]} (a loop: this runs on every request). */
    static boolean isSane(String id) {
        if (id == null || id.isEmpty() || id.length() > 128) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == ':' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
