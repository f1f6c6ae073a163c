package io.memroos.gateway.ui;

import io.memroos.gateway.auth.Caller;
import io.memroos.gateway.web.GatewayContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestHeader;

import java.net.URI;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The console's governance pages: Audit (search, chain status, verify), Policies (list, view, edit and
 * validate, history) and Usage (tool-attention and model-usage receipts, usage per day per agent and model
 * as an inline SVG chart). Thin: asks governance through {@link GovernanceApi}, renders a template. When
 * governance is down each page still renders, with a clear message in place of the data.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class GovernanceResource {

    private static final Pattern POLICY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final int AUDIT_PAGE = 50;

    private final GovernanceApi governance;
    private final String version;

    GovernanceResource(GovernanceApi governance,
                       @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version) {
        this.governance = governance;
        this.version = version;
    }

    // ---- audit ------------------------------------------------------------------------------------

    @GET
    @Path("audit")
    public Uni<Response> audit(RoutingContext ctx, @QueryParam("actor") String actor, @QueryParam("action") String action,
                               @QueryParam("type") String type, @QueryParam("source") String source,
                               @QueryParam("assetId") String assetId, @QueryParam("from") String from,
                               @QueryParam("to") String to, @QueryParam("cursor") String cursor) {
        String rid = GatewayContext.requestId(ctx);
        GovViews.AuditFilter filter = new GovViews.AuditFilter(nz(actor), nz(action), nz(type), nz(source), nz(assetId),
                nz(from), nz(to));
        Uni<Loaded<GovViews.AuditStatus>> status = load(governance.auditStatus(rid).map(GovViews.AuditStatus::from), null);
        Uni<Loaded<JsonObject>> events = load(governance.audit(filter.params(), cursor, AUDIT_PAGE, rid), new JsonObject());
        return Uni.combine().all().unis(status, events).asTuple().flatMap(t -> {
            List<GovViews.AuditEvent> items = GovViews.items(t.getItem2().value()).stream()
                    .map(GovViews.AuditEvent::from).toList();
            String next = t.getItem2().value().getString("nextCursor");
            boolean down = t.getItem1().down() || t.getItem2().down();
            return ConsoleResource.html(200, Templates.audit(page(ctx, "audit"), down, t.getItem1().value(),
                    t.getItem1().error(), filter, items, t.getItem2().error(), next == null ? "" : next,
                    cursor == null ? "" : cursor));
        });
    }

    @GET
    @Path("fragments/audit/verify")
    public Uni<Response> verify(RoutingContext ctx) {
        return governance.verify(GatewayContext.requestId(ctx))
                .map(j -> new Loaded<>(GovViews.VerifyResult.from(j), "", false))
                .onFailure().recoverWithItem(err -> new Loaded<>(null, message(err), err instanceof GovernanceApi.Unavailable))
                .flatMap(r -> ConsoleResource.html(200, Templates.auditVerify(r.value(), r.error())));
    }

    // ---- policies ---------------------------------------------------------------------------------

    @GET
    @Path("policies")
    public Uni<Response> policies(RoutingContext ctx, @QueryParam("saved") String saved) {
        String rid = GatewayContext.requestId(ctx);
        Uni<Loaded<GovViews.PolicySet>> current = load(governance.policySet(rid).map(GovViews.PolicySet::from),
                GovViews.PolicySet.empty());
        Uni<Loaded<List<GovViews.PolicyVersion>>> history = load(governance.history(rid)
                .map(j -> GovViews.items(j).stream().map(GovViews.PolicyVersion::from).toList()), List.of());
        return Uni.combine().all().unis(current, history).asTuple().flatMap(t -> ConsoleResource.html(200,
                Templates.policies(page(ctx, "policies"), t.getItem1().down() || t.getItem2().down(),
                        t.getItem1().value(), t.getItem1().error(), t.getItem2().value(), t.getItem2().error(),
                        nz(saved))));
    }

    @GET
    @Path("policies/new")
    public Uni<Response> newPolicy(RoutingContext ctx) {
        return ConsoleResource.html(200, Templates.policyEdit(page(ctx, "policies"), true, "", "", "",
                GovViews.Validation.none(), "", ""));
    }

    @GET
    @Path("policies/edit/{id}")
    public Uni<Response> editPolicy(RoutingContext ctx, @PathParam("id") String id, @QueryParam("saved") String saved) {
        return governance.policySet(GatewayContext.requestId(ctx)).map(GovViews.PolicySet::from)
                .flatMap(set -> {
                    GovViews.Policy p = set.find(id);
                    if (p == null) {
                        return ConsoleResource.html(404, Templates.notFound(page(ctx, "policies"), "policy " + id));
                    }
                    return ConsoleResource.html(200, Templates.policyEdit(page(ctx, "policies"), false, p.id(),
                            p.text(), "", GovViews.Validation.none(), "",
                            saved == null || saved.isBlank() ? "" : "Saved as version " + saved + "."));
                })
                .onFailure().recoverWithUni(err -> ConsoleResource.html(err instanceof GovernanceApi.Unavailable ? 503 : 502,
                        Templates.policyEdit(page(ctx, "policies"), false, id, "", "", GovViews.Validation.none(),
                                message(err), "")));
    }

    @POST
    @Path("policies/validate")
    public Uni<Response> validate(RoutingContext ctx, @RestForm(Csrf.FIELD) String csrf,
                                  @RestHeader(Csrf.HEADER) String csrfHeader, @RestForm String id,
                                  @RestForm String text) {
        Csrf.require(GatewayContext.caller(ctx), csrf, csrfHeader);
        String policyId = id == null || id.isBlank() ? "draft" : id.trim();
        return governance.validate(policyId, nz(text), GatewayContext.requestId(ctx))
                .map(GovViews.Validation::from)
                .onFailure().recoverWithItem(err -> new GovViews.Validation(true, false, List.of(message(err))))
                .flatMap(v -> ConsoleResource.html(200, Templates.policyValidation(v)));
    }

    @POST
    @Path("policies/save")
    public Uni<Response> save(RoutingContext ctx, @RestForm(Csrf.FIELD) String csrf,
                              @RestHeader(Csrf.HEADER) String csrfHeader, @RestForm String id, @RestForm String text,
                              @RestForm String comment, @RestForm String creating) {
        Csrf.require(GatewayContext.caller(ctx), csrf, csrfHeader);
        boolean isNew = "true".equals(creating);
        String policyId = nz(id).trim();
        if (!POLICY_ID.matcher(policyId).matches()) {
            return ConsoleResource.html(400, Templates.policyEdit(page(ctx, "policies"), isNew, policyId, nz(text),
                    nz(comment), GovViews.Validation.none(),
                    "id: must be 1-64 characters of letters, digits and . _ -", ""));
        }
        if (nz(text).isBlank()) {
            return ConsoleResource.html(400, Templates.policyEdit(page(ctx, "policies"), isNew, policyId, "",
                    nz(comment), GovViews.Validation.none(), "text: must not be blank", ""));
        }
        return governance.savePolicy(policyId, text, comment, GatewayContext.requestId(ctx))
                .map(saved -> Response.seeOther(URI.create("/policies/edit/" + GovernanceApi.enc(policyId)
                        + "?saved=" + saved.getLong("version", 0L))).build())
                .onFailure().recoverWithUni(err -> {
                    int status = err instanceof GovernanceApi.Refused r ? (r.status >= 500 ? 502 : r.status)
                            : err instanceof GovernanceApi.Unavailable ? 503 : 502;
                    return ConsoleResource.html(status, Templates.policyEdit(page(ctx, "policies"), isNew, policyId,
                            nz(text), nz(comment), GovViews.Validation.none(), message(err), ""));
                });
    }

    @GET
    @Path("policies/versions/{version}")
    public Uni<Response> policyVersion(RoutingContext ctx, @PathParam("version") String version) {
        long v;
        try {
            v = Long.parseLong(version);
        } catch (NumberFormatException e) {
            return ConsoleResource.html(404, Templates.notFound(page(ctx, "policies"), "policy version " + version));
        }
        return governance.version(v, GatewayContext.requestId(ctx)).map(GovViews.PolicySet::from)
                .flatMap(set -> ConsoleResource.html(200, Templates.policyVersion(page(ctx, "policies"), set, "")))
                .onFailure().recoverWithUni(err -> err instanceof GovernanceApi.Refused r && r.status == 404
                        ? ConsoleResource.html(404, Templates.notFound(page(ctx, "policies"), "policy version " + v))
                        : ConsoleResource.html(503, Templates.policyVersion(page(ctx, "policies"),
                                GovViews.PolicySet.empty(), message(err))));
    }

    // ---- receipts and usage -----------------------------------------------------------------------

    @GET
    @Path("usage")
    public Uni<Response> usage(RoutingContext ctx, @QueryParam("agentId") String agentId,
                               @QueryParam("metric") String metric) {
        String rid = GatewayContext.requestId(ctx);
        String m = "calls".equals(metric) || "cost".equals(metric) ? metric : "tokens";
        Uni<Loaded<List<GovViews.Receipt>>> tools = load(governance.records("tool-attention", agentId, 50, rid)
                .map(j -> GovViews.items(j).stream().map(GovViews.Receipt::from).toList()), List.of());
        Uni<Loaded<List<GovViews.Receipt>>> models = load(governance.records("model-usage", agentId, 50, rid)
                .map(j -> GovViews.items(j).stream().map(GovViews.Receipt::from).toList()), List.of());
        Uni<Loaded<GovViews.Chart>> chart = load(governance.aggregate("model-usage", "day,agent,model", agentId, rid)
                .map(j -> GovViews.usageChart(j, m)), GovViews.usageChart(new JsonObject(), m));
        return Uni.combine().all().unis(tools, models, chart).asTuple().flatMap(t -> ConsoleResource.html(200,
                Templates.usage(page(ctx, "usage"), t.getItem1().down() || t.getItem2().down() || t.getItem3().down(),
                        nz(agentId), m, t.getItem3().value(), t.getItem3().error(), t.getItem1().value(),
                        t.getItem1().error(), t.getItem2().value(), t.getItem2().error())));
    }

    // ---- shared -----------------------------------------------------------------------------------

    private static <T> Uni<Loaded<T>> load(Uni<T> call, T fallback) {
        return call.map(v -> new Loaded<>(v, "", false))
                .onFailure().recoverWithItem((Function<Throwable, Loaded<T>>) err ->
                        new Loaded<>(fallback, message(err), err instanceof GovernanceApi.Unavailable));
    }

    static String message(Throwable err) {
        if (err instanceof GovernanceApi.Unavailable) {
            return GovernanceApi.UNAVAILABLE;
        }
        if (err instanceof GovernanceApi.Refused r) {
            return "Governance refused (" + r.status + "): " + r.getMessage();
        }
        return "Governance could not answer: " + err.getMessage();
    }

    private record Loaded<T>(T value, String error, boolean down) {
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private Views.Page page(RoutingContext ctx, String active) {
        Caller caller = GatewayContext.caller(ctx);
        return new Views.Page(active, caller == null || caller.csrfToken() == null ? "" : caller.csrfToken(), version);
    }
}
