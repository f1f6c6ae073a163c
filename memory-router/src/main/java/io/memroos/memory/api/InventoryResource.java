package io.memroos.memory.api;

import io.memroos.memory.config.MemoryStartup;
import io.memroos.memory.domain.Caller;
import io.memroos.memory.domain.MemoryIndexer;
import io.memroos.memory.store.GraphStore;
import io.memroos.memory.store.InventoryRow;
import io.memroos.memory.store.MemoryStore;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** {@code /api/memory-inventory}: what is stored, per scope and kind, and whether the index matches the records. */
@Path("/api/memory-inventory")
@Authenticated
@Blocking
@Tag(name = "inventory")
@Produces(MediaType.APPLICATION_JSON)
public class InventoryResource {

    private final MemoryStore store;
    private final GraphStore graph;
    private final MemoryIndexer indexer;
    private final MemoryStartup startup;
    private final JsonWebToken jwt;

    InventoryResource(MemoryStore store, GraphStore graph, MemoryIndexer indexer, MemoryStartup startup,
                      JsonWebToken jwt) {
        this.store = store;
        this.graph = graph;
        this.indexer = indexer;
        this.startup = startup;
        this.jwt = jwt;
    }

    @GET
    @Operation(summary = "Counts and sizes per scope (agent, user) and kind, oldest/newest, index health; an agent "
            + "sees its own scope, the operator every agent or the one named")
    public Map<String, Object> inventory(@QueryParam("agentId") String agentId) {
        Caller caller = Callers.of(jwt);
        caller.mustNotBeService();
        String agent = caller.isOperator() ? (agentId == null || agentId.isBlank() ? null : agentId)
                : caller.agentFor(agentId);
        List<InventoryRow> rows = new ArrayList<>(store.inventory(agent));
        rows.addAll(graph.inventory(agent));
        rows.sort(Comparator.comparing(InventoryRow::agentId).thenComparing(r -> r.userId() == null ? "" : r.userId())
                .thenComparing(InventoryRow::kind));
        long total = rows.stream().filter(r -> r.kind().equals("fact")).mapToLong(InventoryRow::count).sum();
        Map<String, Object> out = Json.map("scopes", rows, "activeMemories", total);
        if (caller.isOperator()) {
            out.put("index", indexer.health());
            out.put("receipts", startup.outboxStats());
        } else {
            MemoryIndexer.Health h = indexer.health();
            out.put("index", Map.of("model", h.model(), "dimension", h.dimension(), "inSync", h.inSync()));
        }
        return out;
    }
}
