package io.memroos.memory.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.memroos.memory.config.MemoryStartup;
import io.memroos.memory.config.ProactivePolicies;
import io.memroos.memory.domain.Caller;
import io.memroos.memory.domain.MemoryException;
import io.memroos.memory.domain.MemoryService;
import io.memroos.memory.domain.RecallService;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/agent-memory}: the agent-key shim. The same operations as {@code /api/memory}, plus
 * {@code recall} and {@code recall/proactive}; the scope is the calling agent's, implied by its key.
 */
@Path("/api/agent-memory")
@Authenticated
@Blocking
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AgentMemoryResource extends MemoryRoutes {

    AgentMemoryResource(MemoryService memory, RecallService recall, JsonWebToken jwt, ObjectMapper json,
                        ProactivePolicies policies, MemoryStartup startup) {
        super(memory, recall, jwt, json, policies, startup);
    }

    @Override
    String base() {
        return "/api/agent-memory";
    }

    @Override
    Caller caller() {
        Caller c = super.caller();
        if (c.role() != Caller.Role.AGENT) {
            throw MemoryException.forbidden("/api/agent-memory is for agent keys; operators use /api/memory");
        }
        return c;
    }

    @POST
    @Path("recall")
    @Tag(name = "recall")
    @Operation(summary = "Hybrid recall in the calling agent's memory")
    public Json.RecallJson recall(Json.RecallBody body) {
        return doRecall(body);
    }

    @POST
    @Path("recall/proactive")
    @Tag(name = "recall")
    @Operation(summary = "What to surface for the agent's current context")
    public Json.RecallJson proactive(Json.ProactiveBody body) {
        return doProactive(body);
    }
}
