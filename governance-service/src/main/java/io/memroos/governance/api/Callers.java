package io.memroos.governance.api;

import io.memroos.governance.domain.Caller;
import io.memroos.governance.domain.GovException;
import jakarta.json.JsonString;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.Set;

/** Who the verified internal JWT says is calling; never read from any other header. */
final class Callers {

    private Callers() {
    }

    static Caller of(JsonWebToken jwt) {
        Set<String> groups = jwt.getGroups();
        if (groups.contains("operator")) {
            return Caller.operator();
        }
        if (groups.contains("agent")) {
            Object claim = jwt.getClaim("agent_id");
            String id = claim instanceof JsonString js ? js.getString() : claim == null ? null : claim.toString();
            return Caller.agent(id);
        }
        if (groups.contains("service")) {
            String sub = jwt.getSubject();
            return Caller.service(sub != null && sub.startsWith("service:") ? sub.substring("service:".length()) : null);
        }
        throw GovException.forbidden("the token names no known role");
    }
}
