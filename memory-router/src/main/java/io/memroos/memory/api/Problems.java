package io.memroos.memory.api;

import io.memroos.contract.Problem;
import jakarta.ws.rs.core.Response;

import java.util.List;

/** Builds problem+json responses. */
final class Problems {

    private Problems() {
    }

    static Response response(int status, String kind, String title, String detail, String path, String requestId,
                             List<Problem.FieldError> errors) {
        Problem problem = Problem.of(status, kind, title, detail).withInstance(path, requestId).withErrors(errors);
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
