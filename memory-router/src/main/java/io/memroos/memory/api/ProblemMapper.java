package io.memroos.memory.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.memroos.contract.Problem;
import io.memroos.memory.domain.MemoryException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;

/** Every error the bus returns is a problem+json body; no stack trace ever leaves the process. */
class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    Response bus(MemoryException e, ContainerRequestContext request) {
        return switch (e.kind()) {
            case INVALID -> invalid(request, e.field(), e.getMessage());
            case NOT_FOUND -> fieldProblem(request, 404, "not-found", "Not found", e);
            case CONFLICT -> fieldProblem(request, 409, "conflict", "Conflict", e);
            case FORBIDDEN -> problem(request, 403, "forbidden", "Forbidden", e.detail());
            case UNAUTHORIZED -> challenge(problem(request, 401, "unauthorized", "Unauthorized", e.detail()));
            case TOO_LARGE -> fieldProblem(request, 413, "payload-too-large", "Payload too large", e);
            case UNAVAILABLE -> Response.fromResponse(problem(request, 503, "dependency-unavailable",
                    "Service unavailable", e.detail())).header("Retry-After", "2").build();
        };
    }

    @ServerExceptionMapper
    Response store(io.memroos.memory.store.StoreException e, ContainerRequestContext request) {
        if (e.kind() == io.memroos.memory.store.StoreException.Kind.UNAVAILABLE) {
            LOG.errorf(e, "backend failure on %s %s", request.getMethod(), request.getUriInfo().getPath());
        }
        return bus(MemoryException.of(e), request);
    }

    @ServerExceptionMapper
    Response unknownProperty(UnrecognizedPropertyException e, ContainerRequestContext request) {
        return invalid(request, path(e), "unknown property");
    }

    @ServerExceptionMapper
    Response mismatchedInput(MismatchedInputException e, ContainerRequestContext request) {
        String field = path(e);
        if (field.isEmpty()) {
            return invalid(request, "body", "must be a JSON object of the documented shape");
        }
        String type = e.getTargetType() == null ? "value" : e.getTargetType().getSimpleName();
        return invalid(request, field, "has the wrong type (expected " + typeName(type) + ")");
    }

    @ServerExceptionMapper
    Response mapping(JsonMappingException e, ContainerRequestContext request) {
        String field = path(e);
        Throwable cause = e.getCause();
        if (cause instanceof MemoryException re) {
            return bus(field.isEmpty() ? re : re.under(""), request);
        }
        return invalid(request, field.isEmpty() ? "body" : field, "is not valid");
    }

    @ServerExceptionMapper
    Response malformed(JsonProcessingException e, ContainerRequestContext request) {
        return problem(request, 400, "malformed-json", "Malformed JSON", "body: is not well-formed JSON");
    }

    @ServerExceptionMapper
    Response unauthorized(UnauthorizedException e, ContainerRequestContext request) {
        return challenge(problem(request, 401, "unauthorized", "Unauthorized", "a valid bearer token is required"));
    }

    @ServerExceptionMapper
    Response authenticationFailed(AuthenticationFailedException e, ContainerRequestContext request) {
        return challenge(problem(request, 401, "unauthorized", "Unauthorized",
                "the bearer token is missing, invalid or expired"));
    }

    /**
     * SmallRye JWT cannot load the verification key (the gateway has not written it yet): every call is
     * refused with 401 until the key appears; the key is looked up again on the next call.
     */
    @ServerExceptionMapper
    Response verificationKeyMissing(DeploymentException e, ContainerRequestContext request) {
        LOG.warnf("cannot verify tokens: %s", e.getMessage());
        return challenge(problem(request, 401, "unauthorized", "Unauthorized",
                "the memory router has no token verification key yet; every call is refused"));
    }

    @ServerExceptionMapper
    Response forbidden(ForbiddenException e, ContainerRequestContext request) {
        return problem(request, 403, "forbidden", "Forbidden", "not allowed for this caller");
    }

    @ServerExceptionMapper
    Response web(WebApplicationException e, ContainerRequestContext request) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof MismatchedInputException mismatched) {
                return mismatchedInput(mismatched, request);
            }
            if (t instanceof JsonProcessingException json) {
                return malformed(json, request);
            }
        }
        return switch (status) {
            case 404 -> problem(request, 404, "not-found", "Not found", "no such resource");
            case 405 -> problem(request, 405, "method-not-allowed", "Method not allowed",
                    request.getMethod() + " is not allowed here");
            case 406 -> problem(request, 406, "not-acceptable", "Not acceptable", "only application/json is produced");
            case 413 -> problem(request, 413, "payload-too-large", "Payload too large", "body: larger than allowed");
            case 415 -> problem(request, 415, "unsupported-media-type", "Unsupported media type",
                    "send application/json");
            case 401 -> challenge(problem(request, 401, "unauthorized", "Unauthorized", "a valid bearer token is required"));
            case 403 -> problem(request, 403, "forbidden", "Forbidden", "not allowed for this caller");
            default -> status >= 400 && status < 500
                    ? problem(request, status, "bad-request", "Bad request", "the request was refused")
                    : internal(e, request);
        };
    }

    @ServerExceptionMapper
    Response unexpected(Throwable e, ContainerRequestContext request) {
        return internal(e, request);
    }

    private Response internal(Throwable e, ContainerRequestContext request) {
        LOG.errorf(e, "unexpected failure on %s %s", request.getMethod(), request.getUriInfo().getPath());
        return problem(request, 500, "internal", "Internal error", "the memory router failed; see its log");
    }

    private static Response challenge(Response r) {
        return Response.fromResponse(r).header("WWW-Authenticate", "Bearer").build();
    }

    private static Response invalid(ContainerRequestContext request, String field, String message) {
        return Problems.response(400, "validation", "Invalid request", field + ": " + message,
                request.getUriInfo().getPath(), RequestIds.of(request), List.of(new Problem.FieldError(field, message)));
    }

    private static Response fieldProblem(ContainerRequestContext request, int status, String kind, String title,
                                         MemoryException e) {
        List<Problem.FieldError> errors = e.field() == null ? List.of()
                : List.of(new Problem.FieldError(e.field(), e.getMessage()));
        return Problems.response(status, kind, title, e.detail(), request.getUriInfo().getPath(),
                RequestIds.of(request), errors);
    }

    private static Response problem(ContainerRequestContext request, int status, String kind, String title,
                                    String detail) {
        return Problems.response(status, kind, title, detail, request.getUriInfo().getPath(), RequestIds.of(request),
                List.of());
    }

    /** {@code skills[0].tags} from Jackson's path. */
    private static String path(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    private static String typeName(String javaName) {
        return switch (javaName) {
            case "String" -> "string";
            case "Double", "Integer", "Long", "double", "int", "long" -> "number";
            case "Boolean", "boolean" -> "boolean";
            case "List" -> "array";
            case "Map", "LinkedHashMap" -> "object";
            case "Instant" -> "ISO-8601 timestamp";
            default -> "object";
        };
    }
}
