package io.memroos.memory.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.memroos.memory.config.MemoryStartup;
import io.memroos.memory.config.ProactivePolicies;
import io.memroos.memory.domain.MemoryService;
import io.memroos.memory.domain.RecallService;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** {@code /api/memory}: the operator (naming {@code agentId}) and agents (their own scope). */
@Path("/api/memory")
@Authenticated
@Blocking
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class MemoryResource extends MemoryRoutes {

    MemoryResource(MemoryService memory, RecallService recall, JsonWebToken jwt, ObjectMapper json,
                   ProactivePolicies policies, MemoryStartup startup) {
        super(memory, recall, jwt, json, policies, startup);
    }

    @Override
    String base() {
        return "/api/memory";
    }
}
