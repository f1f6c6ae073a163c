package io.memroos.gateway.web;

import io.memroos.contract.Problem;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every JAX-RS failure becomes problem+json; an unexpected one is logged, never shown. */
class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    Response webApplication(WebApplicationException e, RoutingContext ctx) {
        int status = e.getResponse() != null ? e.getResponse().getStatus() : 500;
        if (status < 400) {
            return e.getResponse();
        }
        String detail = e.getMessage() == null || e.getMessage().startsWith("HTTP ") ? reason(status) : e.getMessage();
        return problem(Problems.forStatus(status, detail), ctx);
    }

    @ServerExceptionMapper
    Response unexpected(Throwable e, RoutingContext ctx) {
        if (e instanceof io.memroos.gateway.proxy.ServiceClient.DownstreamException d) {
            return problem(Problems.forStatus(d.status(), d.getMessage()), ctx);
        }
        LOG.errorf(e, "request %s %s failed", ctx.request().method(), ctx.normalizedPath());
        return problem(Problems.forStatus(500, "the gateway failed to handle this request (request id "
                + GatewayContext.requestId(ctx) + ")"), ctx);
    }

    private static Response problem(Problem p, RoutingContext ctx) {
        Response.ResponseBuilder b = Response.status(p.status()).type(Problem.MEDIA_TYPE)
                .entity(p.withInstance(ctx.normalizedPath(), GatewayContext.requestId(ctx)));
        if (p.status() == 401) {
            b.header("WWW-Authenticate", "Bearer");
        }
        return b.build();
    }

    private static String reason(int status) {
        Response.Status s = Response.Status.fromStatusCode(status);
        return s == null ? "request refused" : s.getReasonPhrase().toLowerCase();
    }
}
