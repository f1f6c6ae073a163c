package io.memroos.bus.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memroos.bus.domain.BusException;
import io.memroos.bus.domain.Directory;
import io.memroos.bus.domain.Peer;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registry as the bus sees it: {@code GET /internal/agents/{id}} and {@code GET /internal/agents?capability=}
 * with the bus's own service token. Answers are cached for a few seconds (misses too); a registry that cannot
 * answer is a 503 with the reason.
 */
public final class RegistryClient implements Directory {

    /** The bus's own view of the registry's Agent JSON: only what it needs. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record AgentJson(String id, String name, List<String> capabilities, String status, String liveness,
                     EndpointJson endpoint) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record EndpointJson(String kind, String url) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record AgentPage(List<AgentJson> items, String nextCursor) {
    }

    private record Cached<T>(T value, long at) {
    }

    private static final int PAGE = 200;
    private static final int MAX_PAGES = 50;

    private final String baseUrl;
    private final ServiceTokens tokens;
    private final HttpClient http;
    private final ObjectMapper json;
    private final Duration timeout;
    private final long cacheNanos;
    private final ConcurrentHashMap<String, Cached<Peer>> agents = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Cached<List<Peer>>> lists = new ConcurrentHashMap<>();

    public RegistryClient(String baseUrl, String signingKeyLocation, ObjectMapper json, Duration timeout,
                          Duration cacheTtl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.tokens = new ServiceTokens(signingKeyLocation);
        this.json = json;
        this.timeout = timeout;
        this.cacheNanos = cacheTtl.toNanos();
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public Peer find(String agentId) {
        Cached<Peer> c = agents.get(agentId);
        if (c != null && System.nanoTime() - c.at() < cacheNanos) {
            return c.value();
        }
        HttpResponse<byte[]> r = get("/internal/agents/" + URLEncoder.encode(agentId, StandardCharsets.UTF_8));
        Peer peer;
        if (r.statusCode() == 404) {
            peer = null;
        } else if (r.statusCode() == 200) {
            peer = peer(read(r, AgentJson.class));
        } else {
            throw refused(r.statusCode());
        }
        if (agents.size() > 100_000) {
            agents.clear();
        }
        agents.put(agentId, new Cached<>(peer, System.nanoTime()));
        return peer;
    }

    @Override
    public List<Peer> active(String capability) {
        String key = capability == null ? "" : capability;
        Cached<List<Peer>> c = lists.get(key);
        if (c != null && System.nanoTime() - c.at() < cacheNanos) {
            return c.value();
        }
        List<Peer> out = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            StringBuilder path = new StringBuilder("/internal/agents?limit=" + PAGE);
            if (capability != null) {
                path.append("&capability=").append(URLEncoder.encode(capability, StandardCharsets.UTF_8));
            }
            if (cursor != null) {
                path.append("&cursor=").append(URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            }
            HttpResponse<byte[]> r = get(path.toString());
            if (r.statusCode() != 200) {
                throw refused(r.statusCode());
            }
            AgentPage p = read(r, AgentPage.class);
            if (p.items() != null) {
                for (AgentJson a : p.items()) {
                    Peer peer = peer(a);
                    if (peer.active()) {
                        out.add(peer);
                    }
                }
            }
            cursor = p.nextCursor();
            if (cursor == null) {
                break;
            }
        }
        List<Peer> result = List.copyOf(out);
        lists.put(key, new Cached<>(result, System.nanoTime()));
        return result;
    }

    private HttpResponse<byte[]> get(String path) {
        String token;
        try {
            token = tokens.token();
        } catch (IllegalStateException e) {
            throw BusException.unavailable("the context bus cannot call the registry: " + e.getMessage());
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout)
                .header("Authorization", "Bearer " + token).header("Accept", "application/json").GET().build();
        try {
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() == 401) {
                tokens.forget();
            }
            return r;
        } catch (IOException e) {
            throw BusException.unavailable("the registry at " + baseUrl + " cannot be reached (" + e.getClass()
                    .getSimpleName() + "); recipients and peers cannot be resolved");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw BusException.unavailable("interrupted while calling the registry");
        }
    }

    private <T> T read(HttpResponse<byte[]> r, Class<T> type) {
        try {
            return json.readValue(r.body(), type);
        } catch (IOException e) {
            throw BusException.unavailable("the registry answered with a body the bus cannot read");
        }
    }

    private BusException refused(int status) {
        return BusException.unavailable("the registry at " + baseUrl + " answered " + status
                + (status == 401 || status == 403 ? " to the bus's service token" : "")
                + "; recipients and peers cannot be resolved");
    }

    private static Peer peer(AgentJson a) {
        return new Peer(a.id(), a.name(), a.capabilities(), a.status() == null ? "active" : a.status(), a.liveness(),
                a.endpoint() == null ? null : a.endpoint().kind(), a.endpoint() == null ? null : a.endpoint().url());
    }
}
