package io.memroos.registry.remote;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.memroos.registry.domain.AgentCard;
import io.memroos.registry.domain.CardSource;
import io.memroos.registry.domain.RegistryException;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fetches agent cards over HTTP under the outside-call rules: every hop checked by {@link UrlGuard},
 * redirects followed by hand up to a limit, one deadline for the whole fetch, and a body cut at a size limit.
 */
public final class HttpCardSource implements CardSource {

    private static final String FIELD = "cardUrl";

    private final HttpClient client;
    private final UrlGuard guard;
    private final CardReader reader;
    private final Duration timeout;
    private final int maxBytes;
    private final int maxRedirects;

    public HttpCardSource(List<String> allowedPrefixes, boolean publicHostsAllowed, Duration timeout, int maxBytes,
                          int maxRedirects, ObjectMapper json) {
        this.guard = new UrlGuard(allowedPrefixes, publicHostsAllowed, InetAddress::getAllByName);
        this.reader = new CardReader(json);
        this.timeout = timeout;
        this.maxBytes = maxBytes;
        this.maxRedirects = maxRedirects;
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    @Override
    public Fetched fetch(String cardUrl, String etag) {
        long deadline = System.nanoTime() + timeout.toNanos();
        URI uri = parse(cardUrl);
        for (int hop = 0; ; hop++) {
            uri = guard.check(FIELD, uri);
            HttpResponse<byte[]> response = send(uri, etag, deadline);
            int status = response.statusCode();
            if (isRedirect(status)) {
                if (hop >= maxRedirects) {
                    throw RegistryException.invalid(FIELD, "more than " + maxRedirects + " redirects");
                }
                String location = response.headers().firstValue("Location")
                        .orElseThrow(() -> RegistryException.invalid(FIELD, "redirect without a Location"));
                try {
                    uri = uri.resolve(new URI(location.strip()));
                } catch (URISyntaxException e) {
                    throw RegistryException.invalid(FIELD, "redirect to an invalid URL");
                }
                continue;
            }
            if (status == 304 && etag != null) {
                return new Fetched(null, etag, null);
            }
            if (status != 200) {
                throw RegistryException.invalid(FIELD, uri + " answered HTTP " + status);
            }
            byte[] body = response.body();
            AgentCard card = reader.read(body);
            String newEtag = response.headers().firstValue("ETag").orElse(null);
            return new Fetched(card, newEtag, new String(body, StandardCharsets.UTF_8));
        }
    }

    private HttpResponse<byte[]> send(URI uri, String etag, long deadline) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            throw timedOut();
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .GET()
                .timeout(Duration.ofNanos(remaining))
                .header("Accept", "application/json")
                .header("User-Agent", "memroos-registry");
        if (etag != null) {
            request.header("If-None-Match", etag);
        }
        CompletableFuture<HttpResponse<byte[]>> future = client.sendAsync(request.build(), info -> {
            if (info.statusCode() != 200) {
                return HttpResponse.BodySubscribers.replacing(new byte[0]);
            }
            long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared > maxBytes) {
                return HttpResponse.BodySubscribers.replacing(null);
            }
            return new LimitedBody(maxBytes);
        });
        try {
            HttpResponse<byte[]> response = future.get(remaining, TimeUnit.NANOSECONDS);
            if (response.statusCode() == 200 && response.body() == null) {
                throw tooLarge();
            }
            return response;
        } catch (TimeoutException e) {
            future.cancel(true);
            throw timedOut();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RegistryException.invalid(FIELD, "interrupted");
        } catch (ExecutionException e) {
            for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                if (t instanceof LimitedBody.TooLarge) {
                    throw tooLarge();
                }
                if (t instanceof HttpTimeoutException) {
                    throw timedOut();
                }
            }
            Throwable cause = e.getCause();
            throw RegistryException.invalid(FIELD, "could not fetch " + uri + ": "
                    + (cause == null ? "unknown error" : cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : " " + cause.getMessage())));
        }
    }

    private RegistryException tooLarge() {
        return RegistryException.invalid(FIELD, "the card is larger than " + maxBytes + " bytes");
    }

    private RegistryException timedOut() {
        return RegistryException.invalid(FIELD, "no complete answer within " + timeout.toMillis() + " ms");
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static URI parse(String url) {
        try {
            return new URI(url);
        } catch (URISyntaxException e) {
            throw RegistryException.invalid(FIELD, "is not a valid URL");
        }
    }
}
