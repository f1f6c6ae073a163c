package io.memroos.gateway;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Inbox page against a stand-in bus ({@link FakeBus}): what it shows and what requeue and purge ask the bus. */
@QuarkusTest
@WithTestResource(RegistryProcess.class)
@WithTestResource(FakeBus.class)
class InboxFakeBusTest {

    @BeforeEach
    void reset() {
        FakeBus.reset();
    }

    @Test
    void theInboxShowsBacklogSearchResultsAndDeadLetters() {
        ConsoleTest.Session s = ConsoleTest.signIn();
        given().cookie("memroos_session", s.cookie()).queryParam("q", "quarterly report").get("/inbox").then().statusCode(200)
                .body(not(containsString("id=\"bus-unavailable\"")))
                .body(containsString("data-agent-id=\"agt_bob\""))
                .body(containsString("<td class=\"num\" data-role=\"pending\">3</td>"))
                .body(containsString("id=\"search-results\""))
                .body(containsString("data-message-id=\"msg_1\""))
                .body(containsString("href=\"/inbox/threads/thr_1\""))
                .body(containsString("data-dead-id=\"dl_one\""))
                .body(containsString("hx-post=\"/inbox/dead-letters/dl_one/requeue\""))
                .body(containsString("hx-confirm=\"Purge dead letter dl_one?"));
        assertTrue(FakeBus.REQUESTS.contains("GET /api/agent-context/admin/messages?limit=50&q=quarterly%20report bearer"),
                FakeBus.REQUESTS.toString());
        assertTrue(FakeBus.REQUESTS.stream().filter(r -> r.contains(" /api/")).allMatch(r -> r.endsWith(" bearer")), "the operator's token on every call");
    }

    @Test
    void requeueAndPurgeAskTheBusAndReturnTheRefreshedTable() {
        ConsoleTest.Session s = ConsoleTest.signIn();
        given().cookie("memroos_session", s.cookie()).header("X-CSRF-Token", s.csrf()).header("HX-Request", "true")
                .post("/inbox/dead-letters/dl_one/requeue").then().statusCode(200)
                .header("HX-Trigger", "inbox-changed")
                .body(containsString("id=\"dead-letters\""))
                .body(containsString("Requeued dl_one"))
                .body(not(containsString("data-dead-id=\"dl_one\"")))
                .body(containsString("data-dead-id=\"dl_two\""));
        assertTrue(FakeBus.REQUESTS.contains("POST /api/agent-context/admin/dead-letters/dl_one/requeue bearer"));

        given().cookie("memroos_session", s.cookie()).formParam("_csrf", s.csrf())
                .post("/inbox/dead-letters/dl_two/purge").then().statusCode(200)
                .body(containsString("Purged dl_two"))
                .body(containsString("No dead letters."));
        assertTrue(FakeBus.REQUESTS.contains("DELETE /api/agent-context/admin/dead-letters/dl_two bearer"));

        // the bus refuses an unknown dead letter: shown above the table
        given().cookie("memroos_session", s.cookie()).header("X-CSRF-Token", s.csrf())
                .post("/inbox/dead-letters/dl_gone/requeue").then().statusCode(422)
                .body(containsString("no dead letter dl_gone"));
    }

    @Test
    void aThreadShowsItsMessagesInOrderAndAnUnknownThreadIs404() {
        ConsoleTest.Session s = ConsoleTest.signIn();
        String page = given().cookie("memroos_session", s.cookie()).get("/inbox/threads/thr_1").then().statusCode(200)
                .body(containsString("id=\"thread-id\">thr_1"))
                .body(containsString("&lt;b&gt;hi&lt;/b&gt;"))
                .extract().asString();
        assertTrue(page.indexOf("data-message-id=\"msg_1\"") < page.indexOf("data-message-id=\"msg_2\""), "in order");
        given().cookie("memroos_session", s.cookie()).get("/inbox/threads/thr_none").then().statusCode(404)
                .body(containsString("thread thr_none"));
    }
}
