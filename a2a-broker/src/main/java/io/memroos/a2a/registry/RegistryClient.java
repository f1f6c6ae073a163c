package io.memroos.a2a.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memroos.a2a.domain.AgentRef;
import io.memroos.a2a.domain.Directory;
import org.jboss.logging.Logger;

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
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registry's {@code /internal/agents} routes with a {@code service:a2a-broker} token. Answers are kept for
 * a few seconds so a busy task stream does not ask the registry on every message.
 */
public final class RegistryClient implements Directory {

    private static final Logger LOG = Logger.getLogger(RegistryClient.class);

    private final String baseUrl;
    private final ServiceTokens tokens;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private final Duration cacheFor;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private volatile Cached activeCache;
    private final Set<String> refreshing = ConcurrentHashMap.newKeySet();
    /** A cached answer older than cacheFor but younger than this many cacheFor is served while it is refreshed. */
    private static final int STALE_FACTOR = 2;

    private record Cached(Object value, long at) {
    }

    public RegistryClient(String baseUrl, String signingKey, Duration cacheFor) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.tokens = new ServiceTokens(signingKey);
        this.cacheFor = cacheFor;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(3)).build();
    }

    @Override
    @SuppressWarnings("unchecked")
    public Optional<AgentRef> find(String agentId) {
        Cached c = cache.get(agentId);
        long age = c == null ? Long.MAX_VALUE : System.nanoTime() - c.at;
        if (age < cacheFor.toNanos()) {
            return (Optional<AgentRef>) c.value;
        }
        if (age < cacheFor.toNanos() * STALE_FACTOR) {
            // Stale but recent: answer from the cache and refresh once in the background, so a busy agent's
            // requests never queue behind a registry round trip (a deregistration shows within ~2 x cacheFor).
            if (refreshing.add(agentId)) {
                try {
                    CompletableFuture.runAsync(() -> {
                        try {
                            load(agentId);
                        } catch (RuntimeException e) {
                            LOG.debugf("registry refresh of %s failed: %s", agentId, e.getMessage());
                        } finally {
                            refreshing.remove(agentId);
                        }
                    });
                } catch (RuntimeException e) {
                    refreshing.remove(agentId);
                }
            }
            return (Optional<AgentRef>) c.value;
        }
        return load(agentId);
    }

    @Override
    public Optional<AgentRef> peek(String agentId) {
        Cached c = cache.get(agentId);
        // fresh or stale-but-recent: find() answers from the cache (a stale entry is refreshed in the background)
        return c == null || System.nanoTime() - c.at >= cacheFor.toNanos() * STALE_FACTOR ? null : find(agentId);
    }

    private Optional<AgentRef> load(String agentId) {
        JsonNode body = get("/internal/agents/" + URLEncoder.encode(agentId, StandardCharsets.UTF_8));
        Optional<AgentRef> out = body == null ? Optional.empty() : Optional.of(agent(body));
        cache.put(agentId, new Cached(out, System.nanoTime()));
        return out;
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<AgentRef> active() {
        Cached c = activeCache;
        if (c != null && System.nanoTime() - c.at < cacheFor.toNanos()) {
            return (List<AgentRef>) c.value;
        }
        List<AgentRef> out = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 50; page++) {
            JsonNode body = get("/internal/agents?limit=200"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
            if (body == null) {
                break;
            }
            for (JsonNode a : body.path("items")) {
                out.add(agent(a));
            }
            cursor = body.path("nextCursor").isTextual() ? body.path("nextCursor").asText() : null;
            if (cursor == null) {
                break;
            }
        }
        List<AgentRef> result = List.copyOf(out);
        activeCache = new Cached(result, System.nanoTime());
        return result;
    }

    private JsonNode get(String path) {
        for (int attempt = 0; attempt < 2; attempt++) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(5))
                    .header("Authorization", "Bearer " + tokens.token()).header("Accept", "application/json").GET()
                    .build();
            try {
                HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 404) {
                    return null;
                }
                if (r.statusCode() == 401 && attempt == 0) {
                    tokens.forget();
                    continue;
                }
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("registry answered " + r.statusCode() + " on " + path);
                }
                return json.readTree(r.body());
            } catch (IOException e) {
                LOG.warnf("registry unreachable at %s: %s", baseUrl, e.getMessage());
                throw new IllegalStateException("registry unreachable: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        throw new IllegalStateException("registry refused the broker's token");
    }

    private static AgentRef agent(JsonNode a) {
        List<AgentRef.SkillRef> skills = new ArrayList<>();
        for (JsonNode s : a.path("skills")) {
            List<String> tags = new ArrayList<>();
            s.path("tags").forEach(t -> tags.add(t.asText()));
            skills.add(new AgentRef.SkillRef(s.path("id").asText(), s.path("name").asText(),
                    s.path("description").asText(""), tags));
        }
        List<String> caps = new ArrayList<>();
        a.path("capabilities").forEach(t -> caps.add(t.asText()));
        return new AgentRef(a.path("id").asText(), a.path("name").asText(), a.path("description").asText(""),
                skills, caps, a.path("endpoint").path("kind").asText("a2a"), a.path("endpoint").path("url").asText(null),
                a.path("status").asText("active"), a.path("liveness").asText(null),
                a.path("cardUrl").isTextual() ? a.path("cardUrl").asText() : null);
    }
}
