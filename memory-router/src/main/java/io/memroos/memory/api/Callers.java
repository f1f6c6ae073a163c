package io.memroos.memory.api;

import io.memroos.memory.domain.Caller;
import io.memroos.memory.domain.MemoryException;
import jakarta.json.JsonString;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.Set;

/** Who the verified internal JWT says is calling; never read from any other header or from the payload. */
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
            return Caller.service();
        }
        throw MemoryException.forbidden("the token names no known role");
    }
}
