package io.memroos.registry.domain;

import java.time.Instant;
import java.util.List;

/** A partial update: every null component leaves that field as it is; present ones are checked as on register. */
public record AgentPatch(String name, String description, String owner, List<String> capabilities,
                         List<Skill> skills, Endpoint endpoint) {
    public AgentPatch {
        name = name == null ? null : Checks.text("name", name, 128);
        description = description == null ? null : Checks.optionalText("description", description, 4000);
        owner = owner == null ? null : Checks.text("owner", owner, 128);
        capabilities = capabilities == null ? null
                : Checks.texts("capabilities", capabilities, Agent.MAX_CAPABILITIES, 64);
        if (skills != null && skills.size() > Agent.MAX_SKILLS) {
            throw RegistryException.invalid("skills", "must have at most " + Agent.MAX_SKILLS + " entries");
        }
        skills = skills == null ? null : List.copyOf(skills);
    }

    Agent applyTo(Agent agent, Instant now) {
        return agent.with(
                name == null ? agent.name() : name,
                description == null ? agent.description() : description,
                owner == null ? agent.owner() : owner,
                capabilities == null ? agent.capabilities() : capabilities,
                skills == null ? agent.skills() : skills,
                endpoint == null ? agent.endpoint() : endpoint,
                now);
    }
}
