package io.memroos.gateway.web;

import io.memroos.contract.Ids;

/** Request ids: accept a caller's sane token, otherwise make a time-ordered UUID. */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";

    private RequestIds() {
    }

    /** The caller's id when it is 1-128 chars of {@code [A-Za-z0-9._:-]}, else a fresh UUID. */
    public static String sanitise(String candidate) {
        return isSane(candidate) ? candidate : fresh();
    }

    /** A fresh id ({@link Ids#timeOrdered()}: no lock, no read of {@code /dev/urandom} per request). */
    static String fresh() {
        return Ids.timeOrdered();
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
