package io.memroos.a2a.domain;

import java.util.List;

/** The broker's view of a registered agent (its own copy of the registry's Agent JSON). */
public record AgentRef(String id, String name, String description, List<SkillRef> skills, List<String> capabilities,
                       String endpointKind, String endpointUrl, String status, String liveness, String cardUrl) {

    public AgentRef {
        skills = skills == null ? List.of() : List.copyOf(skills);
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
    }

    public boolean active() {
        return !"deregistered".equals(status);
    }

    public boolean rest() {
        return "rest".equals(endpointKind);
    }

    /** One skill of an agent. */
    public record SkillRef(String id, String name, String description, List<String> tags) {
        public SkillRef {
            tags = tags == null ? List.of() : List.copyOf(tags);
        }
    }
}
