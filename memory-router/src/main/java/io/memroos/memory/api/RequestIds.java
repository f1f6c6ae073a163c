package io.memroos.memory.api;

import io.memroos.contract.Ids;
import io.memroos.contract.Problem;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.MDC;

import java.util.regex.Pattern;

/**
 * The first handler of every request: reads {@code X-Request-Id} (or makes one when absent or malformed),
 * puts it in the MDC as {@code requestId}, echoes it, and refuses a declared body over the size limit with
 * a 413 problem before anything reads it.
 */
@Singleton
class RequestIds {

    static final String HEADER = "X-Request-Id";
    static final String MDC_KEY = "requestId";
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final long maxBodyBytes;

    RequestIds(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize) {
        this.maxBodyBytes = maxBodySize.asLongValue();
    }

    void register(@Observes Filters filters) {
        filters.register(this::assign, 1000);
    }

    private void assign(RoutingContext rc) {
        String id = rc.request().getHeader(HEADER);
        if (id == null || !VALID.matcher(id).matches()) {
            id = Ids.timeOrdered(); // a correlation id, not a secret: no SecureRandom (and its lock) per request
            rc.request().headers().set(HEADER, id);
        }
        MDC.put(MDC_KEY, id);
        rc.response().putHeader(HEADER, id);
        String length = rc.request().getHeader("Content-Length");
        if (length != null && tooLarge(length)) {
            JsonObject problem = JsonObject.mapFrom(Problem.of(413, "payload-too-large", "Payload too large",
                    "body: larger than " + maxBodyBytes + " bytes").withInstance(rc.request().path(), id));
            rc.response().setStatusCode(413).putHeader("Content-Type", Problem.MEDIA_TYPE)
                    .putHeader("Connection", "close").end(problem.encode());
            return;
        }
        rc.next();
    }

    private boolean tooLarge(String length) {
        try {
            return Long.parseLong(length.strip()) > maxBodyBytes;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static String of(ContainerRequestContext request) {
        return request.getHeaderString(HEADER);
    }
}
