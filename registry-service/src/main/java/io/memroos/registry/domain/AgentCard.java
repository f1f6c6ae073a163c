package io.memroos.registry.domain;

import java.util.List;

/**
 * What the registry keeps from an A2A agent card, whichever protocol version it was written for.
 *
 * @param url             the agent's A2A endpoint (the preferred interface)
 * @param protocolVersion the A2A version the card declares
 * @param capabilities    capability strings derived from the card
 */
public record AgentCard(String name, String description, String version, String url, String protocolVersion,
                        String provider, List<String> capabilities, List<Skill> skills) {
    public AgentCard {
        name = Checks.text("name", name, 128);
        description = description == null ? "" : description;
        url = Checks.httpUrl("url", url);
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
        skills = skills == null ? List.of() : List.copyOf(skills);
    }
}
