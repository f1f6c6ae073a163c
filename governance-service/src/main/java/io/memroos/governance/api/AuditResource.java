package io.memroos.governance.api;

import io.memroos.governance.config.GovConfig;
import io.memroos.governance.domain.AuditLog;
import io.memroos.governance.domain.AuditQuery;
import io.memroos.governance.domain.Caller;
import io.memroos.governance.domain.ChainVerifier;
import io.memroos.governance.domain.GovernanceStore;
import io.memroos.governance.domain.Page;
import io.memroos.governance.domain.Signer;
import io.memroos.governance.domain.Times;
import io.memroos.governance.domain.AuditEvent;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The audit log, for the operator: search, verify, status, public key. */
@Path("/api/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "audit")
@Blocking
@RolesAllowed("operator")
public class AuditResource {

    private final GovernanceStore store;
    private final AuditLog log;
    private final ChainVerifier verifier;
    private final Signer signer;
    private final GovConfig config;
    private final JsonWebToken jwt;
    private final RecordResource records;

    AuditResource(GovernanceStore store, AuditLog log, ChainVerifier verifier, Signer signer, GovConfig config,
                  JsonWebToken jwt, RecordResource records) {
        this.records = records;
        this.store = store;
        this.log = log;
        this.verifier = verifier;
        this.signer = signer;
        this.config = config;
        this.jwt = jwt;
    }

    @GET
    @Operation(summary = "Search the audit log",
            description = "Filters: actor, action, assetType, assetId, type, source, agentId, taskId, from, to "
                    + "(ISO-8601, to exclusive, on recordedAt). Oldest first; pass nextCursor as cursor.")
    public Views.EventPage list(@QueryParam("actor") String actor, @QueryParam("action") String action,
                                @QueryParam("assetType") String assetType, @QueryParam("assetId") String assetId,
                                @QueryParam("type") String type, @QueryParam("source") String source,
                                @QueryParam("agentId") String agentId, @QueryParam("taskId") String taskId,
                                @QueryParam("from") String from, @QueryParam("to") String to,
                                @QueryParam("cursor") String cursor, @QueryParam("limit") Integer limit) {
        Callers.of(jwt).mustBeOperator("read the audit log");
        int n = Params.limit(limit, config.limits().defaultPageSize(), config.limits().maxPageSize());
        Page<AuditEvent> page = store.audit(new AuditQuery(blank(actor), blank(action), blank(assetType), blank(assetId),
                blank(type), blank(source), Times.parse("from", from), Times.parse("to", to), blank(agentId),
                blank(taskId), Params.cursor(cursor), n));
        return new Views.EventPage(page.items().stream().map(Views::event).toList(), page.nextCursor());
    }

    @GET
    @Path("/verify")
    @Operation(summary = "Verify the whole chain and every checkpoint signature",
            description = "ok=false names the first bad event (seq, eventId) and why: missing-event, broken-link, "
                    + "hash-mismatch, bad-checkpoint-signature, checkpoint-mismatch.")
    public Views.VerifyJson verify() {
        Callers.of(jwt).mustBeOperator("verify the audit log");
        return Views.verify(verifier.verify());
    }

    @GET
    @Path("/status")
    @Operation(summary = "Head of the chain, last checkpoint, last verification")
    public Views.StatusJson status() {
        Callers.of(jwt).mustBeOperator("read the audit status");
        AuditEvent head = store.head();
        return new Views.StatusJson(head == null ? 0 : head.seq(), head == null ? null : head.hash(), store.count(),
                Views.checkpoint(store.lastCheckpoint()), store.meta("lastVerify").orElse(null), signer.keyId());
    }

    @GET
    @Path("/public-key")
    @Produces({"application/x-pem-file", MediaType.TEXT_PLAIN})
    @Operation(summary = "The Ed25519 public key checkpoints and bundles are signed with (X.509 PEM)")
    public Response publicKey() {
        Caller c = Callers.of(jwt);
        c.mustBeOperator("read the audit public key");
        return Response.ok(signer.publicPem()).type("application/x-pem-file").header("X-Key-Id", signer.keyId()).build();
    }

    @GET
    @Path("/checkpoints")
    @Operation(summary = "Every signed checkpoint, oldest first")
    public java.util.List<Views.CheckpointJson> checkpoints() {
        Callers.of(jwt).mustBeOperator("read checkpoints");
        log.headSeq();
        return store.checkpoints().stream().map(Views::checkpoint).toList();
    }

    @GET
    @Path("/memory-receipts")
    @RolesAllowed({"operator", "agent"})
    @Operation(summary = "Memory receipts (from memory.receipt events); an agent sees only its own")
    public Views.RecordPage memoryReceipts(@QueryParam("agentId") String agentId, @QueryParam("taskId") String taskId,
                                           @QueryParam("op") String op, @QueryParam("from") String from,
                                           @QueryParam("to") String to, @QueryParam("cursor") String cursor,
                                           @QueryParam("limit") Integer limit) {
        return records.page(io.memroos.governance.domain.Record.Kind.MEMORY_RECEIPT, agentId, taskId, null, null, null,
                op, from, to, cursor, limit);
    }

    static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
