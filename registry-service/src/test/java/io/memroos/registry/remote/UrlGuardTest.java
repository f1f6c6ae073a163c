package io.memroos.registry.remote;

import io.memroos.registry.domain.RegistryException;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UrlGuardTest {

    private static String kind(String address) throws Exception {
        return UrlGuard.restrictedKind(InetAddress.getByName(address));
    }

    @Test
    void classifiesRestrictedAddresses() throws Exception {
        assertEquals("a loopback", kind("127.0.0.1"));
        assertEquals("a loopback", kind("127.8.9.10"));
        assertEquals("a loopback", kind("::1"));
        assertEquals("an unspecified", kind("0.0.0.0"));
        assertEquals("an unspecified", kind("::"));
        assertEquals("a private", kind("10.0.0.1"));
        assertEquals("a private", kind("172.16.5.4"));
        assertEquals("a private", kind("172.31.255.255"));
        assertEquals("a private", kind("192.168.1.1"));
        assertEquals("a link-local", kind("169.254.169.254"));
        assertEquals("a link-local", kind("fe80::1"));
        assertEquals("a private (unique local)", kind("fc00::1"));
        assertEquals("a private (unique local)", kind("fd12:3456::1"));
        assertEquals("a shared (carrier-grade NAT)", kind("100.64.0.1"));
        assertEquals("a multicast", kind("224.0.0.1"));
        assertEquals("a loopback", kind("::ffff:127.0.0.1"));
        assertNull(kind("172.32.0.1"));
        assertNull(kind("8.8.8.8"));
        assertNull(kind("2001:4860:4860::8888"));
    }

    @Test
    void allowlistedPrefixesPassAndOthersAreChecked() {
        UrlGuard guard = new UrlGuard(List.of("http://10.0.0.5:9000/"), true,
                host -> new InetAddress[]{InetAddress.getByName(switch (host) {
                    case "evil.example" -> "10.0.0.9";
                    case "public.example" -> "93.184.215.14";
                    default -> host;
                })});
        guard.check("cardUrl", URI.create("http://10.0.0.5:9000/agent/.well-known/agent-card.json"));
        guard.check("cardUrl", URI.create("https://public.example/.well-known/agent-card.json"));
        RegistryException e = assertThrows(RegistryException.class,
                () -> guard.check("cardUrl", URI.create("http://evil.example/x")));
        assertEquals("cardUrl: host evil.example resolves to a private address, not in the allowlist", e.detail());
        assertThrows(RegistryException.class, () -> guard.check("cardUrl", URI.create("http://10.0.0.5:9001/")));
        assertThrows(RegistryException.class, () -> guard.check("cardUrl", URI.create("ftp://public.example/")));
        assertThrows(RegistryException.class,
                () -> guard.check("cardUrl", URI.create("http://user:pw@public.example/")));
    }

    @Test
    void dotSegmentsCannotEscapeAnAllowlistedPrefix() {
        UrlGuard guard = new UrlGuard(List.of("http://127.0.0.1:9000/allowed/"), false,
                host -> new InetAddress[]{InetAddress.getByName(host)});
        assertEquals(URI.create("http://127.0.0.1:9000/allowed/b"),
                guard.check("cardUrl", URI.create("http://127.0.0.1:9000/allowed/a/../b")));
        RegistryException up = assertThrows(RegistryException.class,
                () -> guard.check("cardUrl", URI.create("http://127.0.0.1:9000/allowed/../private/x")));
        assertEquals("cardUrl: http://127.0.0.1:9000/private/x is not under an allowlisted URL prefix", up.detail());
        assertThrows(RegistryException.class,
                () -> guard.check("cardUrl", URI.create("http://127.0.0.1:9000/allowed/%2e%2e/private/x")));
        assertThrows(RegistryException.class,
                () -> guard.check("cardUrl", URI.create("http://127.0.0.1:9000/../allowed/x")));
    }

    @Test
    void withoutPublicHostsOnlyTheAllowlistPasses() {
        UrlGuard guard = new UrlGuard(List.of("https://cards.example/"), false,
                host -> new InetAddress[]{InetAddress.getByName("93.184.215.14")});
        guard.check("cardUrl", URI.create("https://cards.example/a/.well-known/agent-card.json"));
        RegistryException e = assertThrows(RegistryException.class,
                () -> guard.check("cardUrl", URI.create("https://other.example/")));
        assertEquals("cardUrl: https://other.example/ is not under an allowlisted URL prefix", e.detail());
    }
}
