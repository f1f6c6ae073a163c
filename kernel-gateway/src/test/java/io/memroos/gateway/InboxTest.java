package io.memroos.gateway;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

/** The console's Inbox page when the context bus is not running (the gateway tests never start it). */
@QuarkusTest
@WithTestResource(RegistryProcess.class)
@WithTestResource(BusUnreachable.class)
class InboxTest {

    private static final String UNAVAILABLE = "The context bus is unavailable";

    @Test
    void theInboxPageRendersForASignedInOperatorWithAClearMessageWhenTheBusIsDown() {
        ConsoleTest.Session s = ConsoleTest.signIn();
        given().cookie("memroos_session", s.cookie()).get("/inbox").then().statusCode(200)
                .contentType("text/html")
                .body(containsString("<h1>Inbox</h1>"))
                .body(containsString("href=\"/inbox\" class=\"active\" aria-current=\"page\""))
                .body(containsString("id=\"bus-unavailable\""))
                .body(containsString(UNAVAILABLE))
                .body(containsString("id=\"backlog-table\""))
                .body(containsString("hx-get=\"/fragments/inbox/backlog\" hx-trigger=\"every 5s, inbox-changed from:body\""))
                .body(containsString("id=\"search-form\""))
                .body(containsString("id=\"dead-table\""));
        // every page has the nav link
        given().cookie("memroos_session", s.cookie()).get("/agents").then().statusCode(200)
                .body(containsString("href=\"/inbox\""))
                .body(not(containsString("href=\"/inbox\" class=\"active\"")));
    }

    @Test
    void searchAndFragmentsAndThreadsSayTheBusIsUnavailableInsteadOfFailing() {
        ConsoleTest.Session s = ConsoleTest.signIn();
        given().cookie("memroos_session", s.cookie()).queryParam("q", "anything").get("/inbox").then().statusCode(200)
                .body(containsString(UNAVAILABLE)).body(containsString("value=\"anything\""));
        given().cookie("memroos_session", s.cookie()).header("HX-Request", "true").get("/fragments/inbox/backlog")
                .then().statusCode(200).body(containsString(UNAVAILABLE));
        given().cookie("memroos_session", s.cookie()).header("HX-Request", "true").get("/fragments/inbox/dead-letters")
                .then().statusCode(200).body(containsString(UNAVAILABLE));
        given().cookie("memroos_session", s.cookie()).get("/inbox/threads/thr_x").then().statusCode(503)
                .body(containsString(UNAVAILABLE));
        given().cookie("memroos_session", s.cookie()).header("X-CSRF-Token", s.csrf())
                .post("/inbox/dead-letters/dl_x/requeue").then().statusCode(422).body(containsString(UNAVAILABLE));
    }

    @Test
    void requeueAndPurgeWithoutTheCsrfTokenAre403() {
        ConsoleTest.Session s = ConsoleTest.signIn();
        given().cookie("memroos_session", s.cookie()).post("/inbox/dead-letters/dl_x/requeue")
                .then().statusCode(403).contentType("application/problem+json").body("detail", containsString("CSRF"));
        given().cookie("memroos_session", s.cookie()).header("X-CSRF-Token", "wrong").post("/inbox/dead-letters/dl_x/requeue")
                .then().statusCode(403);
        given().cookie("memroos_session", s.cookie()).formParam("_csrf", "wrong").post("/inbox/dead-letters/dl_x/purge")
                .then().statusCode(403);
    }

    @Test
    void withoutASessionTheInboxRedirectsToSignIn() {
        given().redirects().follow(false).accept("text/html").get("/inbox")
                .then().statusCode(303).header("Location", "/login");
        given().header("HX-Request", "true").get("/fragments/inbox/backlog").then().statusCode(401);
        given().header("X-CSRF-Token", "x").post("/inbox/dead-letters/dl_x/requeue").then().statusCode(401);
    }
}
