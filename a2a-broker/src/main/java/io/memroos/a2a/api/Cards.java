package io.memroos.a2a.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.memroos.a2a.domain.AgentRef;
import io.memroos.a2a.protocol.Wire;

import java.util.List;

/** The agent cards the broker serves: the kernel's, and one per registered agent, in the 1.0 and 0.3 shapes. */
final class Cards {

    private final String publicUrl;

    Cards(String publicUrl) {
        this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    }

    String endpoint(AgentRef agent) {
        return agent == null ? publicUrl + "/a2a" : publicUrl + "/a2a/agents/" + agent.id();
    }

    ObjectNode card10(AgentRef agent, List<AgentRef> all) {
        String url = endpoint(agent);
        ObjectNode c = Wire.obj();
        c.put("name", agent == null ? "MemRoOS kernel" : agent.name());
        c.put("description", description(agent));
        c.put("version", "1.0.0");
        ArrayNode ifaces = c.putArray("supportedInterfaces");
        ifaces.addObject().put("url", url).put("protocolBinding", "JSONRPC").put("protocolVersion", "1.0");
        ifaces.addObject().put("url", url).put("protocolBinding", "HTTP+JSON").put("protocolVersion", "1.0");
        ifaces.addObject().put("url", url).put("protocolBinding", "JSONRPC").put("protocolVersion", "0.3");
        c.putObject("provider").put("organization", "MemRoOS").put("url", publicUrl);
        c.putObject("capabilities").put("streaming", true).put("pushNotifications", true)
                .put("extendedAgentCard", true);
        c.putObject("securitySchemes").putObject("bearer").putObject("httpAuthSecurityScheme")
                .put("scheme", "Bearer").put("description", "a MemRoOS agent key or the operator key");
        c.putArray("securityRequirements").addObject().putObject("schemes").putObject("bearer").putArray("list");
        modes(c);
        c.set("skills", skills(agent, all));
        return c;
    }

    ObjectNode card03(AgentRef agent, List<AgentRef> all) {
        String url = endpoint(agent);
        ObjectNode c = Wire.obj();
        c.put("protocolVersion", "0.3.0");
        c.put("name", agent == null ? "MemRoOS kernel" : agent.name());
        c.put("description", description(agent));
        c.put("url", url);
        c.put("preferredTransport", "JSONRPC");
        c.putArray("additionalInterfaces").addObject().put("url", url).put("transport", "JSONRPC");
        c.put("version", "1.0.0");
        c.putObject("provider").put("organization", "MemRoOS").put("url", publicUrl);
        c.putObject("capabilities").put("streaming", true).put("pushNotifications", true)
                .put("stateTransitionHistory", false);
        c.putObject("securitySchemes").putObject("bearer").put("type", "http").put("scheme", "bearer")
                .put("description", "a MemRoOS agent key or the operator key");
        c.putArray("security").addObject().putArray("bearer");
        modes(c);
        c.set("skills", skills(agent, all));
        c.put("supportsAuthenticatedExtendedCard", true);
        return c;
    }

    private static String description(AgentRef agent) {
        if (agent == null) {
            return "The MemRoOS kernel: one A2A address for every registered agent, with durable tasks. "
                    + "Route with metadata.targetAgent or metadata.skill.";
        }
        return agent.description() == null || agent.description().isBlank() ? agent.name() : agent.description();
    }

    private static void modes(ObjectNode c) {
        c.putArray("defaultInputModes").add("text/plain").add("application/json");
        c.putArray("defaultOutputModes").add("text/plain").add("application/json");
    }

    private static ArrayNode skills(AgentRef agent, List<AgentRef> all) {
        ArrayNode out = Wire.F.arrayNode();
        if (agent != null) {
            addSkills(out, agent, false);
        } else {
            for (AgentRef a : all) {
                addSkills(out, a, true);
            }
        }
        return out;
    }

    private static void addSkills(ArrayNode out, AgentRef a, boolean qualified) {
        if (a.skills().isEmpty()) {
            ObjectNode s = out.addObject();
            s.put("id", qualified ? a.id() + ":default" : "default");
            s.put("name", a.name());
            s.put("description", description(a));
            ArrayNode tags = s.putArray("tags");
            a.capabilities().forEach(tags::add);
            return;
        }
        for (AgentRef.SkillRef k : a.skills()) {
            ObjectNode s = out.addObject();
            s.put("id", qualified ? a.id() + ":" + k.id() : k.id());
            s.put("name", k.name() == null || k.name().isBlank() ? k.id() : k.name());
            s.put("description", k.description() == null ? "" : k.description());
            ArrayNode tags = s.putArray("tags");
            k.tags().forEach(tags::add);
        }
    }
}
