package dev.posgate.gateway.app;

import dev.posgate.gateway.platform.admin.AdminApi;
import dev.posgate.gateway.platform.admin.AdminToken;
import dev.posgate.gateway.platform.secrets.DataDirectory;
import dev.posgate.gateway.posp.admin.TmkCeremonyModule;
import dev.posgate.gateway.platform.config.GatewayConfig;
import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.platform.db.AuditLog;
import dev.posgate.gateway.platform.db.Database;
import dev.posgate.gateway.platform.db.KeyRepository;
import dev.posgate.gateway.platform.db.TerminalRepository;
import dev.posgate.gateway.platform.metrics.BoundedHttpLabels;
import dev.posgate.gateway.platform.metrics.GatewayMetrics;
import dev.posgate.gateway.platform.hsm.HsmLink;
import dev.posgate.hsm.Hsm;
import dev.posgate.gateway.kms.KmsModule;
import dev.posgate.gateway.network.NetworkManagementModule;
import dev.posgate.gateway.posp.PospModule;
import dev.posgate.gateway.spi.TmsHandler;
import dev.posgate.iso8583.tms.TmsCode;
import java.util.EnumMap;
import dev.posgate.gateway.platform.routing.GatewayDispatcher;
import dev.posgate.gateway.spi.PosRoutes;
import dev.posgate.gateway.platform.server.ConnectionGuard;
import dev.posgate.gateway.platform.server.DescriptorBudget;
import dev.posgate.gateway.platform.server.ListenerSettings;
import dev.posgate.iso8583.pos.PosDialect;
import dev.posgate.gateway.platform.server.ListenerVerticle;
import dev.posgate.gateway.tms.TmsModule;
import dev.posgate.gateway.platform.tls.TlsMaterial;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.posgate.gateway.spi.GatewayContext;
import dev.posgate.gateway.spi.GatewayModule;

/**
 * The composition root: builds Vert.x with metrics, the database, the HSM link, the
 * repositories and the dispatcher, then opens the terminal listeners and the admin API.
 * {@link #stop()} reverses it: stop accepting, drain sessions, close the rest.
 */
public final class GatewayApp {
    private static final Logger log = LoggerFactory.getLogger(GatewayApp.class);

    private final Vertx vertx;
    private final GatewayConfig config;
    private final ConnectionGuard guard;
    /** How the modules see the HSM: identity except in SessionThreadCheckIT. */
    private final UnaryOperator<Hsm> hsmView;
    /** Also asked for the key loader's routes, which only the key-loading listener serves. */
    private final KmsModule kms = new KmsModule();
    /** Set once booted; flushed at stop (the summaries of open refusal windows). */
    private AuditLog audit;
    /** The functional areas, in installation order (the POSP asks the TMS about pending updates). */
    private final List<GatewayModule> modules;
    private HsmLink hsmLink;
    private final List<ListenerVerticle> listeners = new CopyOnWriteArrayList<>();
    private Database database;
    private String listenerDeployment;
    private String tlsDeployment;
    private int tlsPort;
    private String loadingDeployment;
    private int loadingPort;
    private HttpServer admin;
    private AdminApi adminApi;
    private int port;
    private String adminToken;

    private GatewayApp(Vertx vertx, GatewayConfig config, UnaryOperator<Hsm> hsmView) {
        this.vertx = vertx;
        this.hsmView = hsmView;
        this.config = config;
        this.modules = defaultModules(kms, config);
        this.guard = new ConnectionGuard(DescriptorBudget.connectionsMax(config), config.integer(Setting.MAX_CONNECTIONS_PER_IP));
    }

    public static Future<GatewayApp> start(GatewayConfig config) {
        return start(config, UnaryOperator.identity());
    }

    /**
     * A test seam: the gateway's modules see the HSM through {@code hsmView} (identity in
     * production). SessionThreadCheckIT wraps it in a view that completes every future on
     * another context, to show the session thread check catches a chain that leaves its loop.
     */
    public static Future<GatewayApp> start(GatewayConfig config, UnaryOperator<Hsm> hsmView) {
        // before anything is opened or generated: a profile that cannot serve an enabled feature (issue 16)
        String refusal;
        try {
            refusal = HsmCapabilities.refusal(config);
        } catch (IllegalArgumentException e) {
            refusal = e.getMessage();
        }
        if (refusal != null) {
            log.error("gateway refused to start: {}", refusal);
            return Future.failedFuture(new IllegalStateException(refusal));
        }
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // before any meter exists: an unauthenticated client's made-up HTTP method is one series, OTHER
        prometheus.config().meterFilter(new BoundedHttpLabels());
        MicrometerMetricsOptions metricsOptions = new MicrometerMetricsOptions()
                .setEnabled(config.bool(Setting.METRICS_ENABLED))
                .setJvmMetricsEnabled(true)
                // bounded labels only: never a remote address
                .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.POOL_TYPE, Label.POOL_NAME));
        // One event loop per listener instance (Vert.x would make twice as many). Nothing here blocks a
        // loop, and every loop then serves terminals: the HSM partitions and the PostgreSQL
        // connections all sit on loops that have callers, so a command or statement is answered on
        // the loop that sent it far more often, without a cross-thread hand-off (an eventfd wake-up
        // each way). Measured in docs/benchmarks.md (issue 19, "Where the gateway's CPU goes").
        Vertx vertx = Vertx.builder()
                .with(new VertxOptions().setMetricsOptions(metricsOptions).setEventLoopPoolSize(listenerInstances(config)))
                .withMetrics(new MicrometerMetricsFactory(prometheus))
                .build();
        GatewayApp app = new GatewayApp(vertx, config, hsmView);
        // Not chained on boot's future: that one belongs to a context of the Vert.x instance a
        // failed start closes, and a closed context never delivers its completion.
        Promise<GatewayApp> started = Promise.promise();
        app.boot(prometheus).onComplete(booted -> {
            if (booted.succeeded()) {
                started.complete(app);
                return;
            }
            log.error("gateway failed to start: {}", booted.cause().toString());
            app.stop().onComplete(stopped -> started.fail(booted.cause()));
        });
        return started.future();
    }

    private Future<Void> boot(PrometheusMeterRegistry prometheus) {
        GatewayMetrics metrics = new GatewayMetrics(prometheus);
        log.info("start-up: data directory {}", config.dataDir());
        log.info("start-up: HSM profile {}; enabled features and the HSM commands they need: {}{}",
                HsmCapabilities.profile(config).configName(), HsmCapabilities.needsOfEnabled(config),
                HsmCapabilities.disabled(config).isEmpty() ? "" : " (features.disabled: " + HsmCapabilities.disabled(config) + ")");
        return vertx.executeBlocking(() -> {
                    DataDirectory.secure(config.dataDir()); // before anything reads a secret from it
                    return AdminToken.resolve(config.string(Setting.ADMIN_TOKEN), config.dataDir());
                })
                .compose(token -> {
                    adminToken = token;
                    log.info("start-up: starting the database and its migrations ({})...",
                            config.string(Setting.DB_URL).isEmpty() ? "embedded PostgreSQL; a first run initialises its cluster" : "db.url");
                    return Database.start(vertx, config);
                })
                .compose(db -> {
                    database = db;
                    log.info("database: {}", db.description());
                    log.info("start-up: connecting to the HSM ({}; commands time out after {} ms, key-pair generation after {} ms)...",
                            config.string(Setting.HSM_HOSTS).isEmpty() ? "bundled software HSM" : config.string(Setting.HSM_HOSTS),
                            config.integer(Setting.HSM_TIMEOUT), config.integer(Setting.HSM_KEYGEN_TIMEOUT));
                    return HsmLink.start(vertx, config, prometheus);
                })
                .compose(link -> {
                    hsmLink = link;
                    int window = config.integer(Setting.AUDIT_REFUSAL_WINDOW);
                    AuditLog audit = window <= 0 ? new AuditLog(database.pool()) : new AuditLog(database.pool(), vertx,
                            Duration.ofSeconds(window), config.integer(Setting.AUDIT_REFUSAL_KINDS));
                    this.audit = audit;
                    GatewayContext context = new GatewayContext(vertx, config, database.pool(), hsmView.apply(link.hsm()),
                            new TerminalRepository(database.pool(), audit), new KeyRepository(database.pool()), audit, metrics);
                    Map<String, Supplier<Future<?>>> readiness = new LinkedHashMap<>();
                    readiness.put("database", database::ping);
                    readiness.put("hsm", link::check);
                    readiness.put("listener", () -> listenerDeployment != null && !guard.draining()
                            ? Future.succeededFuture() : Future.failedFuture("not accepting"));
                    AdminApi api = new AdminApi(vertx, context.terminals(), prometheus, readiness, adminToken);
                    adminApi = api;
                    PosRoutes pos = new PosRoutes();
                    Map<TmsCode, TmsHandler> tms = new EnumMap<>(TmsCode.class);
                    Future<Void> installed = Future.succeededFuture();
                    for (GatewayModule m : modules) {
                        installed = installed.compose(v -> {
                            log.info("start-up: installing {}...", m.getClass().getSimpleName());
                            return m.install(context, pos, tms, api.api());
                        });
                    }
                    return installed.compose(v -> openListeners(new GatewayDispatcher(pos, tms, metrics,
                            config.bool(Setting.LISTENER_APP_HEADER) ? PosDialect.APP_HEADER : PosDialect.NO_APP_HEADER), metrics))
                            .compose(v -> api.listen(config.string(Setting.ADMIN_HOST), config.integer(Setting.ADMIN_PORT),
                                    config.integer(Setting.ADMIN_HEADER_TIMEOUT), config.integer(Setting.ADMIN_IDLE_TIMEOUT)));
                })
                .map(http -> {
                    admin = http;
                    log.info("admin API on {}:{}", config.string(Setting.ADMIN_HOST), http.actualPort());
                    return null;
                });
    }

    /** Listener verticle instances: {@code listener.instances}, 0 meaning one per core. */
    private static int listenerInstances(GatewayConfig config) {
        int configured = config.integer(Setting.LISTENER_INSTANCES);
        return configured == 0 ? Runtime.getRuntime().availableProcessors() : configured;
    }

    private Future<Void> openListeners(GatewayDispatcher dispatcher, GatewayMetrics metrics) {
        port = resolvePort(config.integer(Setting.LISTENER_PORT));
        ListenerSettings listener = ListenerSettings.from(config, port);
        AtomicLong sessionIds = new AtomicLong();
        int instances = listenerInstances(config);
        return vertx.deployVerticle(() -> {
                    ListenerVerticle l = new ListenerVerticle(listener, dispatcher, guard, metrics, sessionIds);
                    listeners.add(l);
                    return l;
                }, new DeploymentOptions().setInstances(instances))
                .compose(id -> {
                    listenerDeployment = id;
                    log.info("terminal listener on {}:{} ({} instances)", listener.host(), port, instances);
                    return openTlsListener(dispatcher, metrics, sessionIds, instances);
                })
                .compose(v -> openLoadingListener(listener, metrics, sessionIds));
    }

    /**
     * The optional key-loading listener (docs/kms.md): the loading room's network, serving the key
     * loader L1–L3 and nothing else ({@code 12}), with the terminal listener's framing, session
     * limits and connection caps (one {@link ConnectionGuard} for both). One instance: loading
     * is a trickle, not a fleet.
     */
    private Future<Void> openLoadingListener(ListenerSettings terminal, GatewayMetrics metrics, AtomicLong sessionIds) {
        if (config.integer(Setting.LOADER_PORT) == 0) return Future.succeededFuture(); // 0 = off, not "any port"
        loadingPort = config.integer(Setting.LOADER_PORT);
        ListenerSettings listener = terminal.at(config.string(Setting.LOADER_HOST), loadingPort);
        GatewayDispatcher loading = new GatewayDispatcher(new PosRoutes(), kms.loadingRoutes(), metrics);
        return vertx.deployVerticle(() -> {
                    ListenerVerticle l = new ListenerVerticle(listener, loading, guard, metrics, sessionIds);
                    listeners.add(l);
                    return l;
                }, new DeploymentOptions().setInstances(1))
                .map(id -> {
                    loadingDeployment = id;
                    log.info("key-loading listener on {}:{}", listener.host(), loadingPort);
                    return null;
                });
    }

    /** The optional TLS listener: same sessions and dispatcher as the plain one, on its own port. */
    private Future<Void> openTlsListener(GatewayDispatcher dispatcher, GatewayMetrics metrics, AtomicLong sessionIds,
            int instances) {
        if (config.integer(Setting.LISTENER_TLS_PORT) == 0) return Future.succeededFuture(); // 0 = off, not "any port"
        tlsPort = config.integer(Setting.LISTENER_TLS_PORT);
        ListenerSettings listener = ListenerSettings.from(config, tlsPort);
        return vertx.executeBlocking(() -> TlsMaterial.resolve(config))
                .compose(tls -> vertx.deployVerticle(() -> {
                            ListenerVerticle l = new ListenerVerticle(listener, dispatcher, guard, metrics, sessionIds, tls);
                            listeners.add(l);
                            return l;
                        }, new DeploymentOptions().setInstances(instances))
                        .map(id -> {
                            tlsDeployment = id;
                            Gauge.builder("posgate_tls_listener", () -> 1).tag("engine", tls.engineName())
                                    .description("TLS terminal listener open, by SSL engine").register(metrics.registry());
                            log.info("TLS terminal listener on {}:{} ({} instances, engine {}, client auth {})",
                                    listener.host(), tlsPort, instances, tls.engineName(), tls.clientAuth());
                            return null;
                        }));
    }

    /** Port 0 asks for a free port; several listener instances must share one concrete port. */
    private static int resolvePort(int configured) {
        if (configured != 0) return configured;
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Future<Void> stop() {
        guard.startDraining();
        List<Future<Void>> drained = new ArrayList<>();
        for (ListenerVerticle l : listeners) drained.add(l.drain());
        return Future.join(drained)
                .transform(ar -> listenerDeployment == null ? Future.<Void>succeededFuture() : vertx.undeploy(listenerDeployment))
                .eventually(() -> tlsDeployment == null ? Future.succeededFuture() : vertx.undeploy(tlsDeployment))
                .eventually(() -> loadingDeployment == null ? Future.succeededFuture() : vertx.undeploy(loadingDeployment))
                .eventually(() -> admin == null ? Future.succeededFuture() : admin.close())
                .eventually(() -> Future.join(modules.stream().map(GatewayModule::close).toList()))
                .eventually(() -> audit == null ? Future.succeededFuture() : audit.flush())
                .eventually(() -> hsmLink == null ? Future.succeededFuture() : hsmLink.close())
                .eventually(() -> database == null ? Future.succeededFuture() : database.close(vertx))
                .eventually(vertx::close)
                .onComplete(ar -> log.info("gateway stopped"));
    }

    public Vertx vertx() {
        return vertx;
    }

    public int port() {
        return port;
    }

    /** The TLS listener's port; 0 when there is none. */
    public int tlsPort() {
        return tlsPort;
    }

    /** The key-loading listener's port; 0 when there is none. */
    public int loadingPort() {
        return loadingPort;
    }

    public int adminPort() {
        return admin.actualPort();
    }

    /** The admin port's router, every route of every module (OpenApiRoutesIT checks them against /api/openapi.json). */
    public io.vertx.ext.web.Router adminRouter() {
        return adminApi.served();
    }

    public String adminToken() {
        return adminToken;
    }

    public HsmLink hsmLink() {
        return hsmLink;
    }

    public Database database() {
        return database;
    }

    public GatewayConfig config() {
        return config;
    }

    /** The modules of the enabled features: without tms or kms (features.disabled) theirs are not installed. */
    private static List<GatewayModule> defaultModules(KmsModule kms, GatewayConfig config) {
        boolean tmsOn = !HsmCapabilities.isDisabled(config, "tms");
        TmsModule tms = new TmsModule();
        List<GatewayModule> modules = new ArrayList<>();
        modules.add(new NetworkManagementModule());
        if (tmsOn) modules.add(tms);
        modules.add(new PospModule(tmsOn ? tms::pendingUpdates : () -> tid -> Future.succeededFuture(false)));
        if (!HsmCapabilities.isDisabled(config, "kms")) modules.add(kms);
        modules.add(new TmkCeremonyModule());
        return List.copyOf(modules);
    }
}
