package io.memroos.memory.fleet;

import io.memroos.memory.store.IndexDoc;
import io.memroos.memory.store.Scope;
import io.qdrant.client.grpc.JsonWithInt.Value;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Point ids and payloads. */
class QdrantPointsTest {

    @Test
    void pointIdsAreStableNameBasedUuids() {
        UUID a = QdrantPoints.pointId("mem_abc");
        assertEquals(a, QdrantPoints.pointId("mem_abc"), "the same fact always maps to the same point");
        assertEquals(3, a.version(), "name-based");
        assertEquals(UUID.nameUUIDFromBytes("memroos-fact:mem_abc".getBytes(java.nio.charset.StandardCharsets.UTF_8)), a);
        assertEquals(a.toString(), QdrantPoints.grpcId("mem_abc").getUuid());
        Set<UUID> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(QdrantPoints.pointId("mem_" + i));
        }
        assertEquals(10_000, ids.size());
        assertFalse(ids.contains(QdrantPoints.META_POINT), "no fact id maps onto the meta point");
        assertNotEquals(QdrantPoints.META_POINT, QdrantPoints.pointId("memroos-index-meta"));
        assertNotEquals(QdrantPoints.pointId("Mem_abc"), a, "ids are case-sensitive");
    }

    @Test
    void thePayloadCarriesIdScopeTimeMetadataAndShadows() {
        IndexDoc d = new IndexDoc("mem_1", new Scope("agent-1", "Ann", null), "text", new float[]{1, 0}, 1234L,
                Map.of("topic", "Travel", "stars", 5, "tags", List.of("Paris", 2), "done", true, "nested", Map.of("x", 1)));
        Map<String, Value> p = QdrantPoints.payload(d);
        assertEquals("mem_1", p.get("id").getStringValue());
        assertEquals("agent-1", p.get("agentId").getStringValue());
        assertEquals("Ann", p.get("userId").getStringValue());
        assertFalse(p.containsKey("sessionId"), "no session: no key (a missing value is never equal)");
        assertEquals(1234L, p.get("createdAt").getIntegerValue());
        Map<String, Value> meta = p.get("metadata").getStructValue().getFieldsMap();
        assertEquals("Travel", meta.get("topic").getStringValue());
        assertEquals(5.0, meta.get("stars").getDoubleValue(), "numbers are floats");
        assertTrue(meta.get("done").getBoolValue());
        assertEquals(2, meta.get("tags").getListValue().getValuesCount());
        assertFalse(meta.containsKey("nested"), "maps are not filterable");
        Map<String, Value> lc = p.get("lc").getStructValue().getFieldsMap();
        assertEquals("ann", lc.get("userId").getStringValue());
        Map<String, Value> metaLc = lc.get("metadata").getStructValue().getFieldsMap();
        assertEquals("travel", metaLc.get("topic").getStringValue());
        assertEquals("5", metaLc.get("stars").getStringValue());
        assertEquals(List.of("paris", "2"), metaLc.get("tags").getListValue().getValuesList().stream()
                .map(Value::getStringValue).toList());
    }
}
