package io.memroos.governance.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.memroos.governance.domain.Caller;
import io.memroos.governance.domain.EvidenceService;
import io.memroos.governance.domain.GovException;
import io.memroos.governance.domain.Times;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Set;

/** Signed evidence bundles (operator). */
@Path("/api/evidence")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "evidence")
@Blocking
@RolesAllowed("operator")
public class EvidenceResource {

    private final EvidenceService evidence;
    private final JsonWebToken jwt;

    EvidenceResource(EvidenceService evidence, JsonWebToken jwt) {
        this.evidence = evidence;
        this.jwt = jwt;
    }

    @POST
    @Operation(summary = "Build a signed evidence bundle for a scope",
            description = "Body {agentId?, taskId?, from?, to?}. The bundle holds the audit events in scope, their "
                    + "receipts and decisions, the signed checkpoints with a Merkle proof per event, and a signed "
                    + "manifest; `./memroos evidence verify FILE` checks it offline.")
    public ObjectNode build(JsonNode body) {
        Caller c = Callers.of(jwt);
        c.mustBeOperator("export evidence");
        JsonNode b = body == null ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode() : body;
        PolicyResource.object(b, Set.of("agentId", "taskId", "from", "to"));
        return evidence.build(text(b, "agentId"), text(b, "taskId"), Times.parse("from", text(b, "from")),
                Times.parse("to", text(b, "to")), c);
    }

    private static String text(JsonNode b, String name) {
        JsonNode v = b.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() || v.textValue().isBlank() || v.textValue().length() > 200) {
            throw GovException.invalid(name, "must be a non-blank string of at most 200 characters");
        }
        return v.textValue();
    }
}
