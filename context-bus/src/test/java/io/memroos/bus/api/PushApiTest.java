package io.memroos.bus.api;

import com.sun.net.httpserver.HttpServer;
import io.memroos.bus.push.HttpPushTransport;
import io.memroos.bus.testing.FakeRegistryResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.memroos.bus.api.Api.agent;
import static io.memroos.bus.api.Api.asAgent;
import static io.memroos.bus.api.Api.asOperator;
import static io.memroos.bus.api.Api.poll;
import static io.memroos.bus.api.Api.registry;
import static io.memroos.bus.api.Api.send;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(FakeRegistryResource.class)
class PushApiTest {

    record Received(String signature, String body, int attempt) {
    }

    @Test
    void pushesSignedMessagesToTheAgentEndpointAndRetriesFailures() throws Exception {
        BlockingQueue<Received> received = new LinkedBlockingQueue<>();
        AtomicInteger failuresLeft = new AtomicInteger(1);
        HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        hook.createContext("/hook", ex -> {
            try (ex) {
                String body = new String(ex.getRequestBody().readAllBytes());
                received.add(new Received(ex.getRequestHeaders().getFirst(HttpPushTransport.SIGNATURE), body,
                        Integer.parseInt(ex.getRequestHeaders().getFirst("X-MemRoOS-Delivery-Attempt"))));
                ex.sendResponseHeaders(failuresLeft.getAndDecrement() > 0 ? 500 : 204, -1);
            }
        });
        hook.start();
        try {
            String a = agent();
            String b = "agt_push_" + io.memroos.bus.testing.TestTokens.unique();
            String url = "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook";
            registry().add(b, List.of(), "active", "rest", url);
            String secret = "s3cret-s3cret-s3cret";
            asAgent(b).body(Map.of("secret", secret)).post("/api/agent-context/subscriptions")
                    .then().statusCode(200).body("url", equalTo(url)).body("enabled", equalTo(true));

            String id = send(a, b, "pushed");
            Received first = received.poll(5, TimeUnit.SECONDS);
            assertNotNull(first);
            assertEquals(1, first.attempt());
            Received second = received.poll(5, TimeUnit.SECONDS);
            assertNotNull(second, "a failed push is retried");
            assertEquals(2, second.attempt());
            assertTrue(second.body().contains(id));
            String[] parts = second.signature().split(",");
            long t = Long.parseLong(parts[0].substring(2));
            assertEquals("v1=" + HttpPushTransport.sign(secret, t, second.body().getBytes()), parts[1]);

            Thread.sleep(300);
            asOperator().get("/api/agent-context/admin/backlog").then().statusCode(200);
            assertEquals(0, poll(b, 10).getList("items").size(), "acknowledged by the 2xx");

            asAgent(b).delete("/api/agent-context/subscriptions").then().statusCode(204);
            String later = send(a, b, "not pushed");
            assertEquals(later, poll(b, 10).getString("items[0].message.id"));
            asAgent(b).get("/api/agent-context/subscriptions").then().statusCode(404);
        } finally {
            hook.stop(0);
        }
    }

    @Test
    void anAgentWithoutARestEndpointMustNameAUrl() {
        String b = "agt_a2a_" + io.memroos.bus.testing.TestTokens.unique();
        registry().add(b, List.of(), "active", "a2a", "http://127.0.0.1:9/a2a");
        asAgent(b).body(Map.of()).post("/api/agent-context/subscriptions")
                .then().statusCode(400).body("errors[0].field", equalTo("url"));
        asAgent(b).body(Map.of("url", "ftp://x")).post("/api/agent-context/subscriptions")
                .then().statusCode(400).body("errors[0].field", equalTo("url"));
    }
}
