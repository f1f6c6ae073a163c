package io.memroos.memory.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.memroos.memory.config.MemoryStartup;
import io.memroos.memory.domain.Caller;
import io.memroos.memory.domain.FilterParser;
import io.memroos.memory.domain.MemoryException;
import io.memroos.memory.domain.MemoryService;
import io.memroos.memory.domain.Recall;
import io.memroos.memory.domain.RecallService;
import io.memroos.memory.domain.RecallWeights;
import io.memroos.memory.store.Fact;
import io.memroos.memory.store.Filter;
import io.memroos.memory.store.GraphStore;
import io.memroos.memory.store.Page;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The memory routes, served under {@code /api/memory} (operator and agents) and under the agent-key shim
 * {@code /api/agent-memory} (scope implied by the key). Thin: decode, call one domain method, encode.
 */
@io.quarkus.security.Authenticated
abstract class MemoryRoutes {

    private final MemoryService memory;
    private final RecallService recall;
    private final JsonWebToken jwt;
    private final ObjectMapper json;
    private final Function<String, RecallService.ProactivePolicy> policies;
    private final MemoryStartup startup;

    MemoryRoutes(MemoryService memory, RecallService recall, JsonWebToken jwt, ObjectMapper json,
                 Function<String, RecallService.ProactivePolicy> policies, MemoryStartup startup) {
        this.memory = memory;
        this.recall = recall;
        this.jwt = jwt;
        this.json = json;
        this.policies = policies;
        this.startup = startup;
    }

    /** The base path, for Location headers. */
    abstract String base();

    /** The caller; the shim admits agents only. */
    Caller caller() {
        return Callers.of(jwt);
    }

    // ---- memories ---------------------------------------------------------------------------------------

    @POST
    @Tag(name = "memory")
    @Operation(summary = "Remember a text or chat messages (small inputs at once, large ones as a job)")
    @APIResponse(responseCode = "200", description = "Processed: the memory ids created (ADD), folded (NOOP) or changed")
    @APIResponse(responseCode = "202", description = "Queued as a job; poll the Location")
    @APIResponse(responseCode = "400", description = "A field is invalid (named in the problem)")
    @APIResponse(responseCode = "413", description = "Too large")
    public Response add(Json.AddBody body) {
        MemoryService.AddOutcome out = memory.add(caller(), Json.required(body).command());
        startup.wake();
        if (out.job() != null) {
            return Response.accepted(Json.map("jobId", out.job().id(), "status", out.job().status(),
                            "items", out.job().items()))
                    .header("Location", base() + "/jobs/" + out.job().id()).build();
        }
        return Response.ok(out.result()).build();
    }

    @GET
    @Tag(name = "memory")
    @Operation(summary = "List memories of a scope, newest first, with metadata filters and a cursor")
    public Json.PageJson<Json.MemoryJson> list(@QueryParam("agentId") String agentId, @QueryParam("userId") String userId,
                                               @QueryParam("sessionId") String sessionId,
                                               @QueryParam("filter") String filter,
                                               @QueryParam("includeInvalid") @DefaultValue("false") boolean includeInvalid,
                                               @QueryParam("cursor") String cursor,
                                               @QueryParam("limit") @DefaultValue("50") int limit) {
        Page<Fact> page = memory.list(caller(), agentId, userId, sessionId, filterParam(filter), includeInvalid, cursor,
                limit);
        return new Json.PageJson<>(page.items().stream().map(Json::memory).toList(), page.nextCursor());
    }

    @GET
    @Path("jobs/{id}")
    @Tag(name = "memory")
    @Operation(summary = "The state of a queued write")
    public Json.JobJson job(@PathParam("id") String id) {
        return Json.job(memory.job(caller(), id));
    }

    @GET
    @Path("{id}")
    @Tag(name = "memory")
    @Operation(summary = "One memory (current version); another agent's id answers 404")
    public Json.MemoryJson get(@PathParam("id") String id) {
        return Json.memory(memory.get(caller(), id));
    }

    @PUT
    @Path("{id}")
    @Tag(name = "memory")
    @Operation(summary = "Update: writes a new version; the old one stays in the history")
    public Json.MemoryJson update(@PathParam("id") String id, Json.UpdateBody body) {
        Json.UpdateBody b = Json.required(body);
        Json.MemoryJson out = Json.memory(memory.update(caller(), id, b.text(), b.metadata(), b.reason()));
        startup.wake();
        return out;
    }

    @DELETE
    @Path("{id}")
    @Tag(name = "memory")
    @Operation(summary = "Invalidate (never destroy): the memory leaves recall and stays readable with its history")
    public Json.MemoryJson invalidate(@PathParam("id") String id, @QueryParam("reason") String reason) {
        Json.MemoryJson out = Json.memory(memory.invalidate(caller(), id, reason));
        startup.wake();
        return out;
    }

    @GET
    @Path("{id}/history")
    @Tag(name = "memory")
    @Operation(summary = "Every version and invalidation of a memory, oldest first")
    public Json.HistoryJson history(@PathParam("id") String id) {
        return new Json.HistoryJson(id, memory.history(caller(), id).stream().map(Json::version).toList());
    }

    // ---- episodes ---------------------------------------------------------------------------------------

    @POST
    @Path("episodes")
    @Tag(name = "episodes")
    @Operation(summary = "Append turns or events to the episodic log")
    public Response appendEpisodes(Json.EpisodesBody body) {
        Json.EpisodesBody b = Json.required(body);
        var eps = memory.appendEpisodes(caller(), b.agentId(), b.userId(), b.sessionId(), b.messages() == null ? null
                        : b.messages().stream().map(m -> m == null ? null
                        : new io.memroos.memory.domain.AddCommand.Message(m.role(), m.content())).toList(),
                b.metadata(), b.at());
        startup.wake();
        return Response.status(201).entity(Json.map("items", eps.stream().map(Json::episode).toList())).build();
    }

    @GET
    @Path("episodes")
    @Tag(name = "episodes")
    @Operation(summary = "Search the episodic log (q, full text) or read it in order (after)")
    public Map<String, Object> episodes(@QueryParam("agentId") String agentId, @QueryParam("userId") String userId,
                                        @QueryParam("sessionId") String sessionId, @QueryParam("q") String q,
                                        @QueryParam("after") @DefaultValue("0") long after,
                                        @QueryParam("limit") @DefaultValue("50") int limit) {
        return Json.map("items", memory.episodes(caller(), agentId, userId, sessionId, q, after, limit).stream()
                .map(Json::episode).toList());
    }

    // ---- graph ------------------------------------------------------------------------------------------

    @POST
    @Path("graph/entities")
    @Tag(name = "graph")
    @Operation(summary = "Create or update an entity (keyed by scope and name)")
    public Json.EntityJson upsertEntity(Json.EntityBody body) {
        Json.EntityBody b = Json.required(body);
        return Json.entity(memory.upsertEntity(caller(), b.agentId(), b.userId(), b.name(), b.type(), b.properties()));
    }

    @GET
    @Path("graph/entities")
    @Tag(name = "graph")
    @Operation(summary = "Entities of a scope, by name prefix")
    public Map<String, Object> entities(@QueryParam("agentId") String agentId, @QueryParam("userId") String userId,
                                        @QueryParam("prefix") String prefix,
                                        @QueryParam("limit") @DefaultValue("50") int limit) {
        return Json.map("items", memory.entities(caller(), agentId, userId, prefix, limit).stream()
                .map(Json::entity).toList());
    }

    @POST
    @Path("graph/relations")
    @Tag(name = "graph")
    @Operation(summary = "Add a relation with its validity interval (entities by id, or by name)")
    public Response addRelation(Json.RelationBody body) {
        Json.RelationBody b = Json.required(body);
        var r = memory.addRelation(caller(), b.agentId(), b.userId(), b.fromId(), b.from(), b.type(), b.toId(), b.to(),
                b.validFrom(), b.validTo(), b.properties());
        return Response.status(201).entity(Json.relation(r)).build();
    }

    @GET
    @Path("graph/relations")
    @Tag(name = "graph")
    @Operation(summary = "Relations of an entity: holding now, or all (with invalidated ones) when all=true")
    public Map<String, Object> relations(@QueryParam("agentId") String agentId, @QueryParam("userId") String userId,
                                         @QueryParam("entityId") String entityId,
                                         @QueryParam("all") @DefaultValue("false") boolean all) {
        if (entityId == null || entityId.isBlank()) {
            throw MemoryException.invalid("entityId", "is required");
        }
        return Json.map("items", memory.relations(caller(), agentId, userId, entityId, all).stream()
                .map(Json::relation).toList());
    }

    @DELETE
    @Path("graph/relations/{id}")
    @Tag(name = "graph")
    @Operation(summary = "Invalidate a relation (kept, with its end time)")
    public Json.RelationJson invalidateRelation(@PathParam("id") String id) {
        return Json.relation(memory.invalidateRelation(caller(), id));
    }

    @GET
    @Path("graph/neighbourhood")
    @Tag(name = "graph")
    @Operation(summary = "Entities and relations around an entity, as of a time")
    public Map<String, Object> neighbourhood(@QueryParam("agentId") String agentId, @QueryParam("userId") String userId,
                                             @QueryParam("entityId") String entityId, @QueryParam("name") String name,
                                             @QueryParam("depth") @DefaultValue("1") int depth,
                                             @QueryParam("asOf") String asOf) {
        GraphStore.Neighbourhood n = memory.neighbourhood(caller(), agentId, userId, entityId, name, depth,
                instant(asOf, "asOf"));
        return Json.map("entities", n.entities().stream().map(Json::entity).toList(),
                "relations", n.relations().stream().map(Json::relation).toList());
    }

    // ---- recall -----------------------------------------------------------------------------------------

    Json.RecallJson doRecall(Json.RecallBody body) {
        Json.RecallBody b = Json.required(body);
        Recall.Mode mode;
        try {
            mode = b.mode() == null ? Recall.Mode.HYBRID : Recall.Mode.valueOf(b.mode().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw MemoryException.invalid("mode", "must be hybrid, vector or keyword");
        }
        Filter filter = FilterParser.parse(b.filter(), "filter");
        return Json.recall(recall.recall(caller(), new Recall.Query(b.agentId(), b.userId(), b.sessionId(), b.query(),
                b.k() == null ? 10 : b.k(), filter, mode, Boolean.TRUE.equals(b.explain()), null, b.purpose())));
    }

    Json.RecallJson doProactive(Json.ProactiveBody body) {
        Json.ProactiveBody b = Json.required(body);
        if (b.context() == null || b.context().isBlank()) {
            throw MemoryException.invalid("context", "must not be blank");
        }
        return Json.recall(recall.proactive(caller(), b.agentId(), b.userId(), b.sessionId(), b.context(),
                FilterParser.parse(b.filter(), "filter"), Boolean.TRUE.equals(b.explain()), policies));
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    Filter filterParam(String filter) {
        if (filter == null || filter.isBlank()) {
            return null;
        }
        Object parsed;
        try {
            parsed = json.readValue(filter, Object.class);
        } catch (Exception e) {
            throw MemoryException.invalid("filter", "is not well-formed JSON");
        }
        return FilterParser.parse(parsed, "filter");
    }

    static Instant instant(String s, String field) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw MemoryException.invalid(field, "must be an ISO-8601 instant");
        }
    }

    static RecallWeights weights(Json.WeightsBody w, RecallWeights d) {
        if (w == null) {
            return null;
        }
        return new RecallWeights(w.fusion() == null ? d.fusion() : w.fusion(), or(w.vector(), d.vector()),
                or(w.keyword(), d.keyword()), or(w.graph(), d.graph()), or(w.recency(), d.recency()),
                or(w.neighbours(), d.neighbours()), w.rrfK() == null ? d.rrfK() : w.rrfK(), d.halfLife(),
                w.candidates() == null ? d.candidates() : w.candidates());
    }

    private static double or(Double v, double d) {
        return v == null ? d : v;
    }
}
