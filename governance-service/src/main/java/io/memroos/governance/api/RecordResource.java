package io.memroos.governance.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.memroos.governance.config.GovConfig;
import io.memroos.governance.domain.Caller;
import io.memroos.governance.domain.GovException;
import io.memroos.governance.domain.Page;
import io.memroos.governance.domain.Record;
import io.memroos.governance.domain.RecordQuery;
import io.memroos.governance.domain.RecordService;
import io.memroos.governance.domain.Times;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Arrays;
import java.util.List;

/**
 * Receipts and telemetry: {@code /api/tool-attention}, {@code /api/model-routing}, {@code /api/model-usage},
 * {@code /api/efficiency}, and the memory receipts (read only) under {@code /api/audit/memory-receipts}. An
 * agent writes and reads only its own; the operator reads all.
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "receipts")
@Blocking
@RolesAllowed({"operator", "agent"})
public class RecordResource {

    private static final String KINDS = "tool-attention|model-routing|model-usage|efficiency";

    private final RecordService records;
    private final GovConfig config;
    private final JsonWebToken jwt;

    RecordResource(RecordService records, GovConfig config, JsonWebToken jwt) {
        this.records = records;
        this.config = config;
        this.jwt = jwt;
    }

    @POST
    @Path("/{kind: " + KINDS + "}")
    @Operation(summary = "Write a receipt or telemetry record (as the calling agent)")
    public Response write(@PathParam("kind") String kind, JsonNode body) {
        Record r = records.write(Record.Kind.of(kind), Params.required(body), Callers.of(jwt));
        return Response.status(201).entity(Views.record(r)).build();
    }

    @GET
    @Path("/{kind: " + KINDS + "}")
    @Operation(summary = "List records (an agent: its own only)")
    public Views.RecordPage list(@PathParam("kind") String kind, @QueryParam("agentId") String agentId,
                                 @QueryParam("taskId") String taskId, @QueryParam("model") String model,
                                 @QueryParam("provider") String provider, @QueryParam("tool") String tool,
                                 @QueryParam("outcome") String outcome, @QueryParam("from") String from,
                                 @QueryParam("to") String to, @QueryParam("cursor") String cursor,
                                 @QueryParam("limit") Integer limit) {
        return page(Record.Kind.of(kind), agentId, taskId, model, provider, tool, outcome, from, to, cursor, limit);
    }

    @GET
    @Path("/{kind: " + KINDS + "}/aggregate")
    @Operation(summary = "Aggregates grouped by some of day, agent, model, provider, tool, outcome",
            description = "e.g. /api/model-usage/aggregate?by=day,agent,model&from=2026-11-01&to=2026-12-01")
    public Views.AggregatePage aggregate(@PathParam("kind") String kind, @QueryParam("by") String by,
                                         @QueryParam("agentId") String agentId, @QueryParam("model") String model,
                                         @QueryParam("from") String from, @QueryParam("to") String to) {
        Caller c = Callers.of(jwt);
        List<String> groups = by == null || by.isBlank() ? List.of()
                : Arrays.stream(by.split(",")).map(String::strip).filter(s -> !s.isEmpty()).distinct().toList();
        RecordQuery q = new RecordQuery(Record.Kind.of(kind), c.agentScope(AuditResource.blank(agentId)), null,
                AuditResource.blank(model), null, null, null, Times.parse("from", from), Times.parse("to", to), 0, 0);
        return new Views.AggregatePage(groups, records.aggregate(q, groups).stream().map(Views::aggregate).toList());
    }

    Views.RecordPage page(Record.Kind kind, String agentId, String taskId, String model, String provider,
                                  String tool, String outcome, String from, String to, String cursor, Integer limit) {
        Caller c = Callers.of(jwt);
        if (c.role() == Caller.Role.SERVICE) {
            throw GovException.forbidden("service tokens may call only /internal routes");
        }
        int n = Params.limit(limit, config.limits().defaultPageSize(), config.limits().maxPageSize());
        Page<Record> page = records.list(new RecordQuery(kind, c.agentScope(AuditResource.blank(agentId)),
                AuditResource.blank(taskId), AuditResource.blank(model), AuditResource.blank(provider),
                AuditResource.blank(tool), AuditResource.blank(outcome), Times.parse("from", from), Times.parse("to", to),
                Params.cursor(cursor), n));
        return new Views.RecordPage(page.items().stream().map(Views::record).toList(), page.nextCursor());
    }
}
