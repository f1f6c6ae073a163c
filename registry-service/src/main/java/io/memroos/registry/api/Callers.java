package io.memroos.registry.api;

import io.memroos.registry.domain.Caller;
import io.memroos.registry.domain.RegistryException;
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
            if (id == null || !("agent:" + id).equals(jwt.getSubject())) {
                throw RegistryException.unauthorized("agent token whose subject does not match its agent_id");
            }
            return Caller.agent(id);
        }
        if (groups.contains("service")) {
            return Caller.service();
        }
        throw RegistryException.forbidden("the token names no known role");
    }
}
