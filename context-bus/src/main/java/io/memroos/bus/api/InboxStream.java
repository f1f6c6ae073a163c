package io.memroos.bus.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memroos.bus.domain.Delivery;
import io.memroos.bus.domain.InboxSignals;
import io.memroos.bus.domain.MessageService;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One open SSE stream of an inbox: claims what is visible, sends it, then waits (without a thread) for the next
 * wake-up; a comment every 15 s keeps the connection (and tells a closed one apart).
 */
final class InboxStream {

    private static final Logger LOG = Logger.getLogger(InboxStream.class);
    private static final int BATCH = 50;
    private static final long KEEP_ALIVE_SECONDS = 15;

    private final MessageService bus;
    private final InboxSignals signals;
    private final ObjectMapper json;
    private final ExecutorService executor;
    private final String inbox;
    private final SseEventSink sink;
    private final Sse sse;
    private long resumeAfter;

    InboxStream(MessageService bus, InboxSignals signals, ObjectMapper json, ExecutorService executor, String inbox,
                long resumeAfter, SseEventSink sink, Sse sse) {
        this.bus = bus;
        this.signals = signals;
        this.json = json;
        this.executor = executor;
        this.inbox = inbox;
        this.resumeAfter = resumeAfter;
        this.sink = sink;
        this.sse = sse;
    }

    void start() {
        // an initial comment flushes the response headers, so the client knows the stream is open
        sink.send(sse.newEventBuilder().comment("inbox " + inbox).build())
                .whenComplete((v, e) -> executor.execute(this::pump));
    }

    private void pump() {
        if (sink.isClosed()) {
            return;
        }
        CompletableFuture<Void> signal = signals.register(inbox);
        List<Delivery> batch;
        try {
            batch = bus.claimForStream(inbox, BATCH, resumeAfter);
            resumeAfter = Long.MAX_VALUE;
        } catch (RuntimeException e) {
            signals.unregister(inbox, signal);
            LOG.warnf("stream of %s stopped: %s", inbox, e.getMessage());
            sink.close();
            return;
        }
        if (!batch.isEmpty()) {
            signals.unregister(inbox, signal);
            send(batch, 0).whenComplete((v, e) -> {
                if (e != null) {
                    sink.close();
                } else {
                    executor.execute(this::pump);
                }
            });
            return;
        }
        signal.completeOnTimeout(null, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS).thenRunAsync(() -> {
            signals.unregister(inbox, signal);
            if (sink.isClosed()) {
                return;
            }
            sink.send(sse.newEventBuilder().comment("keep-alive").build()).whenComplete((v, e) -> {
                if (e != null) {
                    sink.close();
                } else {
                    executor.execute(this::pump);
                }
            });
        }, executor);
    }

    private CompletionStage<?> send(List<Delivery> batch, int i) {
        if (i == batch.size()) {
            return CompletableFuture.completedFuture(null);
        }
        Delivery d = batch.get(i);
        String data;
        try {
            data = json.writeValueAsString(Json.item(d));
        } catch (JsonProcessingException e) {
            return CompletableFuture.failedFuture(e);
        }
        return sink.send(sse.newEventBuilder().name("message").id(Long.toString(d.seq()))
                        .data(data).build())
                .thenCompose(v -> send(batch, i + 1));
    }
}
