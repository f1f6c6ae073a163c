package io.memroos.registry.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The canonical identity of an agent.
 *
 * @param lastHeartbeatAt the last heartbeat the agent posted, or null
 * @param lastSeenAt      the last sign of life: a heartbeat or a successful card fetch, or null
 */
public record Agent(String id, String name, String description, String owner, List<String> capabilities,
                    List<Skill> skills, Endpoint endpoint, AgentStatus status, Source source, String cardUrl,
                    Instant lastHeartbeatAt, Instant lastSeenAt, Instant createdAt, Instant updatedAt) {

    public static final int MAX_CAPABILITIES = 64;
    public static final int MAX_SKILLS = 64;

    public Agent {
        Objects.requireNonNull(id, "id");
        name = Checks.text("name", name, 128);
        description = description == null ? "" : Checks.optionalText("description", description, 4000);
        owner = Checks.text("owner", owner, 128);
        capabilities = Checks.texts("capabilities", capabilities, MAX_CAPABILITIES, 64);
        skills = skills == null ? List.of() : List.copyOf(skills);
        if (skills.size() > MAX_SKILLS) {
            throw RegistryException.invalid("skills", "must have at most " + MAX_SKILLS + " entries");
        }
        if (endpoint == null) {
            throw RegistryException.invalid("endpoint", "must not be null");
        }
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    public boolean active() {
        return status == AgentStatus.ACTIVE;
    }

    Agent with(String newName, String newDescription, String newOwner, List<String> newCapabilities,
               List<Skill> newSkills, Endpoint newEndpoint, Instant now) {
        return new Agent(id, newName, newDescription, newOwner, newCapabilities, newSkills, newEndpoint, status,
                source, cardUrl, lastHeartbeatAt, lastSeenAt, createdAt, now);
    }

    Agent deregistered(Instant now) {
        return new Agent(id, name, description, owner, capabilities, skills, endpoint, AgentStatus.DEREGISTERED,
                source, cardUrl, lastHeartbeatAt, lastSeenAt, createdAt, now);
    }

    Agent seen(Instant at) {
        return new Agent(id, name, description, owner, capabilities, skills, endpoint, status, source, cardUrl,
                lastHeartbeatAt, at, createdAt, updatedAt);
    }
}
