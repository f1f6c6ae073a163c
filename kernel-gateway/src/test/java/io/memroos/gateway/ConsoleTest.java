package io.memroos.gateway;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The operator console over HTTP: sign-in, cookies, CSRF, and the pages against the real registry. */
@QuarkusTest
@WithTestResource(RegistryProcess.class)
class ConsoleTest {

    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    /** A signed-in console session: its cookie and CSRF token. */
    record Session(String cookie, String csrf) {
    }

    static Session signIn() {
        Response form = given().get("/login");
        form.then().statusCode(200).contentType("text/html");
        Response signedIn = given().redirects().follow(false)
                .cookie("memroos_login_csrf", form.getCookie("memroos_login_csrf"))
                .formParam("operatorKey", Fixtures.operatorKey())
                .formParam("_csrf", csrf(form.asString()))
                .post("/login");
        signedIn.then().statusCode(303).header("Location", containsString("/"));
        String cookie = signedIn.getCookie("memroos_session");
        assertNotNull(cookie, "a session cookie is set");
        String page = given().cookie("memroos_session", cookie).get("/").then().statusCode(200).extract().asString();
        return new Session(cookie, csrf(page));
    }

    @Test
    void signInSetsAnHttpOnlySameSiteStrictSessionCookie() {
        Response form = given().get("/login");
        Response signedIn = given().redirects().follow(false)
                .cookie("memroos_login_csrf", form.getCookie("memroos_login_csrf"))
                .formParam("operatorKey", Fixtures.operatorKey()).formParam("_csrf", csrf(form.asString()))
                .post("/login");
        signedIn.then().statusCode(303);
        String setCookie = signedIn.getHeaders().getValues("Set-Cookie").stream()
                .filter(h -> h.startsWith("memroos_session=")).findFirst().orElseThrow();
        assertTrue(setCookie.contains("HttpOnly"), setCookie);
        assertTrue(setCookie.contains("SameSite=Strict"), setCookie);
        assertTrue(setCookie.contains("Path=/"), setCookie);
        assertFalse(setCookie.contains("Secure"), "plain http: no Secure flag: " + setCookie);

        Response overHttps = given().redirects().follow(false).header("X-Forwarded-Proto", "https")
                .cookie("memroos_login_csrf", form.getCookie("memroos_login_csrf"))
                .formParam("operatorKey", Fixtures.operatorKey()).formParam("_csrf", csrf(form.asString()))
                .post("/login");
        String secure = overHttps.getHeaders().getValues("Set-Cookie").stream()
                .filter(h -> h.startsWith("memroos_session=")).findFirst().orElseThrow();
        assertTrue(secure.contains("Secure"), "https: Secure flag: " + secure);
    }

    @Test
    void aWrongOperatorKeyShowsAnErrorAndNoSession() {
        Response form = given().get("/login");
        Response refused = given().redirects().follow(false)
                .cookie("memroos_login_csrf", form.getCookie("memroos_login_csrf"))
                .formParam("operatorKey", "mro_wrong").formParam("_csrf", csrf(form.asString()))
                .post("/login");
        refused.then().statusCode(401).contentType("text/html").body(containsString("That is not the operator key."));
        assertEquals(null, refused.getCookie("memroos_session"));
    }

    @Test
    void signInWithoutItsFormTokenIsRefused() {
        given().redirects().follow(false).formParam("operatorKey", Fixtures.operatorKey()).post("/login")
                .then().statusCode(403).body(containsString("expired"));
    }

    @Test
    void consolePostsWithoutTheCsrfTokenAre403() {
        Session s = signIn();
        given().cookie("memroos_session", s.cookie()).formParam("name", "x").post("/agents")
                .then().statusCode(403).contentType("application/problem+json").body("detail", containsString("CSRF"));
        given().cookie("memroos_session", s.cookie()).header("X-CSRF-Token", "wrong").formParam("name", "x").post("/agents")
                .then().statusCode(403);
        given().cookie("memroos_session", s.cookie()).post("/logout").then().statusCode(403);
    }

    @Test
    void withoutASessionPagesRedirectToSignInAndFragmentsAre401() {
        given().redirects().follow(false).accept("text/html").get("/agents")
                .then().statusCode(303).header("Location", "/login");
        given().header("HX-Request", "true").get("/fragments/agents")
                .then().statusCode(401).header("HX-Redirect", "/login");
        given().redirects().follow(false).cookie("memroos_session", "forged").accept("text/html").get("/")
                .then().statusCode(303);
        given().formParam("_csrf", "x").post("/agents").then().statusCode(401);
    }

    @Test
    void theOverviewShowsTheServicesAndTheirHealth() {
        Session s = signIn();
        given().cookie("memroos_session", s.cookie()).get("/").then().statusCode(200)
                .body(containsString("data-service=\"kernel-gateway\""))
                .body(containsString("data-service=\"registry\""))
                .body(containsString("/webjars/htmx.org/2.0.4/dist/htmx.min.js"))
                .body(containsString("hx-trigger=\"every 5s\""))
                .body(containsString("id=\"agent-summary\""));
        String fragment = given().cookie("memroos_session", s.cookie()).get("/fragments/services")
                .then().statusCode(200).extract().asString();
        // other services may be configured without running in this test; the registry and the gateway are up
        for (String service : new String[] {"registry", "kernel-gateway"}) {
            int at = fragment.indexOf("data-service=\"" + service + "\"");
            assertTrue(at >= 0, service + " card in " + fragment);
            String card = fragment.substring(at, fragment.indexOf("</article>", at));
            assertTrue(card.contains("badge-up"), service + " is up: " + card);
        }
        given().get("/webjars/htmx.org/2.0.4/dist/htmx.min.js").then().statusCode(200);
        given().get("/static/console.css").then().statusCode(200).contentType(containsString("text/css"));
    }

    @Test
    void registerShowsRegistryValidationErrorsInline() {
        Session s = signIn();
        given().cookie("memroos_session", s.cookie()).formParam("_csrf", s.csrf())
                .formParam("name", "").formParam("owner", "ops").formParam("endpointKind", "rest")
                .formParam("endpointUrl", "http://10.0.0.9/x")
                .post("/agents")
                .then().statusCode(422).contentType("text/html")
                .body(containsString("id=\"register-error\""))
                .body(containsString("class=\"field-error\" data-field=\"name\""))
                .body(containsString("value=\"ops\""));
        given().cookie("memroos_session", s.cookie()).formParam("_csrf", s.csrf())
                .formParam("name", "valid-name").formParam("owner", "ops").formParam("endpointKind", "rest")
                .formParam("endpointUrl", "not a url")
                .post("/agents")
                .then().statusCode(422)
                .body(containsString("class=\"field-error\" data-field=\"url\""))
                .body(containsString("value=\"valid-name\""));
    }

    @Test
    void registerThenManageKeysWhereASecretIsShownOnlyOnce() {
        Session s = signIn();
        String name = "ui-" + UUID.randomUUID().toString().substring(0, 8);
        Response registered = given().redirects().follow(false).cookie("memroos_session", s.cookie())
                .formParam("_csrf", s.csrf()).formParam("name", name).formParam("description", "from the console")
                .formParam("owner", "ops").formParam("capabilities", "search, summarise")
                .formParam("endpointKind", "a2a").formParam("endpointUrl", "http://10.0.0.7:9000/a2a")
                .post("/agents");
        registered.then().statusCode(303);
        String location = registered.getHeader("Location");
        String id = location.substring(location.lastIndexOf('/') + 1);

        given().cookie("memroos_session", s.cookie()).get("/agents").then().statusCode(200).body(containsString(name));
        given().cookie("memroos_session", s.cookie()).get("/agents/{id}", id).then().statusCode(200)
                .body(containsString(name)).body(containsString("summarise")).body(containsString("No keys yet."));

        String created = given().cookie("memroos_session", s.cookie()).header("X-CSRF-Token", s.csrf()).header("HX-Request", "true")
                .formParam("label", "ci").post("/agents/{id}/keys", id)
                .then().statusCode(200).body(containsString("id=\"new-key\"")).extract().asString();
        String secret = secret(created);
        assertTrue(secret.startsWith("mrk_"), secret);

        String detail = given().cookie("memroos_session", s.cookie()).get("/agents/{id}", id).then().statusCode(200).extract().asString();
        assertFalse(detail.contains(secret), "the secret is never shown again");
        assertFalse(detail.contains("id=\"new-key\""));

        Fixtures.withKey(secret).get("/api/agents/{id}", id).then().statusCode(200).body("name", equalTo(name));

        String keyId = Fixtures.asOperator().get("/api/agents/{id}/keys", id).then().extract().path("[0].id");
        String rotated = given().cookie("memroos_session", s.cookie()).header("X-CSRF-Token", s.csrf())
                .post("/agents/{id}/keys/{keyId}/rotate", id, keyId)
                .then().statusCode(200).extract().asString();
        String newSecret = secret(rotated);
        assertFalse(newSecret.equals(secret));
        assertTrue(rotated.contains("badge-revoked"), "the rotated key shows as revoked");

        String newKeyId = Fixtures.asOperator().get("/api/agents/{id}/keys", id).then().extract()
                .path("find { it.revokedAt == null }.id");
        given().cookie("memroos_session", s.cookie()).formParam("_csrf", s.csrf())
                .post("/agents/{id}/keys/{keyId}/revoke", id, newKeyId)
                .then().statusCode(200).body(not(containsString("id=\"new-key\"")))
                .body(not(containsString("Rotate</button>")));
    }

    @Test
    void signOutEndsTheSession() {
        Session s = signIn();
        given().redirects().follow(false).cookie("memroos_session", s.cookie()).formParam("_csrf", s.csrf()).post("/logout")
                .then().statusCode(303).header("Location", containsString("/login"));
        given().redirects().follow(false).cookie("memroos_session", s.cookie()).accept("text/html").get("/")
                .then().statusCode(303).header("Location", "/login");
    }

    private static String secret(String html) {
        Matcher m = Pattern.compile("id=\"new-key-value\">([^<]+)<").matcher(html);
        assertTrue(m.find(), "the new key is shown: " + html);
        return m.group(1);
    }

    static String csrf(String html) {
        Matcher m = CSRF_FIELD.matcher(html);
        assertTrue(m.find(), "a CSRF field in the page");
        return m.group(1);
    }
}
