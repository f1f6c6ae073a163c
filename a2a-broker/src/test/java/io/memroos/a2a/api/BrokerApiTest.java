package io.memroos.a2a.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(FakePeers.class)
class BrokerApiTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static RequestSpecification as(String token) {
        return RestAssured.given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    static String rpc(String method, String params) {
        return "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":" + params + "}";
    }

    static String message(String text) {
        return "{\"messageId\":\"" + UUID.randomUUID() + "\",\"role\":\"ROLE_USER\",\"parts\":[{\"text\":\"" + text + "\"}]}";
    }

    static String sendAs(String token, String agent, String text) {
        return as(token).body(rpc("SendMessage", "{\"message\":" + message(text) + "}"))
                .post("/a2a/agents/" + agent).then().statusCode(200)
                .body("result.task.id", notNullValue()).extract().path("result.task.id");
    }

    /** (seq, data) of each SSE event in a finished stream. */
    static List<Map.Entry<Long, JsonNode>> sse(String body) throws Exception {
        List<Map.Entry<Long, JsonNode>> out = new ArrayList<>();
        for (String block : body.split("\n\n")) {
            Long id = null;
            String data = null;
            for (String line : block.split("\n")) {
                if (line.startsWith("id: ")) {
                    id = Long.parseLong(line.substring(4));
                } else if (line.startsWith("data: ")) {
                    data = line.substring(6);
                }
            }
            if (data != null) {
                out.add(Map.entry(id, JSON.readTree(data)));
            }
        }
        return out;
    }

    @Test
    void callsWithoutAValidTokenAre401Problems() {
        RestAssured.given().contentType(ContentType.JSON).header("X-Request-Id", "req-123")
                .body(rpc("GetTask", "{\"id\":\"x\"}")).post("/a2a")
                .then().statusCode(401).contentType("application/problem+json").header("X-Request-Id", "req-123")
                .body("requestId", equalTo("req-123"));
        as(TestTokens.expiredOperator()).body(rpc("GetTask", "{\"id\":\"x\"}")).post("/a2a").then().statusCode(401);
        as(TestTokens.otherKeyOperator()).get("/tasks").then().statusCode(401);
    }

    @Test
    void jsonRpcErrorCodes() {
        String op = TestTokens.operator();
        as(op).body("{").post("/a2a").then().statusCode(200).body("error.code", equalTo(-32700));
        as(op).body("[1]").post("/a2a").then().body("error.code", equalTo(-32600));
        as(op).body("{\"id\":1,\"method\":\"GetTask\"}").post("/a2a").then().body("error.code", equalTo(-32600));
        as(op).body(rpc("NoSuchMethod", "{}")).post("/a2a").then().body("error.code", equalTo(-32601))
                .body("id", equalTo(1));
        as(op).body(rpc("GetTask", "[1]")).post("/a2a").then().body("error.code", equalTo(-32602));
        as(op).body(rpc("GetTask", "{\"id\":\"nope\"}")).post("/a2a").then().body("error.code", equalTo(-32001));
        as(op).body(rpc("tasks/get", "{\"id\":\"nope\"}")).post("/a2a").then().body("error.code", equalTo(-32001));
        as(op).body(rpc("SendMessage", "{\"message\":{\"role\":\"ROLE_USER\"}}")).post("/a2a/agents/agt_a2a")
                .then().body("error.code", equalTo(-32602));
        as(op).body(rpc("SendMessage", "{\"message\":" + message("hi") + "}")).post("/a2a")
                .then().body("error.code", equalTo(-32602));
        as(op).header("A2A-Version", "2.0").body(rpc("GetTask", "{\"id\":\"x\"}")).post("/a2a")
                .then().body("error.code", equalTo(-32009));
        as(op).body(rpc("ListTasks", "{\"pageSize\":101}")).post("/a2a").then().body("error.code", equalTo(-32602));
        as(op).get("/a2a/nowhere").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void blockingSendReachesTheA2aAgentAndOnlyPartiesSeeTheTask() {
        String caller = TestTokens.agent("agt_caller");
        String id = sendAs(caller, "agt_a2a", "hello");
        as(caller).body(rpc("GetTask", "{\"id\":\"" + id + "\",\"historyLength\":1}")).post("/a2a/agents/agt_a2a")
                .then().body("result.status.state", equalTo("TASK_STATE_COMPLETED"))
                .body("result.artifacts[0].parts[0].text", equalTo("echo: hello"))
                .body("result.history.size()", equalTo(1))
                .body("result.metadata.memroos.caller", equalTo("agent:agt_caller"));
        as(TestTokens.agent("agt_a2a")).get("/tasks/" + id).then().statusCode(200)
                .body("id", equalTo(id));
        as(TestTokens.agent("agt_other")).body(rpc("GetTask", "{\"id\":\"" + id + "\"}")).post("/a2a")
                .then().body("error.code", equalTo(-32001));
        as(TestTokens.agent("agt_other")).get("/tasks/" + id).then().statusCode(404);
        as(TestTokens.agent("agt_other")).get("/tasks").then().statusCode(200)
                .body("tasks.findAll { it.id == '" + id + "' }.size()", equalTo(0));
        as(caller).body(rpc("CancelTask", "{\"id\":\"" + id + "\"}")).post("/a2a").then()
                .body("error.code", equalTo(-32002));
    }

    @Test
    void anAgentErrorOnABlockingSendIsReturnedAndTheTaskIsStoredFailed() {
        // the first delivery of a new task is tried before the task is stored: a refusal must still leave it stored.
        // A send first, so the agent and its card are cached and JSON-RPC takes the event-loop path; the HTTP+JSON
        // binding takes the blocking one.
        String caller = TestTokens.agent("agt_caller");
        sendAs(caller, "agt_a2a", "warm up");
        for (String what : List.of("refuse", "nonsense")) {
            for (boolean jsonRpc : List.of(true, false)) {
                String ctx = "ctx-" + UUID.randomUUID();
                String msg = "{\"messageId\":\"" + UUID.randomUUID() + "\",\"contextId\":\"" + ctx
                        + "\",\"role\":\"ROLE_USER\",\"parts\":[{\"text\":\"" + what + "\"}]}";
                int code = what.equals("refuse") ? -32603 : -32006;
                if (jsonRpc) {
                    as(caller).body(rpc("SendMessage", "{\"message\":" + msg + "}")).post("/a2a/agents/agt_a2a")
                            .then().statusCode(200).body("result", nullValue()).body("error.code", equalTo(code));
                } else {
                    as(caller).urlEncodingEnabled(false).body("{\"message\":" + msg + "}").post("/a2a/agents/agt_a2a/message:send").then().log().ifValidationFails()
                            .statusCode(what.equals("refuse") ? 500 : 502)
                            .contentType("application/problem+json");
                }
                as(caller).get("/tasks?contextId=" + ctx).then().statusCode(200)
                        .body("tasks.size()", equalTo(1))
                        .body("tasks[0].status.state", equalTo("TASK_STATE_FAILED"))
                        .body("tasks[0].history[0].parts[0].text", equalTo(what));
            }
        }
    }

    @Test
    void legacyClientsGetTheZeroThreeShape() {
        String body = rpc("message/send", "{\"message\":{\"kind\":\"message\",\"messageId\":\"m-" + UUID.randomUUID()
                + "\",\"role\":\"user\",\"parts\":[{\"kind\":\"text\",\"text\":\"old\"}]}}");
        Response r = as(TestTokens.operator()).body(body).post("/a2a/agents/agt_a2a");
        r.then().body("result.kind", equalTo("task")).body("result.status.state", equalTo("completed"))
                .body("result.artifacts[0].parts[0].kind", equalTo("text"))
                .body("result.history[0].role", equalTo("user"));
    }

    @Test
    void streamedEventsAreStoredNumberedAndReplayedFromLastEventId() throws Exception {
        String op = TestTokens.operator();
        String body = as(op).accept("text/event-stream")
                .body(rpc("SendStreamingMessage", "{\"message\":" + message("stream me") + "}"))
                .post("/a2a/agents/agt_a2a").then().statusCode(200).extract().asString();
        List<Map.Entry<Long, JsonNode>> events = sse(body);
        assertTrue(events.size() >= 4, body);
        for (int i = 0; i < events.size(); i++) {
            assertEquals(i + 1, events.get(i).getKey());
        }
        String id = events.get(0).getValue().path("result").path("task").path("id").asText();
        JsonNode last = events.get(events.size() - 1).getValue().path("result");
        assertEquals("TASK_STATE_COMPLETED", last.path("statusUpdate").path("status").path("state").asText());

        String replay = as(op).header("Last-Event-ID", "1").accept("text/event-stream")
                .body(rpc("SubscribeToTask", "{\"id\":\"" + id + "\"}")).post("/a2a").then().statusCode(200)
                .extract().asString();
        List<Map.Entry<Long, JsonNode>> again = sse(replay);
        assertEquals(events.size() - 1, again.size(), replay);
        for (int i = 0; i < again.size(); i++) {
            assertEquals(events.get(i + 1).getKey(), again.get(i).getKey());
            assertEquals(events.get(i + 1).getValue().path("result"), again.get(i).getValue().path("result"));
        }
        // 0.3 framing of the same replay: kind-tagged results, final on the last one
        String legacy = as(op).header("Last-Event-ID", "1").accept("text/event-stream")
                .body(rpc("tasks/resubscribe", "{\"id\":\"" + id + "\"}")).post("/a2a").then().statusCode(200)
                .extract().asString();
        List<Map.Entry<Long, JsonNode>> old = sse(legacy);
        JsonNode oldLast = old.get(old.size() - 1).getValue().path("result");
        assertEquals("status-update", oldLast.path("kind").asText());
        assertEquals("completed", oldLast.path("status").path("state").asText());
        assertTrue(oldLast.path("final").asBoolean());
    }

    @Test
    void restAgentAnswersLaterThroughTheCallback() {
        String caller = TestTokens.agent("agt_caller");
        String id = as(caller).body(rpc("SendMessage", "{\"message\":" + message("do it")
                        + ",\"configuration\":{\"returnImmediately\":true}}"))
                .post("/a2a/agents/agt_rest").then().body("result.task.status.state", equalTo("TASK_STATE_SUBMITTED"))
                .extract().path("result.task.id");
        as(caller).body("{\"status\":{\"state\":\"completed\"}}").post("/api/a2a/tasks/" + id + "/events")
                .then().statusCode(403);
        as(TestTokens.agent("agt_other")).body("{\"status\":{\"state\":\"completed\"}}")
                .post("/api/a2a/tasks/" + id + "/events").then().statusCode(404);
        as(TestTokens.agent("agt_rest")).body("{\"artifact\":{\"artifactId\":\"r1\",\"parts\":[{\"text\":\"done\"}]},"
                        + "\"status\":{\"state\":\"completed\"}}").post("/api/a2a/tasks/" + id + "/events")
                .then().statusCode(202).body("seq", notNullValue());
        as(caller).get("/tasks/" + id).then().statusCode(200)
                .body("status.state", equalTo("TASK_STATE_COMPLETED"))
                .body("artifacts[0].parts[0].text", equalTo("done"));
    }

    @Test
    void offlineAgentKeepsTheTaskSubmittedThenFailsAfterTheDeadline() throws Exception {
        String op = TestTokens.operator();
        String id = as(op).body(rpc("SendMessage", "{\"message\":" + message("anyone?") + "}"))
                .post("/a2a/agents/agt_offline").then()
                .body("result.task.status.state", equalTo("TASK_STATE_SUBMITTED")).extract().path("result.task.id");
        String state = null;
        for (int i = 0; i < 60; i++) {
            state = as(op).get("/tasks/" + id).then().extract().path("status.state");
            if ("TASK_STATE_FAILED".equals(state)) {
                break;
            }
            Thread.sleep(200);
        }
        assertEquals("TASK_STATE_FAILED", state);
    }

    @Test
    void kernelRoutesBySkillAndTargetAgent() {
        String op = TestTokens.operator();
        as(op).body(rpc("SendMessage", "{\"message\":" + message("x") + ",\"metadata\":{\"targetAgent\":\"agt_a2a\"}}"))
                .post("/a2a").then().body("result.task.metadata.memroos.targetAgent", equalTo("agt_a2a"));
        as(op).body(rpc("SendMessage", "{\"message\":" + message("x") + ",\"metadata\":{\"skill\":\"echo-agt_a2a\"}}"))
                .post("/a2a").then().body("result.task.metadata.memroos.targetAgent", equalTo("agt_a2a"));
    }

    @Test
    void pushConfigsAreStoredAndEventsDeliveredSigned() throws Exception {
        String op = TestTokens.operator();
        String id = as(op).body(rpc("SendMessage", "{\"message\":" + message("p")
                        + ",\"configuration\":{\"returnImmediately\":true}}"))
                .post("/a2a/agents/agt_rest").then().extract().path("result.task.id");
        String hook = "http://127.0.0.1:" + FakePeers.port + "/hook";
        as(op).body(rpc("CreateTaskPushNotificationConfig", "{\"taskId\":\"" + id + "\",\"id\":\"c1\",\"url\":\"" + hook
                + "\",\"token\":\"secret\"}")).post("/a2a").then().body("result.id", equalTo("c1"));
        as(op).body(rpc("CreateTaskPushNotificationConfig", "{\"taskId\":\"" + id
                + "\",\"url\":\"http://10.1.2.3/hook\"}")).post("/a2a").then().body("error.code", equalTo(-32602));
        as(op).body(rpc("ListTaskPushNotificationConfigs", "{\"taskId\":\"" + id + "\"}")).post("/a2a").then()
                .body("result.configs.size()", equalTo(1));
        as(op).body(rpc("tasks/pushNotificationConfig/get", "{\"id\":\"" + id + "\",\"pushNotificationConfigId\":\"c1\"}"))
                .post("/a2a").then().body("result.pushNotificationConfig.url", equalTo(hook));
        as(TestTokens.agent("agt_rest")).body("{\"status\":{\"state\":\"completed\"}}")
                .post("/api/a2a/tasks/" + id + "/events").then().statusCode(202);
        boolean got = false;
        for (int i = 0; i < 50 && !got; i++) {
            got = FakePeers.HOOKS.stream().anyMatch(h -> h.contains(id) && h.contains("TASK_STATE_COMPLETED"));
            Thread.sleep(100);
        }
        assertTrue(got, "webhook got the completed event");
        int idx = 0;
        for (int i = 0; i < FakePeers.HOOKS.size(); i++) {
            if (FakePeers.HOOKS.get(i).contains(id)) {
                idx = i;
            }
        }
        Map<String, String> h = FakePeers.HOOK_HEADERS.get(idx);
        assertEquals("secret", h.get("token"));
        assertEquals("sha256=" + io.memroos.a2a.broker.PushSenderAccess.sign("secret",
                h.get("ts") + "." + FakePeers.HOOKS.get(idx)), h.get("sig"));
        as(op).body(rpc("DeleteTaskPushNotificationConfig", "{\"taskId\":\"" + id + "\",\"id\":\"c1\"}")).post("/a2a")
                .then().body("result", notNullValue());
    }

    @Test
    void listPagesWithACursor() {
        String caller = TestTokens.agent("agt_other");
        String ctx = "ctx-" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            String msg = "{\"messageId\":\"" + UUID.randomUUID() + "\",\"contextId\":\"" + ctx
                    + "\",\"role\":\"ROLE_USER\",\"parts\":[{\"text\":\"n\"}]}";
            as(caller).body(rpc("SendMessage", "{\"message\":" + msg + "}")).post("/a2a/agents/agt_a2a")
                    .then().body("result.task.contextId", equalTo(ctx));
        }
        Response first = as(caller).get("/tasks?pageSize=2&contextId=" + ctx);
        first.then().statusCode(200).body("tasks.size()", equalTo(2)).body("totalSize", equalTo(3));
        String next = first.path("nextPageToken");
        as(caller).get("/tasks?pageSize=2&contextId=" + ctx + "&pageToken=" + next).then()
                .body("tasks.size()", equalTo(1)).body("nextPageToken", equalTo(""));
        as(TestTokens.agent("agt_caller")).get("/tasks?contextId=" + ctx).then().body("totalSize", equalTo(0));
    }

    @Test
    void cardsValidateAgainstTheContractSchemas() throws Exception {
        JsonSchemaFactory f = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        JsonSchema v10;
        JsonSchema v03;
        try (InputStream a = getClass().getResourceAsStream("/a2a/agent-card-1.0.schema.json");
             InputStream b = getClass().getResourceAsStream("/a2a/agent-card-0.3.schema.json")) {
            v10 = f.getSchema(a);
            v03 = f.getSchema(b);
        }
        for (String path : List.of("/.well-known/agent-card.json", "/a2a/agents/agt_a2a/.well-known/agent-card.json")) {
            JsonNode card = JSON.readTree(RestAssured.get(path).then().statusCode(200).extract().asString());
            assertTrue(v10.validate(card).isEmpty(), path + ": " + v10.validate(card));
        }
        for (String path : List.of("/.well-known/agent.json", "/a2a/agents/agt_a2a/.well-known/agent.json")) {
            JsonNode card = JSON.readTree(RestAssured.get(path).then().statusCode(200).extract().asString());
            assertTrue(v03.validate(card).isEmpty(), path + ": " + v03.validate(card));
        }
        RestAssured.get("/a2a/agents/agt_a2a/.well-known/agent-card.json").then()
                .body("supportedInterfaces[0].url", equalTo("http://127.0.0.1:8080/a2a/agents/agt_a2a"));
        RestAssured.get("/a2a/agents/nobody/.well-known/agent-card.json").then().statusCode(404);
    }
}
