package io.memroos.bus.domain;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Random identifiers with a type prefix: {@code msg_}, {@code rcp_}, {@code evt_}. */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    public static String message() {
        return "msg_" + random(12);
    }

    public static String receipt() {
        return "rcp_" + random(12);
    }

    public static String event() {
        return "evt_" + random(12);
    }

    public static String secret() {
        return "whs_" + random(24);
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
