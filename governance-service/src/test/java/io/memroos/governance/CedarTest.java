package io.memroos.governance;

import io.memroos.governance.domain.policy.Cedar;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Cedar subset: parsing, scopes, conditions, forbid-over-permit, skipped erroring policies. */
class CedarTest {

    static final Cedar.Entity ALICE = new Cedar.Entity("Agent", "alice");
    static final Cedar.Entity BOB = new Cedar.Entity("Agent", "bob");

    static Cedar.Request req(Cedar.Entity p, String action, Cedar.Entity r, Map<String, Object> rattrs,
                             Map<String, Object> ctx) {
        Map<Cedar.Entity, Map<String, Object>> attrs = new HashMap<>();
        attrs.put(r, rattrs);
        attrs.put(p, Map.of("id", p.id()));
        return new Cedar.Request(p, new Cedar.Entity("Action", action), r, ctx, attrs);
    }

    @Test
    void scopesAndConditions() {
        List<Cedar.Policy> ps = Cedar.parse("""
                // comment
                @id("own") permit (principal is Agent, action in [Action::"read", Action::"write"], resource)
                  when { resource.owner == principal };
                @id("tagged") permit (principal == Agent::"bob", action == Action::"read", resource is Doc)
                  when { resource.tags.contains("shared") && resource.size < 10 + 5 } unless { context.night };
                @id("no-secret") forbid (principal, action, resource) when { resource has label && resource["label"] like "sec*" };
                """, "policy");
        assertEquals(3, ps.size());
        Cedar.Entity doc = new Cedar.Entity("Doc", "d1");
        Map<String, Object> owned = Map.of("owner", ALICE, "tags", List.of("shared"), "size", 3L);
        Cedar.Decision d = Cedar.decide(ps, req(ALICE, "read", doc, owned, Map.of("night", false)));
        assertTrue(d.allow());
        assertEquals(List.of("own"), d.policies());
        assertTrue(Cedar.decide(ps, req(BOB, "read", doc, owned, Map.of("night", false))).allow());
        assertFalse(Cedar.decide(ps, req(BOB, "read", doc, owned, Map.of("night", true))).allow());
        assertFalse(Cedar.decide(ps, req(ALICE, "delete", doc, owned, Map.of())).allow());
        Map<String, Object> secret = new HashMap<>(owned);
        secret.put("label", "secret");
        Cedar.Decision denied = Cedar.decide(ps, req(ALICE, "read", doc, secret, Map.of("night", false)));
        assertFalse(denied.allow());
        assertEquals(List.of("no-secret"), denied.policies());
    }

    @Test
    void aPolicyThatErrorsIsSkippedAndReported() {
        List<Cedar.Policy> ps = Cedar.parse("""
                @id("needs-owner") permit (principal, action, resource) when { resource.owner == principal };
                @id("all") permit (principal, action == Action::"ping", resource);
                """, "policy");
        Cedar.Decision d = Cedar.decide(ps, req(ALICE, "ping", new Cedar.Entity("Doc", "x"), Map.of(), Map.of()));
        assertTrue(d.allow());
        assertEquals(List.of("all"), d.policies());
        assertEquals(1, d.errors().size());
        assertTrue(d.errors().get(0).startsWith("needs-owner:"), d.errors().get(0));
        assertFalse(Cedar.decide(ps, req(ALICE, "pong", new Cedar.Entity("Doc", "x"), Map.of(), Map.of())).allow(),
                "default deny");
    }

    @Test
    void parseErrorsNameLineAndColumn() {
        Cedar.ParseError e = assertThrows(Cedar.ParseError.class,
                () -> Cedar.parse("permit (principal, action, resource)\nwhen { resource.x == };", "p"));
        assertEquals(2, e.line);
        assertTrue(e.getMessage().startsWith("line 2, column 22: expected an expression"), e.getMessage());
        assertThrows(Cedar.ParseError.class, () -> Cedar.parse("allow (principal, action, resource);", "p"));
        assertThrows(Cedar.ParseError.class, () -> Cedar.parse("permit (principal, action, resource) when { \"x };", "p"));
        assertEquals("policy0", Cedar.parse("permit (principal, action, resource);", "policy").get(0).id());
    }

    @Test
    void ifThenElseSetsAndRecords() {
        List<Cedar.Policy> ps = Cedar.parse("""
                permit (principal, action, resource)
                when { (if context.level > 2 then context.rec.a else false) && [1, 2].containsAny([2, 9])
                       && !(principal in [Agent::"bob"]) && -1 < 0 };
                """, "p");
        Map<String, Object> ctx = Map.of("level", 3L, "rec", Map.of("a", true));
        assertTrue(Cedar.decide(ps, req(ALICE, "x", new Cedar.Entity("Doc", "d"), Map.of(), ctx)).allow());
        assertFalse(Cedar.decide(ps, req(BOB, "x", new Cedar.Entity("Doc", "d"), Map.of(), ctx)).allow());
        assertFalse(Cedar.decide(ps, req(ALICE, "x", new Cedar.Entity("Doc", "d"), Map.of(),
                Map.of("level", 1L, "rec", Map.of()))).allow());
    }
}
