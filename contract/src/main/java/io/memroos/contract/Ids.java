package io.memroos.contract;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Identifiers the services mint. */
public final class Ids {

    private Ids() {
    }

    /**
     * A time-ordered id (UUID version 7: 48 bits of epoch milliseconds, then 74 random bits). A B-tree index on such
     * ids grows at its end, like a sequence, instead of taking a random page per insert. The random bits come from
     * {@link ThreadLocalRandom} (no lock, no system call): these ids name things, they never grant access; every
     * service checks who may see what it names.
     */
    public static String timeOrdered() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long ms = System.currentTimeMillis();
        long hi = (ms << 16) | 0x7000L | (r.nextLong() & 0x0FFFL);
        long lo = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(hi, lo).toString();
    }
}
