package io.memroos.gateway.ui;

import io.memroos.gateway.auth.Authenticator;
import io.memroos.gateway.auth.Caller;
import io.memroos.gateway.auth.SessionStore;
import io.memroos.gateway.web.EdgeGuard;
import io.memroos.gateway.web.GatewayContext;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestCookie;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestHeader;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * Sign-in with the operator key, and sign-out. The sign-in form carries its own CSRF token
 * (a short-lived cookie that must match the form field), so even sign-in is never a blind POST.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class LoginResource {

    static final String LOGIN_CSRF_COOKIE = "memroos_login_csrf";
    private static final Logger LOG = Logger.getLogger(LoginResource.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Authenticator auth;
    private final SessionStore sessions;
    private final String version;

    LoginResource(Authenticator auth, SessionStore sessions,
                  @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version) {
        this.auth = auth;
        this.sessions = sessions;
        this.version = version;
    }

    @GET
    @Path("login")
    public Response form(RoutingContext ctx) {
        return loginPage(ctx, 200, "");
    }

    @POST
    @Path("login")
    public Response signIn(RoutingContext ctx, @RestForm("operatorKey") String operatorKey, @RestForm(Csrf.FIELD) String csrf,
                           @RestCookie(LOGIN_CSRF_COOKIE) String csrfCookie) {
        if (csrfCookie == null || !Csrf.matches(csrfCookie, csrf)) {
            return loginPage(ctx, 403, "The sign-in form expired. Please try again.");
        }
        String ip = ip(ctx.request());
        long wait = auth.failedAuthRetryAfter(ip);
        if (wait > 0) {
            return Response.fromResponse(loginPage(ctx, 429, "Too many failed attempts. Try again in " + wait + " s."))
                    .header("Retry-After", Long.toString(wait)).build();
        }
        if (operatorKey == null || !auth.isOperatorKey(operatorKey.trim())) {
            auth.recordFailure(ip);
            LOG.infof("console sign-in refused from %s: wrong operator key", ip);
            return loginPage(ctx, 401, "That is not the operator key.");
        }
        SessionStore.NewSession session = sessions.create();
        long maxAge = Duration.between(Instant.now(), session.expiresAt()).toSeconds();
        LOG.infof("console sign-in from %s", ip);
        return Response.seeOther(URI.create("/"))
                .cookie(sessionCookie(ctx, session.id(), (int) maxAge), expired(ctx, LOGIN_CSRF_COOKIE, "/login"))
                .build();
    }

    @POST
    @Path("logout")
    public Response signOut(RoutingContext ctx, @RestForm(Csrf.FIELD) String csrf, @RestHeader(Csrf.HEADER) String csrfHeader) {
        Caller caller = GatewayContext.caller(ctx);
        Csrf.require(caller, csrf, csrfHeader);
        sessions.delete(caller.sessionId());
        return Response.seeOther(URI.create("/login")).cookie(expired(ctx, EdgeGuard.SESSION_COOKIE, "/")).build();
    }

    private Response loginPage(RoutingContext ctx, int status, String error) {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        NewCookie cookie = new NewCookie.Builder(LOGIN_CSRF_COOKIE).value(token).path("/login").httpOnly(true)
                .secure(secure(ctx)).sameSite(NewCookie.SameSite.STRICT).maxAge(3600).build();
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .header("Cache-Control", "no-store").cookie(cookie)
                .entity(Templates.login(version, token, error).render()).build();
    }

    private static NewCookie sessionCookie(RoutingContext ctx, String value, int maxAge) {
        return new NewCookie.Builder(EdgeGuard.SESSION_COOKIE).value(value).path("/").httpOnly(true)
                .secure(secure(ctx)).sameSite(NewCookie.SameSite.STRICT).maxAge(maxAge).build();
    }

    private static NewCookie expired(RoutingContext ctx, String name, String path) {
        return new NewCookie.Builder(name).value("").path(path).httpOnly(true).secure(secure(ctx))
                .sameSite(NewCookie.SameSite.STRICT).maxAge(0).build();
    }

    /** Secure cookies when the operator reached us over https (directly or through a TLS-terminating proxy). */
    static boolean secure(RoutingContext ctx) {
        return ctx.request().isSSL() || "https".equalsIgnoreCase(ctx.request().getHeader("X-Forwarded-Proto"));
    }

    private static String ip(HttpServerRequest request) {
        return request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    }
}
