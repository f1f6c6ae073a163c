package io.memroos.gateway.web;

import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class RequestIdsTest {

    @Test
    void keepsASaneCallerToken() {
        assertEquals("abc-123", RequestIds.sanitise("abc-123"));
        assertEquals("trace:01.ABC_x", RequestIds.sanitise("trace:01.ABC_x"));
        String max = "a".repeat(128);
        assertEquals(max, RequestIds.sanitise(max));
    }

    @Test
    void replacesMissingOrMalformedIdsWithAUuid() {
        for (String bad : new String[] {null, "", "has space", "new\nline", "<script>", "a".repeat(129), "ünïcode", "x;y"}) {
            String id = RequestIds.sanitise(bad);
            assertNotEquals(bad, id);
            assertDoesNotThrow(() -> UUID.fromString(id), "a UUID for " + bad);
        }
    }
}
