package io.memroos.memory.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.memroos.memory.config.MemoryStartup;
import io.memroos.memory.config.ProactivePolicies;
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
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/recall}: hybrid recall and proactive recollection. */
@Path("/api/recall")
@Authenticated
@Blocking
@Tag(name = "recall")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RecallResource {

    private final Routes routes;

    RecallResource(MemoryService memory, RecallService recall, JsonWebToken jwt, ObjectMapper json,
                   ProactivePolicies policies, MemoryStartup startup) {
        this.routes = new Routes(memory, recall, jwt, json, policies, startup);
    }

    /** The shared decoding, without exposing the memory routes here. */
    static final class Routes extends MemoryRoutes {
        Routes(MemoryService memory, RecallService recall, JsonWebToken jwt, ObjectMapper json,
               ProactivePolicies policies, MemoryStartup startup) {
            super(memory, recall, jwt, json, policies, startup);
        }

        @Override
        String base() {
            return "/api/memory";
        }
    }

    @POST
    @Operation(summary = "Hybrid recall: vector + BM25 + graph neighbourhood + recency + neighbouring turns, fused; "
            + "filters on scope and metadata; explain=true shows each signal's contribution")
    @APIResponse(responseCode = "400", description = "A field or filter is invalid (named in the problem)")
    public Json.RecallJson recall(Json.RecallBody body) {
        return routes.doRecall(body);
    }

    @POST
    @Path("proactive")
    @Operation(summary = "Recollection policy: what to surface for the agent's current context")
    public Json.RecallJson proactive(Json.ProactiveBody body) {
        return routes.doProactive(body);
    }
}
