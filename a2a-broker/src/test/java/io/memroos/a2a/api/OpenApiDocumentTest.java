package io.memroos.a2a.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The broker's routes are Vert.x routes (A2aRoutes), so the OpenAPI generator cannot see them: they are described
 * by hand in META-INF/openapi.yaml. This test keeps that document and the router in step: every route below is
 * documented with exactly its methods, nothing else is, every listed route is really served, and the bearer scheme
 * and the main schemas are there.
 */
@QuarkusTest
@QuarkusTestResource(FakePeers.class)
class OpenApiDocumentTest {

    /** Every route the broker serves (outside /q), with its methods, as OpenAPI path templates. */
    static final Map<String, Set<String>> ROUTES = new LinkedHashMap<>();

    static {
        ROUTES.put("/a2a", Set.of("post"));
        ROUTES.put("/a2a/agents/{agentId}", Set.of("post"));
        for (String base : List.of("/a2a", "/a2a/agents/{agentId}", "")) {
            if (!base.isEmpty()) {
                ROUTES.put(base + "/message:send", Set.of("post"));
                ROUTES.put(base + "/message:stream", Set.of("post"));
                ROUTES.put(base + "/extendedAgentCard", Set.of("get"));
            }
            ROUTES.put(base + "/tasks", Set.of("get"));
            ROUTES.put(base + "/tasks/{id}", Set.of("get"));
            ROUTES.put(base + "/tasks/{id}:cancel", Set.of("post"));
            ROUTES.put(base + "/tasks/{id}:subscribe", Set.of("get", "post"));
            ROUTES.put(base + "/tasks/{id}/pushNotificationConfigs", Set.of("get", "post"));
            ROUTES.put(base + "/tasks/{id}/pushNotificationConfigs/{configId}", Set.of("get", "delete"));
        }
        for (String base : List.of("", "/a2a", "/a2a/agents/{agentId}")) {
            ROUTES.put(base + "/.well-known/agent-card.json", Set.of("get"));
            ROUTES.put(base + "/.well-known/agent.json", Set.of("get"));
        }
        ROUTES.put("/api/a2a/tasks/{id}/events", Set.of("post"));
    }

    static final Set<String> STREAMS = Set.of("/a2a/message:stream", "/a2a/agents/{agentId}/message:stream",
            "/a2a/tasks/{id}:subscribe", "/a2a/agents/{agentId}/tasks/{id}:subscribe", "/tasks/{id}:subscribe",
            "/a2a", "/a2a/agents/{agentId}");

    static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    static JsonNode doc;

    /** Fetched once, in the first test (RestAssured knows the test port only once Quarkus runs the tests). */
    @BeforeEach
    void fetch() throws Exception {
        if (doc == null) {
            String body = RestAssured.given().queryParam("format", "json").get("/q/openapi")
                    .then().statusCode(200).extract().asString();
            doc = new ObjectMapper().readTree(body);
        }
    }

    @Test
    void theDocumentParsesAndIsOpenApi3() {
        assertTrue(doc.path("openapi").asText().startsWith("3."), "openapi version: " + doc.path("openapi"));
        assertEquals("MemRoOS a2a-broker", doc.path("info").path("title").asText());
        assertTrue(doc.path("paths").isObject());
        // the YAML rendering is served too
        String yaml = RestAssured.given().get("/q/openapi").then().statusCode(200).extract().asString();
        assertTrue(yaml.contains("/a2a/agents/{agentId}"), "YAML document");
    }

    @Test
    void everyRouteIsDocumentedWithExactlyItsMethodsAndNothingElse() {
        List<String> problems = new ArrayList<>();
        ROUTES.forEach((path, methods) -> {
            JsonNode item = doc.path("paths").path(path);
            if (!item.isObject()) {
                problems.add("missing path " + path);
                return;
            }
            Set<String> documented = methods(item);
            if (!documented.equals(new TreeSet<>(methods))) {
                problems.add(path + " documents " + documented + ", the broker serves " + new TreeSet<>(methods));
            }
        });
        for (Iterator<String> it = doc.path("paths").fieldNames(); it.hasNext(); ) {
            String path = it.next();
            if (!path.startsWith("/q/") && !ROUTES.containsKey(path)) {
                problems.add("documented but not a broker route: " + path);
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void everyOperationHasASummaryResponsesAndUniqueId() {
        Set<String> ids = new TreeSet<>();
        ROUTES.forEach((path, methods) -> {
            for (String m : methods) {
                JsonNode op = doc.path("paths").path(path).path(m);
                String where = m.toUpperCase() + " " + path;
                assertFalse(op.path("summary").asText().isBlank(), where + " summary");
                assertTrue(op.path("responses").size() > 0, where + " responses");
                assertTrue(ids.add(op.path("operationId").asText()), where + " operationId not unique");
                for (String name : List.of(path.split("/"))) {
                    if (name.contains("{")) {
                        String param = name.substring(name.indexOf('{') + 1, name.indexOf('}'));
                        assertTrue(declaresPathParam(op, param), where + " declares path parameter " + param);
                    }
                }
            }
        });
    }

    @Test
    void bearerSchemeGuardsAllButTheCards() {
        JsonNode scheme = doc.path("components").path("securitySchemes").path("internalJwt");
        assertEquals("http", scheme.path("type").asText());
        assertEquals("bearer", scheme.path("scheme").asText());
        assertEquals("JWT", scheme.path("bearerFormat").asText());
        boolean global = false;
        for (JsonNode req : doc.path("security")) {
            global |= req.has("internalJwt");
        }
        assertTrue(global, "top-level security requires internalJwt");
        ROUTES.forEach((path, methods) -> {
            for (String m : methods) {
                JsonNode op = doc.path("paths").path(path).path(m);
                String where = m.toUpperCase() + " " + path;
                if (path.contains("/.well-known/")) {
                    assertTrue(op.path("security").isArray() && op.path("security").isEmpty(), where + " needs no token");
                } else {
                    assertFalse(op.has("security") && op.path("security").isEmpty(), where + " must not drop security");
                    assertTrue(op.path("responses").has("401"), where + " documents 401");
                }
            }
        });
    }

    @Test
    void schemasErrorsAndStreamsAreDescribed() {
        JsonNode schemas = doc.path("components").path("schemas");
        for (String s : List.of("JsonRpcRequest", "JsonRpcResponse", "JsonRpcError", "JsonRpcStreamEvent", "Task", "Message",
                "StreamResponse", "TaskPushNotificationConfig", "AgentCard", "AgentCard03", "Problem", "SendMessageRequest",
                "ListTasksResponse", "AgentEventReport")) {
            assertTrue(schemas.has(s), "schema " + s);
        }
        List<Integer> codes = new ArrayList<>();
        schemas.path("JsonRpcError").path("properties").path("code").path("enum").forEach(c -> codes.add(c.asInt()));
        for (int c = -32009; c <= -32001; c++) {
            assertTrue(codes.contains(c), "JSON-RPC code " + c);
        }
        for (int c : new int[]{-32700, -32600, -32601, -32602, -32603}) {
            assertTrue(codes.contains(c), "JSON-RPC code " + c);
        }
        for (String p : STREAMS) {
            for (String m : methods(doc.path("paths").path(p))) {
                assertTrue(doc.path("paths").path(p).path(m).path("responses").path("200").path("content")
                        .has("text/event-stream"), m + " " + p + " answers text/event-stream");
            }
        }
        JsonNode problem404 = doc.path("components").path("responses").path("NotFound").path("content")
                .path("application/problem+json").path("schema").path("$ref");
        assertEquals("#/components/schemas/Problem", problem404.asText());
        assertTrue(doc.path("paths").path("/tasks/{id}:subscribe").path("get").toString().contains("LastEventIdHeader"),
                "subscribe takes Last-Event-ID");
        assertTrue(doc.path("paths").path("/a2a").path("post").toString().contains("A2AVersion"), "JSON-RPC takes A2A-Version");
        assertEquals("202", doc.path("paths").path("/api/a2a/tasks/{id}/events").path("post").path("responses")
                .fieldNames().next());
    }

    @Test
    void everyInternalReferenceResolves() {
        List<String> dangling = new ArrayList<>();
        refs(doc, dangling);
        assertTrue(dangling.isEmpty(), "dangling $ref: " + dangling);
    }

    /** Each listed route is served by the broker: never the router's "no such route" 404, while a made-up path is. */
    @Test
    void everyListedRouteIsServed() {
        String op = TestTokens.operator();
        Response none = RestAssured.given().auth().oauth2(op).get("/a2a/nowhere");
        assertEquals(404, none.statusCode());
        assertTrue(none.asString().contains("/problems/not-found"), none.asString());
        ROUTES.forEach((path, methods) -> {
            String concrete = path.replace("{agentId}", "agt_a2a").replace("{id}", "tsk_doc_probe")
                    .replace("{configId}", "cfg_doc_probe");
            for (String m : methods) {
                // the ':' of message:send, :cancel, :subscribe goes on the wire as is, as A2A clients send it
                Response r = RestAssured.given().urlEncodingEnabled(false).auth().oauth2(op).contentType(ContentType.JSON)
                        .body(m.equals("post") ? "{}" : "").request(m.toUpperCase(), concrete);
                String where = m.toUpperCase() + " " + concrete + " -> " + r.statusCode() + " " + r.asString();
                assertNotEquals(405, r.statusCode(), where);
                assertFalse(r.statusCode() == 404 && r.asString().contains("/problems/not-found\""), where);
            }
        });
    }

    private static Set<String> methods(JsonNode item) {
        Set<String> out = new TreeSet<>();
        item.fieldNames().forEachRemaining(f -> {
            if (HTTP_METHODS.contains(f)) {
                out.add(f);
            }
        });
        return out;
    }

    private static boolean declaresPathParam(JsonNode op, String name) {
        for (JsonNode p : op.path("parameters")) {
            JsonNode resolved = p.has("$ref") ? resolve(p.get("$ref").asText()) : p;
            if (resolved != null && "path".equals(resolved.path("in").asText()) && name.equals(resolved.path("name").asText())
                    && resolved.path("required").asBoolean(false)) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode resolve(String ref) {
        if (!ref.startsWith("#/")) {
            return null;
        }
        JsonNode n = doc.at(ref.substring(1));
        return n.isMissingNode() ? null : n;
    }

    private static void refs(JsonNode n, List<String> dangling) {
        if (n.isObject()) {
            JsonNode r = n.get("$ref");
            if (r != null && r.isTextual() && resolve(r.asText()) == null) {
                dangling.add(r.asText());
            }
            n.elements().forEachRemaining(c -> refs(c, dangling));
        } else if (n.isArray()) {
            n.forEach(c -> refs(c, dangling));
        }
    }
}
