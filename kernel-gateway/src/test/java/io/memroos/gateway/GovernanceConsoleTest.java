package io.memroos.gateway;

import io.memroos.gateway.policy.PolicyDecisions;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The console's governance pages (Audit, Policies, Usage) over HTTP, against the recording fake governance. */
@QuarkusTest
@WithTestResource(RegistryProcess.class)
class GovernanceConsoleTest {

    @Inject
    PolicyDecisions decisions;

    ConsoleTest.Session session;

    @BeforeEach
    void signIn() {
        FakeGovernance.reset();
        FakeGovernance.up();
        decisions.invalidate();
        session = ConsoleTest.signIn();
    }

    @AfterEach
    void restore() {
        FakeGovernance.reset();
        FakeGovernance.up();
        decisions.invalidate();
    }

    private io.restassured.specification.RequestSpecification console() {
        return given().cookie("memroos_session", session.cookie());
    }

    @Test
    void theAuditPageShowsStatusEventsAndPassesTheFilters() {
        String html = console().queryParam("actor", "operator").queryParam("type", "agent.registered")
                .get("/audit").then().statusCode(200).contentType("text/html").extract().asString();
        assertTrue(html.contains("id=\"audit-events\">42<"), "event count");
        assertTrue(html.contains("data-event-id=\"evt-1\""), "an event row");
        assertTrue(html.contains("agent.registered"));
        assertTrue(html.contains("&lt;b&gt;alpha&lt;/b&gt;"), "event data is escaped");
        assertTrue(!html.contains("<b>alpha</b>"));
        assertTrue(html.contains("href=\"/audit?cursor=1&amp;actor=operator&amp;type=agent.registered\"")
                || html.contains("href=\"/audit?cursor=1&actor=operator&type=agent.registered\""), "next page keeps the filters");
        assertTrue(FakeGovernance.CONSOLE_REQUESTS.stream()
                .anyMatch(r -> r.startsWith("GET /api/audit?actor=operator&type=agent.registered&limit=50")),
                FakeGovernance.CONSOLE_REQUESTS.toString());
        assertTrue(html.contains("class=\"active\" aria-current=\"page\">Audit<"));
    }

    @Test
    void verifyShowsOkOrTheFirstBadEvent() {
        console().header("HX-Request", "true").get("/fragments/audit/verify").then().statusCode(200)
                .body(containsString("id=\"verify-ok\""), containsString("42 events"));
        FakeGovernance.brokenAt = 17L;
        console().header("HX-Request", "true").get("/fragments/audit/verify").then().statusCode(200)
                .body(containsString("id=\"verify-failed\""), containsString("id=\"bad-seq\">17<"),
                        containsString("evt-17"), containsString("hash-mismatch"));
    }

    @Test
    void thePoliciesPageListsTheSetAndItsHistory() {
        String html = console().get("/policies").then().statusCode(200).extract().asString();
        assertTrue(html.contains("data-policy-id=\"operator-all\""));
        assertTrue(html.contains("data-policy-id=\"no-export\""));
        assertTrue(html.contains("badge-down\">forbid"), "forbid policies stand out");
        assertTrue(html.contains("tightened exports"), "history comments");
        String edit = console().get("/policies/edit/no-export").then().statusCode(200).extract().asString();
        assertTrue(edit.contains("forbid(principal, action == Action::&quot;evidence.export&quot;, resource);"), edit);
        console().get("/policies/edit/nope").then().statusCode(404);
        console().get("/policies/versions/1").then().statusCode(200).body(containsString("operator-all"));
        console().get("/policies/versions/x").then().statusCode(404);
    }

    @Test
    void validatingAndSavingAPolicyGoesThroughGovernanceAndDropsTheDecisionCache() {
        console().header("X-CSRF-Token", session.csrf()).formParam("id", "p1").formParam("text", "permi")
                .post("/policies/validate").then().statusCode(200)
                .body(containsString("id=\"validation-errors\""), containsString("unexpected end of input (line 1, column 4)"));
        console().header("X-CSRF-Token", session.csrf()).formParam("id", "p1")
                .formParam("text", "permit(principal, action, resource);").post("/policies/validate")
                .then().statusCode(200).body(containsString("id=\"validation-ok\""));
        // without the CSRF token nothing is validated or saved
        console().formParam("id", "p1").formParam("text", "x").post("/policies/validate").then().statusCode(403);

        // a cached decision exists ...
        String agentId = Fixtures.registerAgent("console-policy");
        int cachedBefore = FakeGovernance.DECISIONS.size();
        Response saved = console().redirects().follow(false).formParam("_csrf", session.csrf())
                .formParam("id", "allow-reads").formParam("text", "permit(principal, action, resource);")
                .formParam("comment", "from the console").formParam("creating", "true").post("/policies/save");
        saved.then().statusCode(303).header("Location", containsString("/policies/edit/allow-reads?saved="));
        assertEquals(1, FakeGovernance.POLICY_WRITES.size());
        assertTrue(FakeGovernance.DECISIONS.subList(cachedBefore, FakeGovernance.DECISIONS.size()).stream()
                .anyMatch(d -> d.contains("\"action\":\"policy.update\"") && d.contains("\"id\":\"allow-reads\"")));
        // ... and is gone after the save: the next agent.create is asked again
        int before = FakeGovernance.DECISIONS.size();
        Fixtures.registerAgent("console-policy-2");
        assertEquals(before + 1, FakeGovernance.DECISIONS.size(), "asked again after the policy change");
        assertTrue(agentId.startsWith("agt_"));
    }

    @Test
    void aRefusedOrDeniedSaveShowsWhyAndSavesNothing() {
        console().formParam("_csrf", session.csrf()).formParam("id", "bad id!").formParam("text", "permit(principal, action, resource);")
                .formParam("creating", "true").post("/policies/save").then().statusCode(400)
                .body(containsString("id: must be 1-64 characters"));
        console().formParam("_csrf", session.csrf()).formParam("id", "p2").formParam("text", "syntax error")
                .formParam("creating", "true").post("/policies/save").then().statusCode(400)
                .body(containsString("unexpected token"));
        FakeGovernance.DENY.add("policy.update");
        console().formParam("_csrf", session.csrf()).formParam("id", "p3").formParam("text", "permit(principal, action, resource);")
                .formParam("creating", "true").post("/policies/save").then().statusCode(403)
                .body(containsString("not allowed by the current policies"));
        assertEquals(1, FakeGovernance.POLICY_WRITES.size(), "only the syntax error reached governance");
    }

    @Test
    void theUsagePageDrawsTheChartAndListsReceipts() {
        String html = console().get("/usage").then().statusCode(200).extract().asString();
        assertTrue(html.contains("<svg id=\"usage-svg\""), "an inline SVG chart");
        assertTrue(html.contains("data-label=\"2026-11-24 · agt_1 · small-1\" data-value=\"360\""), html);
        assertTrue(html.contains("data-label=\"2026-11-24 · agt_2 · large-2\" data-value=\"1800\""));
        assertTrue(html.contains("data-receipt-id=\"rec-t1\""));
        assertTrue(html.contains("web.search · ok · 120 ms"));
        assertTrue(html.contains("small-1 · 100 in / 20 out · 80 ms · $0.002"));
        String calls = console().queryParam("metric", "calls").get("/usage").then().statusCode(200).extract().asString();
        assertTrue(calls.contains("data-value=\"3\""), "calls per group");
        assertTrue(FakeGovernance.CONSOLE_REQUESTS.contains("GET /api/model-usage/aggregate?by=day%2Cagent%2Cmodel"),
                FakeGovernance.CONSOLE_REQUESTS.toString());
    }

    @Test
    void pagesRenderWithAClearMessageWhenGovernanceIsDown() {
        FakeGovernance.down();
        for (String page : new String[] {"/audit", "/policies", "/usage"}) {
            console().get(page).then().statusCode(200).body(containsString("id=\"governance-unavailable\""));
        }
        console().get("/fragments/audit/verify").then().statusCode(200).body(containsString("Governance is unavailable"));
    }

    @Test
    void governancePagesNeedASession() {
        given().redirects().follow(false).header("Accept", "text/html").get("/audit").then().statusCode(303)
                .header("Location", "/login");
        given().redirects().follow(false).header("Accept", "application/json").get("/usage").then().statusCode(401);
        given().redirects().follow(false).header("Accept", "application/json").formParam("id", "p")
                .formParam("text", "permit(principal, action, resource);").post("/policies/save").then().statusCode(401);
        assertEquals(0, FakeGovernance.POLICY_WRITES.size());
    }
}
