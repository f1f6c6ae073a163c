package io.memroos.bus.api;

import io.memroos.bus.testing.FakeRegistryResource;
import io.memroos.bus.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.memroos.bus.api.Api.agent;
import static io.memroos.bus.api.Api.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(FakeRegistryResource.class)
class StreamApiTest {

    @TestHTTPResource("/api/agent-context/inbox/stream")
    URI streamUri;

    /** One SSE event: its id and the message id in its data. */
    record Event(long id, String messageId) {
    }

    /** An open stream, read on a background thread. */
    final class Stream implements AutoCloseable {
        final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        final java.util.stream.Stream<String> lines;
        final Thread reader;

        Stream(String agent, String lastEventId) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(streamUri)
                    .header("Authorization", "Bearer " + TestTokens.agent(agent))
                    .header("Accept", "text/event-stream");
            if (lastEventId != null) {
                b.header("Last-Event-ID", lastEventId);
            }
            HttpResponse<java.util.stream.Stream<String>> r = HttpClient.newHttpClient()
                    .send(b.build(), HttpResponse.BodyHandlers.ofLines());
            assertEquals(200, r.statusCode());
            lines = r.body();
            reader = new Thread(() -> {
                long[] id = {-1};
                try {
                    lines.forEach(line -> {
                        if (line.startsWith("id:")) {
                            id[0] = Long.parseLong(line.substring(3).strip());
                        } else if (line.startsWith("data:")) {
                            String data = line.substring(5);
                            int at = data.indexOf("\"id\":\"msg_");
                            events.add(new Event(id[0], data.substring(at + 6, data.indexOf('"', at + 6))));
                        }
                    });
                } catch (RuntimeException closed) {
                    // the test closed the stream
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        Event next() throws InterruptedException {
            return events.poll(5, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            lines.close();
            reader.interrupt();
        }
    }

    @Test
    void streamsMessagesAndResumesFromLastEventId() throws Exception {
        String a = agent();
        String b = agent();
        List<String> sent = new ArrayList<>();
        sent.add(send(a, b, "one"));
        List<Event> seen = new ArrayList<>();
        try (Stream s = new Stream(b, null)) {
            seen.add(s.next());
            sent.add(send(a, b, "two"));
            sent.add(send(a, b, "three"));
            seen.add(s.next());
            seen.add(s.next());
        }
        assertEquals(sent, seen.stream().map(Event::messageId).toList());
        assertTrue(seen.get(0).id() < seen.get(1).id() && seen.get(1).id() < seen.get(2).id(), "ids increase");

        // the first is acknowledged; the other two are still in flight (unacknowledged, invisible): a resume
        // after the first event gets those two again at once, then the new one
        Api.ack(b, sent.get(0));
        sent.add(send(a, b, "four"));
        try (Stream s = new Stream(b, Long.toString(seen.get(0).id()))) {
            List<String> got = List.of(s.next().messageId(), s.next().messageId(), s.next().messageId());
            assertEquals(sent.subList(1, 4), got);
            got.forEach(id -> Api.ack(b, id));
            assertNull(s.events.poll(300, TimeUnit.MILLISECONDS));
        }
        // a resume after the last event gets nothing already seen
        String five = send(a, b, "five");
        try (Stream s = new Stream(b, Long.toString(seen.get(2).id() + 1))) {
            assertEquals(five, s.next().messageId());
            assertNull(s.events.poll(300, TimeUnit.MILLISECONDS));
        }
    }
}
