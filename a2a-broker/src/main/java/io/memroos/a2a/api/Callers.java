package io.memroos.a2a.api;

import io.memroos.a2a.domain.A2aException;
import io.memroos.a2a.domain.Caller;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import jakarta.json.JsonString;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who calls, from the verified internal JWT only (docs/internal-contract.md). A verified token is remembered until
 * it expires, so a busy caller does not pay an RSA verification per request.
 */
@Singleton
class Callers {

    private static final Logger LOG = Logger.getLogger(Callers.class);

    private record Known(Caller caller, long expiresAtMillis) {
    }

    private final JWTParser parser;
    private final Map<String, Known> known = new ConcurrentHashMap<>();

    Callers(JWTParser parser) {
        this.parser = parser;
    }

    Caller of(RoutingContext rc) {
        String header = rc.request().getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw A2aException.of(A2aException.Kind.UNAUTHORIZED, "a valid bearer token is required");
        }
        String token = header.substring(7).strip();
        Known k = known.get(token);
        long now = System.currentTimeMillis();
        if (k != null && k.expiresAtMillis > now) {
            return k.caller;
        }
        JsonWebToken jwt;
        try {
            jwt = parser.parse(token);
        } catch (ParseException e) {
            throw A2aException.of(A2aException.Kind.UNAUTHORIZED, "the bearer token is missing, invalid or expired");
        } catch (RuntimeException e) {
            LOG.warnf("cannot verify tokens: %s", e.getMessage());
            throw A2aException.of(A2aException.Kind.UNAUTHORIZED,
                    "the broker cannot verify tokens yet; every call is refused");
        }
        Caller caller = caller(jwt);
        if (known.size() > 10_000) {
            known.clear();
        }
        known.put(token, new Known(caller, Math.min(jwt.getExpirationTime() * 1000, now + 30_000)));
        return caller;
    }

    private static Caller caller(JsonWebToken jwt) {
        Set<String> groups = jwt.getGroups();
        if (groups.contains("operator")) {
            return Caller.operator();
        }
        if (groups.contains("agent")) {
            Object claim = jwt.getClaim("agent_id");
            String id = claim instanceof JsonString js ? js.getString() : claim == null ? null : claim.toString();
            if (id == null || !("agent:" + id).equals(jwt.getSubject())) {
                throw A2aException.of(A2aException.Kind.UNAUTHORIZED,
                        "agent token whose subject does not match its agent_id");
            }
            return Caller.agent(id);
        }
        if (groups.contains("service")) {
            throw A2aException.of(A2aException.Kind.FORBIDDEN, "service tokens reach only /internal routes");
        }
        throw A2aException.of(A2aException.Kind.FORBIDDEN, "the token names no known role");
    }
}
