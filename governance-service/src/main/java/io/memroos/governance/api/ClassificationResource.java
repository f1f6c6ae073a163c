package io.memroos.governance.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.memroos.governance.config.GovConfig;
import io.memroos.governance.domain.AssetLabel;
import io.memroos.governance.domain.Caller;
import io.memroos.governance.domain.GovException;
import io.memroos.governance.domain.Labels;
import io.memroos.governance.domain.Page;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Classification labels of assets (operator): set, read, list; derived assets inherit the highest label. */
@Path("/api/classification")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "classification")
@Blocking
@RolesAllowed("operator")
public class ClassificationResource {

    @RegisterForReflection
    record LabelsJson(List<String> labels) {
    }

    private final Labels labels;
    private final GovConfig config;
    private final JsonWebToken jwt;

    ClassificationResource(Labels labels, GovConfig config, JsonWebToken jwt) {
        this.labels = labels;
        this.config = config;
        this.jwt = jwt;
    }

    @GET
    @Path("/labels")
    @Operation(summary = "The configured labels, least sensitive first")
    public LabelsJson order() {
        Callers.of(jwt).mustBeOperator("read labels");
        return new LabelsJson(labels.order());
    }

    @GET
    @Path("/assets")
    @Operation(summary = "Classified assets, optionally of one type or effective label")
    public Views.LabelPage list(@QueryParam("type") String type, @QueryParam("label") String label,
                                @QueryParam("cursor") String cursor, @QueryParam("limit") Integer limit) {
        Callers.of(jwt).mustBeOperator("read labels");
        int n = Params.limit(limit, config.limits().defaultPageSize(), config.limits().maxPageSize());
        Page<AssetLabel> page = labels.list(AuditResource.blank(type), AuditResource.blank(label),
                AuditResource.blank(cursor), n);
        return new Views.LabelPage(page.items().stream().map(Views::label).toList(), page.nextCursor());
    }

    @GET
    @Path("/assets/{type}/{id}")
    @Operation(summary = "The label of one asset (effective, explicit, sources)")
    public Views.LabelJson get(@PathParam("type") String type, @PathParam("id") String id) {
        Callers.of(jwt).mustBeOperator("read labels");
        return Views.label(labels.get(type, id));
    }

    @PUT
    @Path("/assets/{type}/{id}")
    @Operation(summary = "Set the label and/or sources of an asset",
            description = "Body {label?, derivedFrom?: [{type, id}]}: the effective label is the highest of the label "
                    + "and every source's; assets derived from this one are updated too.")
    public Views.LabelJson set(@PathParam("type") String type, @PathParam("id") String id, JsonNode body) {
        Caller c = Callers.of(jwt);
        c.mustBeOperator("set labels");
        PolicyResource.object(body, Set.of("label", "derivedFrom"));
        JsonNode l = body.get("label");
        if (l != null && !l.isNull() && !l.isTextual()) {
            throw GovException.invalid("label", "must be a string");
        }
        List<AssetLabel.AssetRef> sources = new ArrayList<>();
        JsonNode d = body.get("derivedFrom");
        if (d != null && !d.isNull()) {
            if (!d.isArray()) {
                throw GovException.invalid("derivedFrom", "must be an array of {type, id}");
            }
            for (int i = 0; i < d.size(); i++) {
                JsonNode s = d.get(i);
                if (!s.isObject() || !s.path("type").isTextual() || !s.path("id").isTextual()) {
                    throw GovException.invalid("derivedFrom[" + i + "]", "must be {type, id}");
                }
                sources.add(new AssetLabel.AssetRef(s.get("type").textValue(), s.get("id").textValue()));
            }
        }
        return Views.label(labels.set(type, id, l == null || l.isNull() ? null : l.textValue(), sources, c));
    }
}
