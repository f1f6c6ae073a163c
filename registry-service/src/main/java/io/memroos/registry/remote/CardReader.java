package io.memroos.registry.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.memroos.registry.domain.AgentCard;
import io.memroos.registry.domain.RegistryException;
import io.memroos.registry.domain.Skill;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads an A2A agent card of protocol 1.0 or 0.3: validates it against the contract's JSON schemas
 * ({@code a2a/agent-card-1.0.schema.json}, {@code a2a/agent-card-0.3.schema.json}) and maps it to an
 * {@link AgentCard}.
 */
final class CardReader {

    private static final int MAX_CAPABILITIES = 64;

    private final ObjectMapper json;
    private final JsonSchema v10;
    private final JsonSchema v03;

    CardReader(ObjectMapper json) {
        this.json = json;
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        this.v10 = load(factory, "a2a/agent-card-1.0.schema.json");
        this.v03 = load(factory, "a2a/agent-card-0.3.schema.json");
    }

    private static JsonSchema load(JsonSchemaFactory factory, String resource) {
        try (InputStream in = CardReader.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("schema " + resource + " is not on the class path");
            }
            return factory.getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    AgentCard read(byte[] body) {
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (IOException e) {
            throw RegistryException.invalid("cardUrl", "the card is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw RegistryException.invalid("cardUrl", "the card is not a JSON object");
        }
        Set<ValidationMessage> errors10 = v10.validate(node);
        if (errors10.isEmpty()) {
            return map10(node);
        }
        Set<ValidationMessage> errors03 = v03.validate(node);
        if (errors03.isEmpty()) {
            return map03(node);
        }
        // Neither fits: report against the version the card looks like.
        boolean looks10 = node.has("supportedInterfaces") || !node.has("url");
        ValidationMessage first = (looks10 ? errors10 : errors03).stream()
                .min(Comparator.comparing(m -> m.getInstanceLocation().toString()))
                .orElseThrow();
        throw RegistryException.invalid("card." + field(first),
                message(first) + " (not a valid A2A " + (looks10 ? "1.0" : "0.3") + " agent card)");
    }

    private static String field(ValidationMessage m) {
        String location = m.getInstanceLocation().toString();
        String path = location.startsWith("$") ? location.substring(1) : location;
        if (path.startsWith(".")) {
            path = path.substring(1);
        }
        if ("required".equals(m.getType()) && m.getProperty() != null) {
            path = path.isEmpty() ? m.getProperty() : path + "." + m.getProperty();
        }
        return path.isEmpty() ? "(root)" : path;
    }

    private static String message(ValidationMessage m) {
        if ("required".equals(m.getType())) {
            return "is required";
        }
        String text = m.getMessage();
        int colon = text.indexOf(": ");
        return colon >= 0 ? text.substring(colon + 2) : text;
    }

    private AgentCard map10(JsonNode card) {
        JsonNode preferred = card.get("supportedInterfaces").get(0);
        String version = preferred.path("protocolVersion").asText("1.0");
        return card(card, preferred.get("url").asText(), version);
    }

    private AgentCard map03(JsonNode card) {
        return card(card, card.get("url").asText(), card.path("protocolVersion").asText("0.3.0"));
    }

    private AgentCard card(JsonNode card, String url, String protocolVersion) {
        List<Skill> skills = new ArrayList<>();
        LinkedHashSet<String> capabilities = new LinkedHashSet<>();
        capabilities.add("a2a");
        JsonNode caps = card.path("capabilities");
        if (caps.path("streaming").asBoolean(false)) {
            capabilities.add("a2a.streaming");
        }
        if (caps.path("pushNotifications").asBoolean(false)) {
            capabilities.add("a2a.push-notifications");
        }
        JsonNode skillNodes = card.path("skills");
        for (int i = 0; i < skillNodes.size() && i < 64; i++) {
            JsonNode s = skillNodes.get(i);
            List<String> tags = new ArrayList<>();
            for (JsonNode tag : s.path("tags")) {
                String t = tag.asText().strip();
                if (!t.isEmpty() && t.length() <= 64 && tags.size() < 64) {
                    tags.add(t);
                }
            }
            try {
                skills.add(new Skill(s.get("id").asText(), s.get("name").asText(),
                        clip(s.path("description").asText("")), tags));
            } catch (RegistryException e) {
                throw e.under("card.skills[" + i + "].");
            }
            for (String tag : tags) {
                if (capabilities.size() < MAX_CAPABILITIES) {
                    capabilities.add(tag);
                }
            }
        }
        String provider = card.path("provider").path("organization").asText(null);
        try {
            return new AgentCard(card.get("name").asText(), clip(card.path("description").asText("")),
                    card.path("version").asText(null), url, protocolVersion,
                    provider == null ? null : provider.length() > 128 ? provider.substring(0, 128) : provider,
                    List.copyOf(capabilities), skills);
        } catch (RegistryException e) {
            throw e.under("card.");
        }
    }

    private static String clip(String text) {
        return text.length() > 4000 ? text.substring(0, 4000) : text;
    }
}
