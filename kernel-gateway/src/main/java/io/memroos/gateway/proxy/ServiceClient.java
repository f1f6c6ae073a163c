package io.memroos.gateway.proxy;

import io.memroos.gateway.config.GatewayConfig;
import io.memroos.gateway.web.RequestIds;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * The one client the gateway uses to reach its services: a pooled keep-alive Vert.x HttpClient.
 * It owns connect and response timeouts and turns transport failures into {@link DownstreamException}.
 * The proxy streams through {@link #open}; the console, key verification and health use {@link #call}.
 */
@Singleton
public class ServiceClient {

    private final Vertx vertx;
    private final HttpClientOptions options;
    private final PoolOptions pool;
    /** Used off the event loop (health checks started by workers, for instance). */
    private final HttpClient shared;
    /**
     * One client (and pool) per event loop, so a request, its downstream connection and both
     * responses stay on one thread: no hand-over between event loops on the hot path.
     */
    private final ConcurrentHashMap<Thread, HttpClient> perEventLoop = new ConcurrentHashMap<>();
    private final RouteTable routes;
    private final long timeoutMillis;

    ServiceClient(Vertx vertx, GatewayConfig config) {
        this.vertx = vertx;
        this.routes = new RouteTable(config.services(), config.routes());
        this.timeoutMillis = config.timeout().toMillis();
        this.options = new HttpClientOptions()
                .setKeepAlive(true)
                .setKeepAliveTimeout(60)
                .setTcpNoDelay(true)
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setDecompressionSupported(false)
                .setTryUseCompression(false);
        this.pool = new PoolOptions().setHttp1MaxSize(config.poolSize());
        this.shared = vertx.createHttpClient(options, pool);
    }

    public RouteTable routes() {
        return routes;
    }

    public long timeoutMillis() {
        return timeoutMillis;
    }

    /** Opens a request to the service (the connection comes from the pool); the caller writes and ends it. */
    public Future<HttpClientRequest> open(RouteTable.Service service, HttpMethod method, String pathAndQuery) {
        RequestOptions request = new RequestOptions()
                .setMethod(method)
                .setHost(service.baseUrl().getHost())
                .setPort(service.port())
                .setSsl(service.tls())
                .setURI(service.basePath() + pathAndQuery)
                .setFollowRedirects(false);
        return http().request(request).recover(err -> Future.failedFuture(DownstreamException.of(service.name(), err)));
    }

    /** A buffered call: sends the body (may be null), reads the whole response, within the configured timeout. */
    public Future<Reply> call(String serviceName, HttpMethod method, String pathAndQuery, String bearer,
                              String requestId, JsonObject body) {
        return call(routes.service(serviceName), method, pathAndQuery, bearer, requestId, body, Duration.ofMillis(timeoutMillis));
    }

    /** As {@link #call(String, HttpMethod, String, String, String, JsonObject)} with its own timeout. */
    public Future<Reply> call(RouteTable.Service service, HttpMethod method, String pathAndQuery, String bearer,
                              String requestId, JsonObject body, Duration timeout) {
        Promise<Reply> promise = Promise.promise();
        long timer = vertx.setTimer(timeout.toMillis(), t -> promise.tryFail(
                new DownstreamException(service.name(), 504, service.name() + " did not answer within " + timeout.toMillis() + " ms")));
        open(service, method, pathAndQuery).compose(req -> {
            MultiMap headers = req.headers();
            headers.set(HttpHeaders.ACCEPT, "application/json");
            if (bearer != null) {
                headers.set(HttpHeaders.AUTHORIZATION, "Bearer " + bearer);
            }
            if (requestId != null) {
                headers.set(RequestIds.HEADER, requestId);
            }
            Future<io.vertx.core.http.HttpClientResponse> sent;
            if (body != null) {
                headers.set(HttpHeaders.CONTENT_TYPE, "application/json");
                sent = req.send(body.toBuffer());
            } else {
                sent = req.send();
            }
            return sent.compose(resp -> resp.body().map(buf -> new Reply(resp.statusCode(),
                    resp.getHeader(HttpHeaders.CONTENT_TYPE), buf)));
        }).onComplete(ar -> {
            vertx.cancelTimer(timer);
            if (ar.succeeded()) {
                promise.tryComplete(ar.result());
            } else {
                promise.tryFail(DownstreamException.of(service.name(), ar.cause()));
            }
        });
        return promise.future();
    }

    private HttpClient http() {
        if (Context.isOnEventLoopThread()) {
            return perEventLoop.computeIfAbsent(Thread.currentThread(), t -> vertx.createHttpClient(options, pool));
        }
        return shared;
    }

    @PreDestroy
    void close() {
        shared.close();
        perEventLoop.values().forEach(HttpClient::close);
    }

    /** A buffered response. */
    public record Reply(int status, String contentType, Buffer body) {
        public JsonObject json() {
            return body == null || body.length() == 0 ? new JsonObject() : body.toJsonObject();
        }

        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /** A service could not be reached or did not answer; carries the status the gateway answers with. */
    public static final class DownstreamException extends RuntimeException {
        private final String service;
        private final int status;

        public DownstreamException(String service, int status, String message) {
            super(message, null, false, false);
            this.service = service;
            this.status = status;
        }

        static DownstreamException of(String service, Throwable err) {
            if (err instanceof DownstreamException d) {
                return d;
            }
            if (err instanceof ConnectException || err instanceof UnknownHostException
                    || err instanceof io.netty.channel.ConnectTimeoutException) {
                return new DownstreamException(service, 503, "the " + service + " service is unreachable");
            }
            if (err instanceof TimeoutException) {
                return new DownstreamException(service, 504, "the " + service + " service did not answer in time");
            }
            return new DownstreamException(service, 502, "the " + service + " service broke off the exchange ("
                    + err.getClass().getSimpleName() + ")");
        }

        public String service() {
            return service;
        }

        public int status() {
            return status;
        }
    }
}
