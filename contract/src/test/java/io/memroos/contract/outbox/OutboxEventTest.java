package io.memroos.contract.outbox;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutboxEventTest {

    private static OutboxEvent.Builder valid() {
        return OutboxEvent.builder().source("registry-service").type("agent.registered").actor("operator")
                .action("agent.register").asset("agent", "a1");
    }

    @Test
    void envelopeHasTheContractShape() {
        OutboxEvent e = valid().id("e-1").occurredAt(Instant.parse("2026-11-24T04:00:00.123456Z"))
                .purpose("ops").label("internal").data("{\"name\":\"x\\\"y\"}").build();
        assertEquals("{\"id\":\"e-1\",\"source\":\"registry-service\",\"type\":\"agent.registered\","
                + "\"occurredAt\":\"2026-11-24T04:00:00.123Z\",\"actor\":\"operator\",\"action\":\"agent.register\","
                + "\"asset\":{\"type\":\"agent\",\"id\":\"a1\"},\"purpose\":\"ops\",\"label\":\"internal\","
                + "\"data\":{\"name\":\"x\\\"y\"}}", e.toJson());
        assertTrue(JsonText.isObject(e.toJson()));
    }

    @Test
    void optionalFieldsAreLeftOutAndDataDefaultsToEmptyObject() {
        OutboxEvent e = valid().id("e-2").occurredAt(Instant.parse("2026-11-24T04:00:00Z")).build();
        assertEquals("{\"id\":\"e-2\",\"source\":\"registry-service\",\"type\":\"agent.registered\","
                + "\"occurredAt\":\"2026-11-24T04:00:00Z\",\"actor\":\"operator\",\"action\":\"agent.register\","
                + "\"asset\":{\"type\":\"agent\",\"id\":\"a1\"},\"data\":{}}", e.toJson());
    }

    @Test
    void builderMakesIdsAndTimes() {
        OutboxEvent a = valid().build();
        OutboxEvent b = valid().build();
        assertNotEquals(a.id(), b.id());
        assertEquals(36, a.id().length());
        assertTrue(Math.abs(a.occurredAt().toEpochMilli() - System.currentTimeMillis()) < 5000);
    }

    @Test
    void refusesBadFieldsNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> valid().source(" ").build());
        assertTrue(e.getMessage().startsWith("source"));
        e = assertThrows(IllegalArgumentException.class, () -> valid().asset("agent", null).build());
        assertTrue(e.getMessage().startsWith("assetId"));
        e = assertThrows(IllegalArgumentException.class, () -> valid().data("[1]").build());
        assertTrue(e.getMessage().startsWith("data"));
        e = assertThrows(IllegalArgumentException.class, () -> valid().data("{\"a\":").build());
        assertTrue(e.getMessage().startsWith("data"));
        e = assertThrows(IllegalArgumentException.class, () -> valid().actor("x".repeat(301)).build());
        assertTrue(e.getMessage().startsWith("actor"));
        OutboxEvent huge = valid().data("{\"a\":\"" + "x".repeat(70_000) + "\"}").build();
        assertThrows(IllegalArgumentException.class, huge::toJson);
    }
}
