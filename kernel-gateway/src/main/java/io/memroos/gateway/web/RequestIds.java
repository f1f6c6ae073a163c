package io.memroos.gateway.web;

import java.util.UUID;
import java.util.regex.Pattern;

/** Request ids: accept a caller's sane token, otherwise make a UUID. */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";

    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private RequestIds() {
    }

    /** The caller's id when it is 1-128 chars of {@code [A-Za-z0-9._:-]}, else a fresh UUID. */
    public static String sanitise(String candidate) {
        if (candidate != null && SANE.matcher(candidate).matches()) {
            return candidate;
        }
        return UUID.randomUUID().toString();
    }
}
