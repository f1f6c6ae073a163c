package io.memroos.memory.api;

import io.memroos.memory.domain.Caller;
import io.memroos.memory.domain.EvalService;
import io.memroos.memory.domain.MemoryException;
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

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;

/** {@code /api/memory/evals}: recall evaluation (operator only). */
@Path("/api/memory/evals")
@Authenticated
@Blocking
@Tag(name = "evals")
@Produces(MediaType.APPLICATION_JSON)
public class EvalResource {

    static final String SHIPPED = "memroos-conversations";
    private static final Pattern SET_NAME = Pattern.compile("[a-z0-9-]{1,64}");

    private final EvalService evals;
    private final RecallService recall;
    private final JsonWebToken jwt;

    EvalResource(EvalService evals, RecallService recall, JsonWebToken jwt) {
        this.evals = evals;
        this.recall = recall;
        this.jwt = jwt;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Evaluate recall on a shipped set ({\"set\":\"memroos-conversations\"}) or on a JSONL set "
            + "given inline ({\"jsonl\":...}), optionally with fusion weights to try")
    public Map<String, Object> run(Json.EvalBody body) {
        Json.EvalBody b = Json.required(body);
        Caller caller = Callers.of(jwt);
        caller.mustBeOperator("run recall evaluations");
        String jsonl;
        String name;
        if (b.jsonl() != null) {
            jsonl = b.jsonl();
            name = "inline";
        } else {
            name = b.set() == null ? SHIPPED : b.set();
            jsonl = shipped(name);
        }
        Map<String, Object> report = evals.run(caller, jsonl, MemoryRoutes.weights(b.weights(), recall.defaults()));
        report.put("set", name);
        return report;
    }

    @POST
    @Consumes({"application/x-ndjson", "application/jsonl", MediaType.TEXT_PLAIN})
    @Operation(summary = "Evaluate recall on a JSONL set sent as the body")
    public Map<String, Object> runJsonl(String body) {
        Caller caller = Callers.of(jwt);
        caller.mustBeOperator("run recall evaluations");
        Map<String, Object> report = evals.run(caller, body, null);
        report.put("set", "upload");
        return report;
    }

    static String shipped(String name) {
        if (!SET_NAME.matcher(name).matches()) {
            throw MemoryException.invalid("set", "unknown set " + name);
        }
        try (InputStream in = EvalResource.class.getResourceAsStream("/evals/" + name + ".jsonl")) {
            if (in == null) {
                throw MemoryException.invalid("set", "unknown set " + name + " (shipped: " + SHIPPED + ")");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw MemoryException.unavailable("cannot read set " + name);
        }
    }
}
