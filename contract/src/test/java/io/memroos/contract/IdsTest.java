package io.memroos.contract;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdsTest {

    @Test
    void timeOrderedIdsAreVersion7UuidsThatSortByTimeAndDoNotRepeat() throws Exception {
        String first = Ids.timeOrdered();
        Thread.sleep(3);
        String later = Ids.timeOrdered();
        UUID u = UUID.fromString(first);
        assertEquals(7, u.version());
        assertEquals(2, u.variant());
        long ms = u.getMostSignificantBits() >>> 16;
        assertTrue(Math.abs(System.currentTimeMillis() - ms) < 10_000, "carries the time: " + ms);
        assertTrue(first.compareTo(later) < 0, first + " sorts before " + later);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            assertTrue(seen.add(Ids.timeOrdered()), "an id repeated");
        }
    }
}
