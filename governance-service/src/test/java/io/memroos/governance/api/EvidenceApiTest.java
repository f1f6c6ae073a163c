package io.memroos.governance.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.memroos.governance.api.Api.asAgent;
import static io.memroos.governance.api.Api.asOperator;
import static io.memroos.governance.api.Api.asService;
import static io.memroos.governance.api.Api.batch;
import static io.memroos.governance.api.Api.decision;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Evidence bundles built by the service and checked offline by verifier/Verify.java (plain `java`, no classpath). */
@QuarkusTest
class EvidenceApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Run(int exit, String output) {
    }

    static Run verify(Path bundle, Path key) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "verifier/Verify.java", bundle.toString(), key.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out);
    }

    @Test
    void aBundleVerifiesOfflineAndAModifiedOneIsRefused() throws Exception {
        String a = Api.agent();
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            events.add(Api.agentRegistered(a));
        }
        events.add(Api.event(UUID.randomUUID().toString(), "memory.receipt", "agent:" + a, "memory-scope", "s",
                Map.of("op", "write", "ids", List.of("m1"), "scope", Map.of("agent", a), "taskId", "t9")));
        asService().body(batch(events)).post("/internal/events").then().statusCode(200);
        asAgent(a).body(RecordApiTest.toolCall("search", "ok")).post("/api/tool-attention").then().statusCode(201);
        asAgent(a).body(RecordApiTest.usage("m", 3, 4, 0.125)).post("/api/model-usage").then().statusCode(201);
        asService().body(decision("agent", a, "key.rotate", "agent", a, null)).post("/internal/decisions").then()
                .statusCode(200);
        Thread.sleep(300); // the decision record commits with the next batch

        String text = asOperator().body(Map.of("agentId", a)).post("/api/evidence").then().statusCode(200)
                .extract().asString();
        ObjectNode bundle = (ObjectNode) JSON.readTree(text);
        assertTrue(bundle.get("events").size() >= 33, "events in scope: " + bundle.get("events").size());
        assertEquals(3, bundle.get("receipts").size(), "memory receipt, tool call, model usage");
        assertEquals(1, bundle.get("decisions").size());
        assertEquals(bundle.get("events").size(), bundle.get("proofs").size());

        Path dir = Files.createDirectories(Path.of("target", "evidence-test"));
        Path file = dir.resolve("bundle-" + a + ".json");
        Files.writeString(file, text);
        Path key = dir.resolve("audit-" + a + ".pub.pem");
        Files.writeString(key, asOperator().get("/api/audit/public-key").then().statusCode(200).extract().asString());
        Run ok = verify(file, key);
        assertEquals(0, ok.exit(), ok.output());
        assertTrue(ok.output().startsWith("OK"), ok.output());

        // an event's data changed (and the part digest with it): refused, naming the event
        ObjectNode edited = bundle.deepCopy();
        ObjectNode e0 = (ObjectNode) edited.get("events").get(0);
        ((ObjectNode) e0.get("data")).put("name", "someone else");
        Path f1 = dir.resolve("edited-" + a + ".json");
        Files.writeString(f1, JSON.writeValueAsString(edited));
        Run r1 = verify(f1, key);
        assertEquals(1, r1.exit(), r1.output());
        assertTrue(r1.output().contains("event " + e0.get("seq").asLong() + " (" + e0.get("id").asText()
                + "): hash mismatch"), r1.output());
        assertTrue(r1.output().contains("events: SHA-256"), r1.output());

        // an event dropped and the manifest count "fixed": the manifest signature fails
        ObjectNode dropped = bundle.deepCopy();
        ((ArrayNode) dropped.get("events")).remove(1);
        ((ObjectNode) dropped.get("manifest").get("counts")).put("events", dropped.get("events").size());
        Path f2 = dir.resolve("dropped-" + a + ".json");
        Files.writeString(f2, JSON.writeValueAsString(dropped));
        Run r2 = verify(f2, key);
        assertEquals(1, r2.exit(), r2.output());
        assertTrue(r2.output().contains("signature: the manifest signature does not verify"), r2.output());

        // a receipt that no longer matches its event
        ObjectNode receipt = bundle.deepCopy();
        ((ObjectNode) receipt.get("receipts").get(0).get("record")).put("op", "recall");
        Path f3 = dir.resolve("receipt-" + a + ".json");
        Files.writeString(f3, JSON.writeValueAsString(receipt));
        Run r3 = verify(f3, key);
        assertEquals(1, r3.exit(), r3.output());
        assertTrue(r3.output().contains("receipts[0]: differs from the audit event"), r3.output());

        // another key: refused
        Path other = dir.resolve("other-" + a + ".pub.pem");
        byte[] der = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded();
        Files.writeString(other, "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(der)
                + "\n-----END PUBLIC KEY-----\n");
        Run r4 = verify(file, other);
        assertEquals(1, r4.exit(), r4.output());
        assertTrue(r4.output().contains("checkpoint"), r4.output());
    }

    @Test
    void evidenceIsOperatorOnlyAndValidated() {
        asAgent("a1").body(Map.of("agentId", "a1")).post("/api/evidence").then().statusCode(403);
        asOperator().body(Map.of("agent", "a1")).post("/api/evidence").then().statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("agent"));
        asOperator().body(Map.of("from", "soon")).post("/api/evidence").then().statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("from"));
    }
}
