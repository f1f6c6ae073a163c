package io.memroos.memory.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Extraction by a language model: facts, entities and relations as JSON, validated; an answer that does not
 * validate is sent back once with the errors, and a failed call (an error status, a timeout) is made once more;
 * when the second attempt fails too, the deterministic pipeline stores the input, so a bad model answer or a
 * model that is down never drops a memory. Updates and invalidations may only name facts that were offered as
 * similar (same scope).
 */
public final class LlmExtractor implements Extractor {

    private static final Logger LOG = Logger.getLogger(LlmExtractor.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String SYSTEM = """
            You maintain an agent's long-term memory. From the conversation, extract short, self-contained facts \
            worth remembering, the entities they mention and the relations between those entities. Compare each fact \
            with the EXISTING facts listed: when a new fact corrects or replaces an existing one, propose "update" \
            with that id; when it makes one false, propose "invalidate" with that id; otherwise "add". \
            Answer with ONE JSON object only, no prose:
            {"facts":[{"op":"add|update|invalidate","text":"...","id":"existing id, for update/invalidate","source":0}],
             "entities":[{"name":"...","type":"person|place|organization|thing|event|other"}],
             "relations":[{"from":"entity name","type":"snake_case_verb","to":"entity name","validFrom":"ISO-8601 or null","validTo":"ISO-8601 or null"}]}
            "source" is the index of the message the fact comes from.""";

    private final ChatModel model;
    private final DeterministicExtractor fallback = new DeterministicExtractor();

    public LlmExtractor(ChatModel model) {
        this.model = model;
    }

    @Override
    public boolean wantsSimilar() {
        return true;
    }

    @Override
    public Extraction extract(List<Extraction.Item> items, Function<String, List<Extraction.Similar>> similar) {
        Map<String, String> offered = new LinkedHashMap<>();
        for (Extraction.Item item : items) {
            for (Extraction.Similar s : similar.apply(item.content())) {
                offered.putIfAbsent(s.id(), s.text());
            }
        }
        String prompt = prompt(items, offered);
        String answer = null;
        List<String> errors = List.of();
        for (int attempt = 1; attempt <= 2; attempt++) {
            // a refused answer goes back with its errors; after a failed call (status, timeout) the prompt is resent
            String user = answer == null ? prompt : prompt + "\n\nYour previous answer was refused:\n"
                    + String.join("\n", errors) + "\nPrevious answer:\n" + answer + "\nAnswer again with valid JSON only.";
            try {
                answer = model.complete(SYSTEM, user);
            } catch (RuntimeException e) {
                LOG.warnf("model %s failed (attempt %d): %s", model.id(), attempt, e.getMessage());
                answer = null;
                continue;
            }
            Parsed p = parse(answer, items.size(), offered.keySet());
            if (p.errors.isEmpty()) {
                return new Extraction(p.ops, p.entities, p.relations, "llm:" + model.id()
                        + (attempt == 2 ? "+retry" : ""));
            }
            errors = p.errors;
            LOG.warnf("model %s answered invalid JSON (attempt %d): %s", model.id(), attempt, errors);
        }
        Extraction d = fallback.extract(items, similar);
        return new Extraction(d.ops(), List.of(), List.of(), "llm:" + model.id() + "+fallback");
    }

    static String prompt(List<Extraction.Item> items, Map<String, String> offered) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode messages = root.putArray("messages");
        for (int i = 0; i < items.size(); i++) {
            messages.addObject().put("index", i).put("role", items.get(i).role()).put("content", items.get(i).content());
        }
        ArrayNode existing = root.putArray("existing");
        offered.forEach((id, text) -> existing.addObject().put("id", id).put("text", text));
        return root.toString();
    }

    /** The validated content of an answer, or the reasons it is refused. */
    record Parsed(List<Extraction.Op> ops, List<Extraction.EntityRef> entities,
                  List<Extraction.RelationRef> relations, List<String> errors) {
    }

    static Parsed parse(String answer, int items, Set<String> offeredIds) {
        List<String> errors = new ArrayList<>();
        List<Extraction.Op> ops = new ArrayList<>();
        List<Extraction.EntityRef> entities = new ArrayList<>();
        List<Extraction.RelationRef> relations = new ArrayList<>();
        JsonNode root;
        try {
            root = JSON.readTree(strip(answer));
        } catch (Exception e) {
            return new Parsed(ops, entities, relations, List.of("not JSON: " + e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            return new Parsed(ops, entities, relations, List.of("the answer must be one JSON object"));
        }
        JsonNode facts = root.path("facts");
        if (!facts.isArray()) {
            errors.add("facts: must be an array");
        } else {
            for (int i = 0; i < facts.size(); i++) {
                JsonNode f = facts.get(i);
                String path = "facts[" + i + "]";
                String op = f.path("op").asText("");
                Extraction.Kind kind;
                try {
                    kind = Extraction.Kind.valueOf(op.toUpperCase(java.util.Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    errors.add(path + ".op: must be add, update or invalidate");
                    continue;
                }
                String text = f.path("text").isTextual() ? f.path("text").asText().strip() : "";
                if (kind != Extraction.Kind.INVALIDATE && (text.isEmpty() || text.length() > Texts.MAX_FACT_CHARS)) {
                    errors.add(path + ".text: must be 1 to " + Texts.MAX_FACT_CHARS + " characters");
                    continue;
                }
                String id = f.path("id").isTextual() ? f.path("id").asText() : null;
                if (kind != Extraction.Kind.ADD && (id == null || !offeredIds.contains(id))) {
                    errors.add(path + ".id: must be one of the existing facts offered");
                    continue;
                }
                int source = f.path("source").isInt() ? f.path("source").asInt() : 0;
                if (source < 0 || source >= items) {
                    errors.add(path + ".source: must be a message index 0.." + (items - 1));
                    continue;
                }
                ops.add(new Extraction.Op(kind, text, id, source, "llm"));
            }
        }
        JsonNode ents = root.path("entities");
        Set<String> names = new HashSet<>();
        if (!ents.isMissingNode() && !ents.isArray()) {
            errors.add("entities: must be an array");
        } else {
            for (int i = 0; i < ents.size(); i++) {
                String name = ents.get(i).path("name").asText("").strip();
                if (name.isEmpty() || name.length() > 200) {
                    errors.add("entities[" + i + "].name: must be 1 to 200 characters");
                    continue;
                }
                names.add(name.toLowerCase(java.util.Locale.ROOT));
                entities.add(new Extraction.EntityRef(name, ents.get(i).path("type").isTextual()
                        ? ents.get(i).path("type").asText() : null));
            }
        }
        JsonNode rels = root.path("relations");
        if (!rels.isMissingNode() && !rels.isArray()) {
            errors.add("relations: must be an array");
        } else {
            for (int i = 0; i < rels.size(); i++) {
                JsonNode r = rels.get(i);
                String path = "relations[" + i + "]";
                String from = r.path("from").asText("").strip();
                String to = r.path("to").asText("").strip();
                String type = r.path("type").asText("").strip();
                if (!names.contains(from.toLowerCase(java.util.Locale.ROOT))
                        || !names.contains(to.toLowerCase(java.util.Locale.ROOT))) {
                    errors.add(path + ": from and to must name listed entities");
                    continue;
                }
                if (type.isEmpty() || type.length() > 100) {
                    errors.add(path + ".type: must be 1 to 100 characters");
                    continue;
                }
                try {
                    relations.add(new Extraction.RelationRef(from, type, to, instant(r.path("validFrom")),
                            instant(r.path("validTo"))));
                } catch (DateTimeParseException e) {
                    errors.add(path + ": validFrom/validTo must be ISO-8601 instants or null");
                }
            }
        }
        return new Parsed(ops, entities, relations, errors);
    }

    private static Instant instant(JsonNode n) {
        return n.isTextual() && !n.asText().isBlank() ? Instant.parse(n.asText()) : null;
    }

    /** Models like to wrap JSON in a code fence. */
    private static String strip(String answer) {
        String a = answer == null ? "" : answer.strip();
        if (a.startsWith("```")) {
            int nl = a.indexOf('\n');
            int end = a.lastIndexOf("```");
            if (nl > 0 && end > nl) {
                a = a.substring(nl + 1, end).strip();
            }
        }
        return a;
    }
}
