package io.memroos.governance;

import io.memroos.governance.domain.PolicyService;
import io.memroos.governance.domain.policy.Cedar;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cedar through governance's facade over cedar-java: parsing with cedar's parser, ids, permit, forbid over permit,
 * when/unless with attributes, {@code in} groups, skipped erroring policies, and cedar's own refusals.
 */
class CedarTest {

    static final Cedar.Entity ALICE = new Cedar.Entity("Agent", "alice");
    static final Cedar.Entity BOB = new Cedar.Entity("Agent", "bob");
    static final Cedar.Entity DOC = new Cedar.Entity("Doc", "d1");

    static Cedar.Request req(Cedar.Entity p, String action, Cedar.Entity r, Map<String, Object> rattrs,
                             Map<String, Object> ctx) {
        Map<Cedar.Entity, Map<String, Object>> attrs = new HashMap<>();
        attrs.put(r, rattrs);
        attrs.put(p, Map.of("id", p.id()));
        return new Cedar.Request(p, new Cedar.Entity("Action", action), r, ctx, attrs);
    }

    /** A policy-set text compiled the way the service does it: each policy under its id. */
    static Cedar.PolicySet compile(String text) {
        Map<String, String> byId = new LinkedHashMap<>();
        for (Cedar.Policy p : Cedar.parse(text, "policy")) {
            byId.put(p.id(), p.text());
        }
        return Cedar.compile(byId);
    }

    @Test
    void permitWhenUnlessWithAttributes() {
        Cedar.PolicySet ps = compile("""
                // comment
                @id("own") permit (principal is Agent, action in [Action::"read", Action::"write"], resource)
                  when { resource.owner == principal };
                @id("tagged") permit (principal == Agent::"bob", action == Action::"read", resource is Doc)
                  when { resource.tags.contains("shared") && resource.size < 10 + 5 } unless { context.night };
                """);
        assertEquals(List.of("own", "tagged"), ps.policies().stream().map(Cedar.Policy::id).toList());
        Map<String, Object> owned = Map.of("owner", ALICE, "tags", List.of("shared"), "size", 3L);
        Cedar.Decision d = Cedar.decide(ps, req(ALICE, "read", DOC, owned, Map.of("night", false)));
        assertTrue(d.allow());
        assertEquals(List.of("own"), d.policies());
        assertEquals(List.of(), d.errors());
        Cedar.Decision bob = Cedar.decide(ps, req(BOB, "read", DOC, owned, Map.of("night", false)));
        assertTrue(bob.allow());
        assertEquals(List.of("tagged"), bob.policies());
        assertFalse(Cedar.decide(ps, req(BOB, "read", DOC, owned, Map.of("night", true))).allow(), "unless");
        assertFalse(Cedar.decide(ps, req(BOB, "read", DOC, Map.of("owner", ALICE, "tags", List.of("shared"),
                "size", 15L), Map.of("night", false))).allow(), "size < 15");
        Cedar.Decision none = Cedar.decide(ps, req(ALICE, "delete", DOC, owned, Map.of()));
        assertFalse(none.allow(), "default deny");
        assertEquals(List.of(), none.policies());
    }

    @Test
    void forbidWinsOverPermit() {
        Cedar.PolicySet ps = compile("""
                @id("all") permit (principal, action, resource);
                @id("no-secret") forbid (principal, action, resource)
                  when { resource has label && resource["label"] like "sec*" };
                @id("high") forbid (principal, action == Action::"read", resource) when { resource.labelRank >= 2 };
                """);
        assertTrue(Cedar.decide(ps, req(ALICE, "read", DOC, Map.of("label", "public", "labelRank", 0L), Map.of()))
                .allow());
        Cedar.Decision denied = Cedar.decide(ps, req(ALICE, "read", DOC, Map.of("label", "secret", "labelRank", 3L),
                Map.of()));
        assertFalse(denied.allow());
        assertEquals(List.of("high", "no-secret"), denied.policies(), "the forbids that matched, not the permit");
        Cedar.Decision write = Cedar.decide(ps, req(ALICE, "write", DOC, Map.of("labelRank", 3L), Map.of()));
        assertTrue(write.allow());
        assertEquals(List.of("all"), write.policies());
    }

    @Test
    void inGroupsFollowEntityParentsTransitively() {
        Cedar.PolicySet ps = compile("""
                @id("auditors") permit (principal in Group::"auditors", action == Action::"audit.export", resource);
                @id("staff-docs") permit (principal, action == Action::"read", resource in Folder::"staff")
                  when { principal in Group::"staff" };
                """);
        Cedar.Entity auditors = new Cedar.Entity("Group", "auditors");
        Cedar.Entity staff = new Cedar.Entity("Group", "staff");
        Cedar.Entity folder = new Cedar.Entity("Folder", "staff");
        Map<Cedar.Entity, Set<Cedar.Entity>> parents = Map.of(ALICE, Set.of(auditors), auditors, Set.of(staff),
                DOC, Set.of(folder));
        Cedar.Entity export = new Cedar.Entity("Action", "audit.export");
        Cedar.Entity read = new Cedar.Entity("Action", "read");
        assertTrue(Cedar.decide(ps, new Cedar.Request(ALICE, export, DOC, Map.of(), Map.of(), parents)).allow());
        Cedar.Decision transitive = Cedar.decide(ps, new Cedar.Request(ALICE, read, DOC, Map.of(), Map.of(), parents));
        assertTrue(transitive.allow(), "alice in auditors in staff");
        assertEquals(List.of("staff-docs"), transitive.policies());
        assertFalse(Cedar.decide(ps, new Cedar.Request(BOB, export, DOC, Map.of(), Map.of(), parents)).allow());
        assertFalse(Cedar.decide(ps, new Cedar.Request(ALICE, read, new Cedar.Entity("Doc", "other"), Map.of(),
                Map.of(), parents)).allow(), "resource outside the folder");
    }

    @Test
    void aPolicyThatErrorsIsSkippedAndReported() {
        Cedar.PolicySet ps = compile("""
                @id("needs-owner") permit (principal, action, resource) when { resource.owner == principal };
                @id("all") permit (principal, action == Action::"ping", resource);
                """);
        Cedar.Decision d = Cedar.decide(ps, req(ALICE, "ping", new Cedar.Entity("Doc", "x"), Map.of(), Map.of()));
        assertTrue(d.allow());
        assertEquals(List.of("all"), d.policies());
        assertEquals(1, d.errors().size());
        assertTrue(d.errors().get(0).startsWith("needs-owner: "), d.errors().get(0));
        assertTrue(d.errors().get(0).contains("owner"), "cedar names the missing attribute: " + d.errors().get(0));
        assertFalse(Cedar.decide(ps, req(ALICE, "pong", new Cedar.Entity("Doc", "x"), Map.of(), Map.of())).allow(),
                "default deny");
    }

    @Test
    void invalidPoliciesAreRefusedWithCedarsMessageAndLocation() {
        Cedar.ParseError e = assertThrows(Cedar.ParseError.class,
                () -> Cedar.parse("permit (principal, action, resource)\nwhen { resource.x == };", "p"));
        assertEquals(2, e.line);
        assertEquals(22, e.column);
        assertTrue(e.getMessage().startsWith("line 2, column 22: unexpected token `}`"), e.getMessage());
        Cedar.ParseError comma = assertThrows(Cedar.ParseError.class,
                () -> Cedar.parse("permit (principal, action resource);", "p"));
        assertTrue(comma.getMessage().contains("unexpected token `resource`"), comma.getMessage());
        assertEquals(1, comma.line);
        assertEquals(27, comma.column);
        Cedar.ParseError effect = assertThrows(Cedar.ParseError.class,
                () -> Cedar.parse("allow (principal, action, resource);", "p"));
        assertTrue(effect.getMessage().contains("invalid policy effect: allow"), effect.getMessage());
        Cedar.ParseError string = assertThrows(Cedar.ParseError.class,
                () -> Cedar.parse("permit (principal, action, resource) when { \"x };", "p"));
        assertTrue(string.getMessage().contains("invalid token"), string.getMessage());
        Cedar.ParseError variable = assertThrows(Cedar.ParseError.class,
                () -> Cedar.parse("permit (principal, action, resource) when { foo };", "p"));
        assertTrue(variable.getMessage().contains("invalid variable: foo"), variable.getMessage());
        // an error in the third policy of a set is located in the third policy, not at the start of the second
        Cedar.ParseError third = assertThrows(Cedar.ParseError.class, () -> Cedar.parse("""
                @id("a") permit (principal, action, resource) when { context.note == "a; b" };
                // a comment; with a semicolon
                @id("b") permit (principal, action, resource);
                @id("c") permit (principal, action, resource) when { 1 + };
                """, "p"));
        assertEquals(4, third.line, third.getMessage());
        assertTrue(third.getMessage().contains("unexpected token `}`"), third.getMessage());
        // compile names the policy
        Cedar.ParseError named = assertThrows(Cedar.ParseError.class,
                () -> Cedar.compile(Map.of("broken", "permit (principal, action, resource) when { principal.x == };")));
        assertTrue(named.getMessage().contains("policy broken: "), named.getMessage());
    }

    @Test
    void idsComeFromAnnotationsElseTheirIndex() {
        List<Cedar.Policy> ps = Cedar.parse("""
                permit (principal, action, resource);
                @id("named") @reason("audit") forbid (principal, action == Action::"x", resource);
                permit (principal, action == Action::"y", resource);
                """, "policy");
        assertEquals(List.of("policy0", "named", "policy2"), ps.stream().map(Cedar.Policy::id).toList());
        assertEquals(Cedar.Effect.FORBID, ps.get(1).effect());
        assertEquals(Map.of("id", "named", "reason", "audit"), ps.get(1).annotations());
        assertEquals("permit (principal, action == Action::\"y\", resource);", ps.get(2).text());
        assertEquals(List.of(), Cedar.parse("// nothing here\n", "p"));
    }

    @Test
    void setsRecordsAndIfThenElse() {
        Cedar.PolicySet ps = compile("""
                permit (principal, action, resource)
                when { (if context.level > 2 then context.rec.a else false) && [1, 2].containsAny([2, 9])
                       && !(principal in [Agent::"bob"]) && -1 < 0 && context.tags.containsAll(["x"]) };
                """);
        Map<String, Object> ctx = Map.of("level", 3L, "rec", Map.of("a", true), "tags", List.of("x", "y"));
        Cedar.Decision d = Cedar.decide(ps, req(ALICE, "x", DOC, Map.of(), ctx));
        assertTrue(d.allow());
        assertEquals(List.of("policy0"), d.policies());
        assertFalse(Cedar.decide(ps, req(BOB, "x", DOC, Map.of(), ctx)).allow());
        assertFalse(Cedar.decide(ps, req(ALICE, "x", DOC, Map.of(),
                Map.of("level", 1L, "rec", Map.of(), "tags", List.of()))).allow());
    }

    @Test
    void theDefaultPolicySetIsRealCedar() {
        Map<String, String> defaults = PolicyService.defaults();
        for (Map.Entry<String, String> e : defaults.entrySet()) {
            List<Cedar.Policy> one = Cedar.parse(e.getValue(), e.getKey());
            assertEquals(1, one.size(), e.getKey());
            assertEquals(e.getKey(), one.get(0).annotations().get("id"), "@id matches the file name");
        }
        Cedar.PolicySet ps = Cedar.compile(defaults);
        Cedar.Entity operator = new Cedar.Entity("Operator", "operator");
        Cedar.Entity service = new Cedar.Entity("Service", "registry-service");
        Cedar.Entity memory = new Cedar.Entity("Memory", "m1");
        Map<String, Object> alices = Map.of("owner", ALICE, "label", "internal", "labelRank", 1L);
        Map<String, Object> restricted = Map.of("owner", ALICE, "label", "restricted", "labelRank", 3L);

        Cedar.Decision op = Cedar.decide(ps, req(operator, "agent.delete", new Cedar.Entity("Agent", "x"), Map.of(),
                Map.of()));
        assertTrue(op.allow());
        assertEquals(List.of("operator-all"), op.policies());
        Cedar.Decision own = Cedar.decide(ps, req(ALICE, "memory.read", memory, alices, Map.of()));
        assertTrue(own.allow());
        assertEquals(List.of("agent-own-resources"), own.policies());
        assertFalse(Cedar.decide(ps, req(BOB, "memory.read", memory, alices, Map.of())).allow(), "not bob's");
        assertFalse(Cedar.decide(ps, req(BOB, "memory.read", memory, Map.of(), Map.of())).allow(), "no owner");
        Cedar.Decision self = Cedar.decide(ps, req(ALICE, "agent.delete", ALICE, Map.of("owner", ALICE), Map.of()));
        assertFalse(self.allow());
        assertEquals(List.of("agent-no-self-management"), self.policies());
        Cedar.Decision cross = Cedar.decide(ps, req(ALICE, "memory.read.cross-scope", memory, restricted, Map.of()));
        assertFalse(cross.allow());
        assertEquals(List.of("restricted-cross-scope"), cross.policies());
        assertTrue(Cedar.decide(ps, req(service, "audit.append", memory, Map.of(), Map.of())).allow());
        assertFalse(Cedar.decide(ps, req(service, "policy.change", memory, Map.of(), Map.of())).allow());
    }

    @Test
    void assetTypesBecomeValidCedarTypes() {
        assertEquals("AgentCard", Cedar.typeName("AgentCard"));
        assertEquals("Asset_3dModel", Cedar.typeName("3dModel"));
        Cedar.PolicySet ps = compile("permit (principal, action, resource is Asset_3dModel);");
        assertTrue(Cedar.decide(ps, req(ALICE, "read", new Cedar.Entity(Cedar.typeName("3dModel"), "m"), Map.of(),
                Map.of())).allow());
    }
}
