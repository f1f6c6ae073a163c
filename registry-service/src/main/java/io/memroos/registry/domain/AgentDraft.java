package io.memroos.registry.domain;

import java.util.List;

/** What a caller asks to register. Validated the same way as a stored {@link Agent}. */
public record AgentDraft(String name, String description, String owner, List<String> capabilities,
                         List<Skill> skills, Endpoint endpoint) {
    public AgentDraft {
        name = Checks.text("name", name, 128);
        description = description == null ? "" : Checks.optionalText("description", description, 4000);
        owner = Checks.text("owner", owner, 128);
        capabilities = Checks.texts("capabilities", capabilities, Agent.MAX_CAPABILITIES, 64);
        skills = skills == null ? List.of() : List.copyOf(skills);
        if (skills.size() > Agent.MAX_SKILLS) {
            throw RegistryException.invalid("skills", "must have at most " + Agent.MAX_SKILLS + " entries");
        }
        if (endpoint == null) {
            throw RegistryException.invalid("endpoint", "must not be null");
        }
    }
}
