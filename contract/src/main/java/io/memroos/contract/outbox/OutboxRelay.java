package io.memroos.contract.outbox;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Sends the outbox to governance: one thread polls undelivered rows in {@code seq} order, POSTs them in
 * batches to {@code /internal/events}, and marks them delivered only after a 2xx. While governance is
 * down it retries the same batch with exponential backoff and jitter, so nothing is lost or reordered;
 * its only state is the table, so a restart resumes where it stopped (a batch sent but not yet marked
 * is sent again; governance ingests by event id, so that is harmless).
 *
 * <p>Answers: 2xx delivered; 400, 413, 422 mean the batch is bad: the relay resends its events one by
 * one and parks only those refused on their own (kept in the table, logged, counted); every other answer
 * and every connection failure is retried (401/403 included: a key not yet in place is an outage, not a
 * bad event).
 */
public final class OutboxRelay implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(OutboxRelay.class.getName());
    /** Governance takes at most this many events per call. */
    public static final int MAX_BATCH = 500;

    private final OutboxStore store;
    private final URI endpoint;
    private final Supplier<String> token;
    private final HttpClient http;
    private final int batchSize;
    private final Duration pollInterval;
    private final Duration linger;
    private final Duration backoffInitial;
    private final Duration backoffMax;
    private final Duration requestTimeout;
    private final Duration retention;
    private final Duration purgeInterval;
    private final Clock clock;
    private final String name;

    private final Object signal = new Object();
    private boolean nudged;
    /** The relay waits and a {@link #wake()} may cut the wait short (guarded by {@code signal}). */
    private boolean wakeableWait;
    private volatile boolean running;
    private volatile boolean closed;
    private Thread thread;

    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile String lastError;
    private volatile Instant lastErrorAt;
    private volatile Instant lastDeliveryAt;
    private int failuresInRow;
    private Instant lastPurge = Instant.EPOCH;

    private OutboxRelay(Builder b) {
        this.store = Objects.requireNonNull(b.store, "store");
        this.endpoint = Objects.requireNonNull(b.endpoint, "endpoint");
        this.token = Objects.requireNonNull(b.token, "token");
        this.batchSize = b.batchSize;
        this.pollInterval = b.pollInterval;
        this.linger = b.linger;
        this.backoffInitial = b.backoffInitial;
        this.backoffMax = b.backoffMax;
        this.requestTimeout = b.requestTimeout;
        this.retention = b.retention;
        this.purgeInterval = b.purgeInterval;
        this.clock = b.clock;
        this.name = b.name;
        this.http = b.http != null ? b.http : HttpClient.newBuilder()
                .connectTimeout(b.connectTimeout)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /**
     * @param store    the outbox table
     * @param endpoint governance's {@code /internal/events}, e.g. {@code http://127.0.0.1:8087/internal/events}
     * @param token    a bearer token for each call ({@code service:<name>}); called once per request
     */
    public static Builder builder(OutboxStore store, URI endpoint, Supplier<String> token) {
        return new Builder(store, endpoint, token);
    }

    /** Starts the relay thread (a daemon). Idempotent. */
    public synchronized void start() {
        if (running) {
            return;
        }
        closed = false;
        running = true;
        thread = new Thread(this::loop, "outbox-relay-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops the thread and waits for it (a batch in flight is finished or abandoned unmarked). */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            closed = true;
            running = false;
            t = thread;
            thread = null;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(requestTimeout.toMillis() + 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Asks an idle relay to look at the table now (call it after a transaction that appended commits). */
    public void wake() {
        synchronized (signal) {
            nudged = true;
            // a relay lingering over a partial batch is not cut short, so it is not woken either: one thread switch
            // saved per commit on a busy service
            if (wakeableWait) {
                signal.notifyAll();
            }
        }
    }

    /** Puts parked rows back in line and wakes the relay; returns how many. */
    public int requeueParked() {
        int n = store.requeueParked();
        wake();
        return n;
    }

    public OutboxStats stats() {
        long pending;
        long parked;
        try {
            pending = store.countPending();
            parked = store.countParked();
        } catch (RuntimeException e) {
            pending = -1;
            parked = -1;
        }
        return new OutboxStats(pending, parked, delivered.get(), failures.get(), lastError, lastErrorAt,
                lastDeliveryAt, running);
    }

    private void loop() {
        while (running) {
            long waitMillis;
            boolean idle = false;
            try {
                Step step = step();
                waitMillis = step.waitMillis;
                idle = step.idle;
            } catch (RuntimeException e) {
                fail("outbox store: " + e.getMessage());
                waitMillis = backoffMillis();
            }
            if (waitMillis > 0 && running) {
                pause(waitMillis, idle);
            }
        }
    }

    record Step(long waitMillis, boolean idle) {
    }

    /** One round: purge when due, send one batch. */
    Step step() {
        purgeIfDue();
        List<PendingEvent> batch = store.fetchPending(batchSize);
        if (batch.isEmpty()) {
            return new Step(pollInterval.toMillis(), true);
        }
        Answer answer = post(batch);
        if (answer.kind == Kind.OK) {
            delivered(batch);
            // a full batch: more is waiting, send on at once; a partial one: let the next events gather for a
            // moment instead of posting them one by one while the service is busy (wake() does not cut this short)
            return new Step(batch.size() < batchSize ? linger.toMillis() : 0, false);
        }
        if (answer.kind == Kind.RETRY) {
            fail(answer.error);
            return new Step(backoffMillis(), false);
        }
        // The batch is bad: find the events governance refuses on their own, keep order for the rest.
        for (PendingEvent event : batch) {
            Answer one = batch.size() == 1 ? answer : post(List.of(event));
            if (one.kind == Kind.OK) {
                delivered(List.of(event));
            } else if (one.kind == Kind.BAD) {
                store.park(event.seq(), one.error, clock.instant());
                failures.incrementAndGet();
                lastError = "parked event " + event.eventId() + ": " + one.error;
                lastErrorAt = clock.instant();
                LOG.log(System.Logger.Level.ERROR, "outbox {0}: governance refused event {1}, parked: {2}",
                        name, event.eventId(), one.error);
            } else {
                fail(one.error);
                return new Step(backoffMillis(), false);
            }
        }
        return new Step(0, false);
    }

    private void delivered(List<PendingEvent> batch) {
        List<Long> seqs = new ArrayList<>(batch.size());
        for (PendingEvent e : batch) {
            seqs.add(e.seq());
        }
        store.markDelivered(seqs, clock.instant());
        delivered.addAndGet(batch.size());
        lastDeliveryAt = clock.instant();
        if (failuresInRow > 0) {
            LOG.log(System.Logger.Level.INFO, "outbox {0}: governance answers again after {1} failed attempts",
                    name, failuresInRow);
        }
        failuresInRow = 0;
    }

    private void fail(String error) {
        if (closed) {
            return; // closing: an abandoned call is no failure
        }
        failures.incrementAndGet();
        failuresInRow++;
        lastError = error;
        lastErrorAt = clock.instant();
        if (failuresInRow == 1 || failuresInRow % 20 == 0) {
            LOG.log(System.Logger.Level.WARNING, "outbox {0}: delivery failed ({1} in a row), will retry: {2}",
                    name, failuresInRow, error);
        }
    }

    /** Exponential backoff with full jitter on the upper half: [d/2, d], d = min(max, initial * 2^(n-1)). */
    private long backoffMillis() {
        int n = Math.max(1, Math.min(failuresInRow, 30));
        long base = backoffInitial.toMillis();
        long cap = backoffMax.toMillis();
        long d = base;
        for (int i = 1; i < n && d < cap; i++) {
            d *= 2;
        }
        d = Math.min(d, cap);
        long half = Math.max(1, d / 2);
        return half + ThreadLocalRandom.current().nextLong(d - half + 1);
    }

    private void pause(long millis, boolean wakeable) {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        synchronized (signal) {
            wakeableWait = wakeable;
            while (running) {
                if (wakeable && nudged) {
                    break;
                }
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    break;
                }
                try {
                    signal.wait(left);
                } catch (InterruptedException e) {
                    if (!running) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
            wakeableWait = false;
            if (wakeable) {
                nudged = false;
            }
        }
    }

    private void purgeIfDue() {
        Instant now = clock.instant();
        if (Duration.between(lastPurge, now).compareTo(purgeInterval) < 0) {
            return;
        }
        lastPurge = now;
        int n = store.purgeDelivered(now.minus(retention));
        if (n > 0) {
            LOG.log(System.Logger.Level.DEBUG, "outbox {0}: purged {1} delivered rows", name, n);
        }
    }

    private enum Kind { OK, RETRY, BAD }

    private record Answer(Kind kind, String error) {
    }

    private Answer post(List<PendingEvent> batch) {
        StringBuilder body = new StringBuilder(64 + batch.size() * 256).append("{\"events\":[");
        for (int i = 0; i < batch.size(); i++) {
            if (i > 0) {
                body.append(',');
            }
            body.append(batch.get(i).payload());
        }
        body.append("]}");
        String bearer;
        try {
            bearer = token.get();
        } catch (RuntimeException e) {
            return new Answer(Kind.RETRY, "no token: " + e.getMessage());
        }
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("Authorization", "Bearer " + bearer)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Answer(Kind.RETRY, "governance unreachable at " + endpoint + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(Kind.RETRY, "interrupted");
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return new Answer(Kind.OK, null);
        }
        String detail = "HTTP " + status + " from " + endpoint + ": " + abbreviate(response.body());
        if (status == 400 || status == 413 || status == 422) {
            return new Answer(Kind.BAD, detail);
        }
        return new Answer(Kind.RETRY, detail);
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        String flat = s.replaceAll("\\s+", " ");
        return flat.length() <= 300 ? flat : flat.substring(0, 300) + "...";
    }

    public static final class Builder {
        private final OutboxStore store;
        private final URI endpoint;
        private final Supplier<String> token;
        private HttpClient http;
        private int batchSize = 200;
        private Duration pollInterval = Duration.ofMillis(500);
        private Duration linger = Duration.ofMillis(100);
        private Duration backoffInitial = Duration.ofMillis(250);
        private Duration backoffMax = Duration.ofSeconds(30);
        private Duration connectTimeout = Duration.ofSeconds(2);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Duration retention = Duration.ofDays(7);
        private Duration purgeInterval = Duration.ofMinutes(10);
        private Clock clock = Clock.systemUTC();
        private String name = "outbox";

        private Builder(OutboxStore store, URI endpoint, Supplier<String> token) {
            this.store = store;
            this.endpoint = endpoint;
            this.token = token;
        }

        /** Events per call, 1..500 (default 200). */
        public Builder batchSize(int n) {
            if (n < 1 || n > MAX_BATCH) {
                throw new IllegalArgumentException("batchSize must be 1.." + MAX_BATCH);
            }
            this.batchSize = n;
            return this;
        }

        /**
         * How long the relay waits after sending a batch that was not full before it looks again (default 100 ms), so
         * that under load events travel in batches rather than one request each; {@code Duration.ZERO} sends at once.
         */
        public Builder linger(Duration d) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException("linger must be zero or positive");
            }
            this.linger = d;
            return this;
        }

        /** How often an idle relay looks at the table (default 500 ms; {@link #wake()} cuts it short). */
        public Builder pollInterval(Duration d) {
            this.pollInterval = positive(d, "pollInterval");
            return this;
        }

        /** First and longest wait between failed attempts (defaults 250 ms and 30 s). */
        public Builder backoff(Duration initial, Duration max) {
            this.backoffInitial = positive(initial, "backoff initial");
            this.backoffMax = positive(max, "backoff max");
            if (max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("backoff max must be at least the initial backoff");
            }
            return this;
        }

        public Builder timeouts(Duration connect, Duration request) {
            this.connectTimeout = positive(connect, "connect timeout");
            this.requestTimeout = positive(request, "request timeout");
            return this;
        }

        /** How long delivered rows are kept, and how often they are purged (defaults 7 days, 10 min). */
        public Builder retention(Duration keep, Duration purgeEvery) {
            if (keep == null || keep.isNegative()) {
                throw new IllegalArgumentException("retention must not be negative");
            }
            this.retention = keep;
            this.purgeInterval = positive(purgeEvery, "purge interval");
            return this;
        }

        public Builder httpClient(HttpClient client) {
            this.http = client;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** A name for the thread and the log lines (the service's name). */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name);
            return this;
        }

        public OutboxRelay build() {
            return new OutboxRelay(this);
        }

        private static Duration positive(Duration d, String what) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive");
            }
            return d;
        }
    }
}
