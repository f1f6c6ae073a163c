package io.memroos.a2a.broker;

import io.memroos.a2a.domain.A2aException;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * Decides whether the broker may call a URL: allowlisted prefixes always pass; anything else must be
 * http(s) to a host whose every address is public, and only when public hosts are allowed at all.
 */
public final class UrlGuard {

    /** Resolves a host name; a seam for tests. */
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final List<String> allowedPrefixes;
    private final boolean publicHostsAllowed;
    private final Resolver resolver;

    public UrlGuard(List<String> allowedPrefixes, boolean publicHostsAllowed, Resolver resolver) {
        this.allowedPrefixes = List.copyOf(allowedPrefixes);
        this.publicHostsAllowed = publicHostsAllowed;
        this.resolver = resolver;
    }

    /**
     * Returns the normalized URL to fetch, or throws a refusal naming {@code field} and the reason when it may
     * not be fetched.
     */
    public URI check(String field, URI original) {
        URI uri = original.normalize();
        String rawPath = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (rawPath.startsWith("/..") || rawPath.contains("/../") || rawPath.endsWith("/..")
                || rawPath.toLowerCase(Locale.ROOT).contains("%2e")) {
            throw A2aException.invalidParams(field + ": " + "URL path must not contain dot segments");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw A2aException.invalidParams(field + ": " + "scheme '" + scheme + "' is not allowed, use http or https");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw A2aException.invalidParams(field + ": " + "URL has no host");
        }
        if (uri.getRawUserInfo() != null) {
            throw A2aException.invalidParams(field + ": " + "URL must not carry credentials");
        }
        String text = uri.toString();
        for (String prefix : allowedPrefixes) {
            if (text.startsWith(prefix)) {
                return uri;
            }
        }
        if (!publicHostsAllowed) {
            throw A2aException.invalidParams(field + ": " + text + " is not under an allowlisted URL prefix");
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(bare);
        } catch (UnknownHostException e) {
            throw A2aException.invalidParams(field + ": " + "host " + bare + " does not resolve");
        }
        for (InetAddress address : addresses) {
            String kind = restrictedKind(address);
            if (kind != null) {
                throw A2aException.invalidParams(field + ": host " + bare + " resolves to " + kind
                        + " address, not in the allowlist");
            }
        }
        return uri;
    }

    /** "a loopback", "a private", ... for addresses the registry must not call; null for a public one. */
    static String restrictedKind(InetAddress a) {
        if (a.isLoopbackAddress()) {
            return "a loopback";
        }
        if (a.isAnyLocalAddress()) {
            return "an unspecified";
        }
        if (a.isLinkLocalAddress()) {
            return "a link-local";
        }
        if (a.isSiteLocalAddress()) {
            return "a private";
        }
        if (a.isMulticastAddress()) {
            return "a multicast";
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            if (first == 0) {
                return "an unspecified";
            }
            if (first == 100 && second >= 64 && second <= 127) {
                return "a shared (carrier-grade NAT)";
            }
            if (first == 169 && second == 254) {
                return "a link-local";
            }
            if (first >= 240) {
                return "a reserved";
            }
        } else if (a instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return "a private (unique local)";
            }
            if ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0x80) {
                return "a link-local";
            }
        }
        return null;
    }
}
