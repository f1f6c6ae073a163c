package io.memroos.registry.domain;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Random identifiers with a type prefix: {@code agt_...} for agents, {@code key_...} for keys. */
final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    static String agent() {
        return "agt_" + random(10);
    }

    static String key() {
        return "key_" + random(10);
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
