package io.memroos.registry.domain;

import java.util.List;

/** One thing an agent says it can do. */
public record Skill(String id, String name, String description, List<String> tags) {
    public Skill {
        id = Checks.text("id", id, 128);
        name = Checks.text("name", name, 200);
        description = Checks.optionalText("description", description, 4000);
        description = description == null ? "" : description;
        tags = Checks.texts("tags", tags, 64, 64);
    }
}
