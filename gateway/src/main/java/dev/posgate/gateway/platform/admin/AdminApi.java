package dev.posgate.gateway.platform.admin;

import dev.posgate.gateway.platform.db.NewTerminal;
import dev.posgate.gateway.platform.db.Terminal;
import dev.posgate.gateway.platform.db.TerminalRepository;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operators' HTTP API: liveness, readiness, Prometheus metrics, and (behind a bearer
 * token) terminal registration. Handlers only chain futures; nothing here blocks.
 */
public final class AdminApi {
    private static final Logger log = LoggerFactory.getLogger(AdminApi.class);
    private static final int MAX_BODY = 64 * 1024;
    /** A dependency that does not answer a readiness check within this is DOWN (a hung database would hold /ready). */
    private static final long CHECK_TIMEOUT_MS = 2_000;

    private final Vertx vertx;
    private final TerminalRepository terminals;
    private final PrometheusMeterRegistry prometheus;
    private final Map<String, Supplier<Future<?>>> readinessChecks;
    private final byte[] token;
    private final Router api;
    /** The router {@link #listen} serves, for OpenApiRoutesIT's check of every route against the description. */
    private volatile Router served;

    public AdminApi(Vertx vertx, TerminalRepository terminals, PrometheusMeterRegistry prometheus,
            Map<String, Supplier<Future<?>>> readinessChecks, String token) {
        this.vertx = vertx;
        this.terminals = terminals;
        this.prometheus = prometheus;
        this.readinessChecks = readinessChecks;
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.api = Router.router(vertx);
        api.route("/terminals*").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY));
        api.post("/terminals").handler(this::register);
        api.get("/terminals").handler(this::list);
        api.get("/terminals/:tid").handler(this::get);
        api.patch("/terminals/:tid").handler(this::update);
        api.post("/terminals/:tid/disable").handler(ctx -> setStatus(ctx, Terminal.Status.SUSPENDED));
        api.post("/terminals/:tid/enable").handler(ctx -> setStatus(ctx, Terminal.Status.ACTIVE));
        api.route().failureHandler(this::fail);
    }

    /** The authenticated {@code /api} router, where modules add their endpoints (paths relative to /api). */
    public Router api() {
        return api;
    }

    public Router router() {
        Router router = Router.router(vertx);
        router.get("/health").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "UP")));
        router.get("/ready").handler(this::ready);
        router.get("/metrics").handler(this::metrics);
        // before the token check: the description holds paths and body shapes, no data (docs/admin-api.md)
        router.get("/api/openapi.json").handler(this::openApi);
        router.route("/api/*").handler(this::authenticate);
        router.route("/api/*").subRouter(api);
        router.route().last().handler(ctx -> json(ctx, 404, error("not found")));
        router.route().failureHandler(this::fail);
        return router;
    }

    private void fail(RoutingContext ctx) {
        int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
        if (status >= 500) log.error("admin request {} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
        json(ctx, status, error(status == 413 ? "request body too large" : status >= 500 ? "internal error" : "bad request"));
    }

    public Future<HttpServer> listen(String host, int port) {
        return listen(host, port, 10, 60);
    }

    /**
     * Listens with a deadline for each request's line and headers ({@code headerTimeoutSeconds},
     * from connecting or from the previous response) and an idle timeout: a client that opens
     * connections and dribbles headers cannot hold them for ever.
     */
    public Future<HttpServer> listen(String host, int port, int headerTimeoutSeconds, int idleTimeoutSeconds) {
        // HTTP/1.1 only: the API and a Prometheus scrape need nothing more, and the h2c upgrade
        // that the JDK's HttpClient attempts by default once left a /metrics request unanswered
        HeaderDeadline deadline = new HeaderDeadline(vertx, TimeUnit.SECONDS.toMillis(headerTimeoutSeconds));
        Router router = router();
        served = router;
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            HttpConnection connection = ctx.request().connection();
            ctx.addEndHandler(v -> deadline.arm(connection)); // the next request's headers are due from here
            ctx.next();
        });
        return vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(false)
                        .setIdleTimeout(idleTimeoutSeconds).setIdleTimeoutUnit(TimeUnit.SECONDS))
                .connectionHandler(deadline::arm)
                .requestHandler(request -> {
                    deadline.met(request);
                    router.handle(request);
                })
                .listen(port, host);
    }

    /** The router the admin port serves (null before {@link #listen}). */
    public Router served() {
        return served;
    }

    /** The OpenAPI 3.1 description of this API (a resource next to this class; docs/admin-api.md). */
    public static String openApiDocument() {
        try (java.io.InputStream in = AdminApi.class.getResourceAsStream("openapi.json")) {
            if (in == null) throw new IllegalStateException("openapi.json missing from the classpath");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void openApi(RoutingContext ctx) {
        ctx.response().putHeader("Content-Type", "application/json").end(OPENAPI);
    }

    private static final String OPENAPI = openApiDocument();

    private void authenticate(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        byte[] presented = header != null && header.startsWith("Bearer ")
                ? header.substring(7).trim().getBytes(StandardCharsets.UTF_8)
                : new byte[0];
        if (!MessageDigest.isEqual(presented, token)) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
            json(ctx, 401, error("missing or wrong bearer token"));
            return;
        }
        ctx.next();
    }

    private void ready(RoutingContext ctx) {
        List<String> names = new ArrayList<>(readinessChecks.keySet());
        List<Future<?>> checks = new ArrayList<>();
        for (String n : names) checks.add(bounded(readinessChecks.get(n).get()));
        Future.join(checks).onComplete(ar -> {
            JsonObject body = new JsonObject();
            boolean up = true;
            for (int i = 0; i < names.size(); i++) {
                boolean ok = checks.get(i).succeeded();
                up &= ok;
                body.put(names.get(i), ok ? "UP" : "DOWN: " + checks.get(i).cause().getMessage());
            }
            json(ctx, up ? 200 : 503, body.put("status", up ? "UP" : "DOWN"));
        });
    }

    private static <T> Future<T> bounded(Future<T> check) {
        return check.timeout(CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS).recover(e -> Future.failedFuture(e instanceof TimeoutException
                ? new TimeoutException("no answer within " + CHECK_TIMEOUT_MS + " ms") : e));
    }

    private void metrics(RoutingContext ctx) {
        ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .end(prometheus.scrape());
    }

    private void register(RoutingContext ctx) {
        JsonObject in;
        try {
            in = ctx.body().asJsonObject();
        } catch (RuntimeException e) {
            json(ctx, 400, error("body must be a JSON object"));
            return;
        }
        if (in == null) {
            json(ctx, 400, error("body must be a JSON object"));
            return;
        }
        NewTerminal t = new NewTerminal(
                in.getValue("tid") instanceof String s ? s : null,
                in.getValue("mid") instanceof String s ? s : null,
                in.getValue("sn") instanceof String s ? s : null,
                in.getValue("snPinpad") instanceof String s ? s : null,
                in.getValue("vendor") instanceof String s ? s : null,
                in.getValue("model") instanceof String s ? s : null,
                parse(Terminal.KeyScheme.class, in.getValue("keyScheme"), Terminal.KeyScheme.TMK),
                parse(Terminal.MacAlgorithm.class, in.getValue("macAlgorithm"), Terminal.MacAlgorithm.ECB),
                parse(Terminal.MakLength.class, in.getValue("makLength"), Terminal.MakLength.DOUBLE),
                parse(Terminal.KeyAlgorithm.class, in.getValue("keyAlgorithm"), Terminal.KeyAlgorithm.TDES));
        List<String> problems = t.problems();
        if (!problems.isEmpty()) {
            json(ctx, 400, error("invalid terminal").put("problems", new JsonArray(problems)));
            return;
        }
        terminals.register(t, "admin-api").onComplete(ar -> {
            if (ar.succeeded()) {
                json(ctx, 201, toJson(ar.result()));
            } else if (ar.cause() instanceof TerminalRepository.DuplicateTerminalException d) {
                json(ctx, 409, error(d.getMessage()));
            } else {
                ctx.fail(ar.cause());
            }
        });
    }

    private void list(RoutingContext ctx) {
        int limit;
        long after;
        try {
            limit = Math.min(1000, Math.max(1, Integer.parseInt(param(ctx, "limit", "100"))));
            after = Long.parseLong(param(ctx, "after", "0"));
        } catch (NumberFormatException e) {
            json(ctx, 400, error("limit and after must be integers"));
            return;
        }
        terminals.list(limit, after).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            JsonArray items = new JsonArray();
            ar.result().forEach(t -> items.add(toJson(t)));
            json(ctx, 200, new JsonObject().put("terminals", items));
        });
    }

    private void get(RoutingContext ctx) {
        terminals.findByTid(ctx.pathParam("tid")).onComplete(ar -> {
            if (ar.failed()) ctx.fail(ar.cause());
            else if (ar.result().isEmpty()) json(ctx, 404, error("no such terminal"));
            else json(ctx, 200, toJson(ar.result().get()));
        });
    }

    /**
     * Changes a terminal's profile, each change audited with the value it replaces:
     * {@code makLength} (DOUBLE or SINGLE) and/or {@code keyAlgorithm} (TDES or SM4; a change
     * retires the terminal's TMK and working keys and ends its session, 409 for SM4 on a PSAM
     * terminal).
     */
    private void update(RoutingContext ctx) {
        JsonObject in;
        try {
            in = ctx.body().asJsonObject();
        } catch (RuntimeException e) {
            in = null;
        }
        if (in == null) {
            json(ctx, 400, error("body must be a JSON object"));
            return;
        }
        Terminal.MakLength makLength = in.getValue("makLength") == null ? null
                : parse(Terminal.MakLength.class, in.getValue("makLength"), null);
        Terminal.KeyAlgorithm algorithm = in.getValue("keyAlgorithm") == null ? null
                : parse(Terminal.KeyAlgorithm.class, in.getValue("keyAlgorithm"), null);
        JsonArray problems = new JsonArray();
        if (in.getValue("makLength") != null && makLength == null) problems.add("makLength must be DOUBLE or SINGLE");
        if (in.getValue("keyAlgorithm") != null && algorithm == null) problems.add("keyAlgorithm must be TDES or SM4");
        if (makLength == null && algorithm == null && problems.isEmpty()) problems.add("makLength or keyAlgorithm is required");
        if (!problems.isEmpty()) {
            json(ctx, 400, error("invalid terminal update").put("problems", problems));
            return;
        }
        String tid = ctx.pathParam("tid");
        Future<Optional<Terminal>> changed = makLength == null ? Future.succeededFuture(Optional.empty())
                : terminals.updateMakLength(tid, makLength, "admin-api");
        changed = changed.compose(first -> algorithm == null ? Future.succeededFuture(first)
                : terminals.updateKeyAlgorithm(tid, algorithm, "admin-api"));
        changed.onComplete(ar -> {
            if (ar.failed() && ar.cause() instanceof TerminalRepository.ProfileConflictException c) json(ctx, 409, error(c.getMessage()));
            else if (ar.failed()) ctx.fail(ar.cause());
            else if (ar.result().isEmpty()) json(ctx, 404, error("no such terminal"));
            else json(ctx, 200, toJson(ar.result().get()));
        });
    }

    /**
     * Disables (SUSPENDED) or enables (ACTIVE) a terminal, audited; no body. 200 with the
     * terminal, 404 unknown, 409 for a RETIRED terminal.
     */
    private void setStatus(RoutingContext ctx, Terminal.Status status) {
        terminals.updateStatus(ctx.pathParam("tid"), status, "admin-api").onComplete(ar -> {
            if (ar.failed() && ar.cause() instanceof TerminalRepository.ProfileConflictException c) json(ctx, 409, error(c.getMessage()));
            else if (ar.failed()) ctx.fail(ar.cause());
            else if (ar.result().isEmpty()) json(ctx, 404, error("no such terminal"));
            else json(ctx, 200, toJson(ar.result().get()));
        });
    }

    static JsonObject toJson(Terminal t) {
        return new JsonObject()
                .put("id", t.id())
                .put("tid", t.tid())
                .put("mid", t.mid())
                .put("sn", t.sn())
                .put("snPinpad", t.snPinpad())
                .put("vendor", t.vendor())
                .put("model", t.model())
                .put("keyScheme", t.keyScheme().name())
                .put("macAlgorithm", t.macAlgorithm().name())
                .put("makLength", t.makLength().name())
                .put("keyAlgorithm", t.keyAlgorithm().name())
                .put("status", t.status().name())
                .put("createdAt", t.createdAt().toString())
                .put("terminalInfo", t.terminalInfo());
    }

    private static <E extends Enum<E>> E parse(Class<E> type, Object value, E dflt) {
        if (value == null) return dflt;
        if (!(value instanceof String s)) return null;
        try {
            return Enum.valueOf(type, s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String param(RoutingContext ctx, String name, String dflt) {
        String v = ctx.request().getParam(name);
        return v == null ? dflt : v;
    }

    private static JsonObject error(String message) {
        return new JsonObject().put("error", message);
    }

    private static void json(RoutingContext ctx, int status, JsonObject body) {
        if (ctx.response().ended()) return;
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }
}
