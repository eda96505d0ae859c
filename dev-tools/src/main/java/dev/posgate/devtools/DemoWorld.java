package dev.posgate.devtools;

import dev.posgate.gateway.app.GatewayApp;
import dev.posgate.gateway.cli.Main;
import dev.posgate.gateway.platform.config.GatewayConfig;
import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.hostsim.HostRules;
import dev.posgate.hostsim.HostSimulator;
import dev.posgate.hsm.LmkKey;
import dev.posgate.hsm.RemoteHsm;
import dev.posgate.hsm.pool.HsmPool;
import dev.posgate.hsm.pool.HsmPoolConfig;
import dev.posgate.hsm.sim.HsmSimConfig;
import dev.posgate.hsm.sim.HsmSimulator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/**
 * What {@code posgate demo} runs its fleet against, all in this JVM: the gateway on its embedded
 * defaults (as {@code serve}; plus the upstream host, the DMK and TMK key ceremonies and the
 * bundled HSM's clear components), and the upstream host simulator with its own software HSM on
 * the gateway's LMK file, started with zone keys the gateway generated ({@code posgate posp
 * zone-keys}, as docs/posp.md's manual set-up does). The admin API is reached through the CLI's
 * own commands ({@link #cli}), in-process.
 */
final class DemoWorld implements AutoCloseable {
    final GatewayApp app;
    final Vertx vertx;
    private final HsmSimulator hostHsm;
    private final HsmPool hostHsmPool;
    final HostSimulator host;

    private DemoWorld(GatewayApp app, Vertx vertx, HsmSimulator hostHsm, HsmPool hostHsmPool, HostSimulator host) {
        this.app = app;
        this.vertx = vertx;
        this.hostHsm = hostHsm;
        this.hostHsmPool = hostHsmPool;
        this.host = host;
    }

    /** The demo's settings on top of {@code base}: an upstream host on {@code upstreamPort}, the key ceremonies on. */
    static GatewayConfig demoConfig(GatewayConfig base, int upstreamPort) {
        return base.with(Setting.UPSTREAM_HOST, "127.0.0.1:" + upstreamPort)
                .with(Setting.TMS_DMK_CEREMONY, true)
                .with(Setting.POSP_TMK_CEREMONY, true)
                .with(Setting.HSM_SIM_CLEAR_COMPONENTS, true);
    }

    static DemoWorld start(GatewayConfig base) throws Exception {
        if (!base.string(Setting.HSM_HOSTS).isEmpty()) {
            throw new IllegalStateException("the demo runs on the bundled software HSM: leave hsm.hosts empty");
        }
        int upstreamPort = freePort();
        GatewayConfig config = demoConfig(base, upstreamPort);
        GatewayApp app = get(GatewayApp.start(config), 5, TimeUnit.MINUTES);
        Vertx vertx = Vertx.vertx();
        HsmSimulator hostHsm = null;
        HsmPool pool = null;
        try {
            String lmkSetting = config.string(Setting.HSM_LMK_FILE);
            Path lmk = lmkSetting.isEmpty() ? config.dataDir().resolve("lmk.hex") : Path.of(lmkSetting);
            // the host's own HSM: the same development LMK, its PIN verification key formed from components
            hostHsm = get(HsmSimulator.start(vertx, HsmSimConfig.builder().host("127.0.0.1").port(0).lmkFile(lmk)
                    .development(true).allowClearComponents(true).build()), 1, TimeUnit.MINUTES);
            pool = new HsmPool(vertx, HsmPoolConfig.builder().name("demo-host-hsm").host("127.0.0.1", hostHsm.port())
                    .connectionsPerHost(1).headerLength(4).build());
            get(pool.start(), 1, TimeUnit.MINUTES);
            DemoWorld partial = new DemoWorld(app, vertx, hostHsm, pool, null);
            JsonObject zone = new JsonObject(partial.cli("posp", "generate-zone-keys", "--json"));
            HostSimulator host = get(HostSimulator.start(vertx, new RemoteHsm(pool), HostRules.defaults(), key(zone, "zpk"),
                    key(zone, "zak"), key(zone, "zek"), 0, "127.0.0.1", upstreamPort), 1, TimeUnit.MINUTES);
            return new DemoWorld(app, vertx, hostHsm, pool, host);
        } catch (Exception e) {
            if (pool != null) pool.close();
            if (hostHsm != null) hostHsm.stop();
            vertx.close();
            app.stop().toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
            throw e;
        }
    }

    private static LmkKey key(JsonObject zone, String name) {
        return LmkKey.parse(zone.getJsonObject(name).getString("underLmk"));
    }

    String adminUrl() {
        return "http://127.0.0.1:" + app.adminPort();
    }

    /**
     * A {@code posgate} command run in-process against this gateway's admin API (its --admin and
     * --token added); its standard output. A failure is an exception carrying the command's one-line error.
     */
    String cli(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--admin", adminUrl(), "--token", app.adminToken()));
        int exit = cl.execute(all.toArray(String[]::new));
        if (exit != 0) throw new IllegalStateException(err.toString().strip().replaceFirst("^posgate: ", ""));
        return out.toString();
    }

    /**
     * Waits (up to {@code timeout}) until the gateway has a connection to the host simulator, as
     * its {@code posgate_upstream_connections_up} metric says: the gateway started before the
     * simulator (whose zone keys it generated) and reconnects with a backoff.
     */
    boolean awaitUpstream(Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String metrics = http.send(HttpRequest.newBuilder(URI.create(adminUrl() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            for (String line : metrics.split("\n")) {
                if (line.startsWith("posgate_upstream_connections_up ") && Double.parseDouble(line.substring(line.indexOf(' ') + 1)) > 0) {
                    return true;
                }
            }
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(100);
        }
    }

    static <T> T get(Future<T> f, long amount, TimeUnit unit) throws Exception {
        try {
            return f.toCompletionStage().toCompletableFuture().get(amount, unit);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Exception c) throw c;
            throw e;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        // the gateway first: it drains its sessions while the host still answers
        get(app.stop(), 2, TimeUnit.MINUTES);
        if (host != null) get(host.stop(), 30, TimeUnit.SECONDS);
        get(hostHsmPool.close(), 30, TimeUnit.SECONDS);
        get(hostHsm.stop(), 30, TimeUnit.SECONDS);
        get(vertx.close(), 30, TimeUnit.SECONDS);
    }
}
