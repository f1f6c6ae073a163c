package io.memroos.gateway.ui;

import io.memroos.gateway.auth.Caller;
import jakarta.ws.rs.ForbiddenException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** The per-session CSRF token must come back on every console POST, as a form field or the X-CSRF-Token header. */
final class Csrf {

    static final String FIELD = "_csrf";
    static final String HEADER = "X-CSRF-Token";

    private Csrf() {
    }

    static void require(Caller caller, String field, String header) {
        String expected = caller == null ? null : caller.csrfToken();
        if (expected == null || !(matches(expected, field) || matches(expected, header))) {
            throw new ForbiddenException("missing or wrong CSRF token: reload the page and try again");
        }
    }

    static boolean matches(String expected, String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8));
    }
}
