package io.memroos.gateway.proxy;

import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Public path prefix -> service -> base URL. A prefix matches itself and anything below it
 * ({@code /api/agents} matches {@code /api/agents} and {@code /api/agents/x}, not {@code /api/agentsx}).
 * The longest prefix wins. {@code /internal} can never be routed.
 */
public final class RouteTable {

    /** One service the gateway talks to. */
    public record Service(String name, URI baseUrl) {
        public Service {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(baseUrl, "baseUrl");
            if (!"http".equals(baseUrl.getScheme()) && !"https".equals(baseUrl.getScheme())) {
                throw new IllegalArgumentException("service " + name + ": URL must be http or https: " + baseUrl);
            }
            if (baseUrl.getHost() == null) {
                throw new IllegalArgumentException("service " + name + ": URL has no host: " + baseUrl);
            }
        }

        public int port() {
            return baseUrl.getPort() != -1 ? baseUrl.getPort() : "https".equals(baseUrl.getScheme()) ? 443 : 80;
        }

        public boolean tls() {
            return "https".equals(baseUrl.getScheme());
        }

        /** The base path without trailing slash ("" for none). */
        public String basePath() {
            String p = baseUrl.getPath() == null ? "" : baseUrl.getPath();
            return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
        }
    }

    /** One prefix and the service it goes to. */
    public record Route(String prefix, Service service) {
    }

    private final Map<String, Service> services;
    private final List<Route> routes;

    public RouteTable(Map<String, String> serviceUrls, Map<String, String> prefixToService) {
        this.services = serviceUrls.entrySet().stream()
                .collect(java.util.stream.Collectors.toUnmodifiableMap(Map.Entry::getKey,
                        e -> new Service(e.getKey(), URI.create(e.getValue().trim()))));
        this.routes = prefixToService.entrySet().stream()
                .map(e -> new Route(normalisePrefix(e.getKey()), serviceNamed(e.getValue())))
                .sorted(Comparator.comparingInt((Route r) -> r.prefix().length()).reversed())
                .toList();
    }

    /** The route for a (normalised) request path, if any. */
    public Optional<Route> match(String path) {
        if (path == null || isInternal(path)) {
            return Optional.empty();
        }
        for (Route route : routes) {
            String prefix = route.prefix();
            if (path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/')) {
                return Optional.of(route);
            }
        }
        return Optional.empty();
    }

    public List<Route> routes() {
        return routes;
    }

    /** All services by name (sorted by name). */
    public List<Service> services() {
        return services.values().stream().sorted(Comparator.comparing(Service::name)).toList();
    }

    public Service service(String name) {
        return serviceNamed(name);
    }

    /** Whether the path is under {@code /internal}, which the gateway never exposes. */
    public static boolean isInternal(String path) {
        return path.equals("/internal") || path.startsWith("/internal/");
    }

    private Service serviceNamed(String name) {
        Service s = services.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no URL configured for service '" + name
                    + "' (set memroos.gateway.services." + name + ")");
        }
        return s;
    }

    private static String normalisePrefix(String raw) {
        String p = raw.trim();
        // config map keys may arrive quoted ("/api/agents") when they contain slashes
        if (p.length() > 1 && p.startsWith("\"") && p.endsWith("\"")) {
            p = p.substring(1, p.length() - 1);
        }
        if (!p.startsWith("/")) {
            p = "/" + p;
        }
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.equals("/") || isInternal(p)) {
            throw new IllegalArgumentException("route prefix not allowed: " + raw);
        }
        return p;
    }
}
