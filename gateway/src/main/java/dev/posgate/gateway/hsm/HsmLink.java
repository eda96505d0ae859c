package dev.posgate.gateway.hsm;

import dev.posgate.gateway.config.GatewayConfig;
import dev.posgate.gateway.config.Setting;
import dev.posgate.hsm.Hsm;
import dev.posgate.hsm.RemoteHsm;
import dev.posgate.hsm.pool.HsmPool;
import dev.posgate.hsm.pool.HsmPoolConfig;
import dev.posgate.hsm.sim.Authorisation;
import dev.posgate.hsm.sim.HsmSimConfig;
import dev.posgate.hsm.sim.HsmSimulator;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's way to its HSMs: always the pooled client over TCP. With no {@code hsm.hosts}
 * configured, the bundled software HSM is started in-process on a loopback port first, so
 * development and tests use exactly the production code path, wire protocol included; the pool
 * authenticates to it with a client certificate ({@link HsmLinkCredentials}, mutual TLS).
 */
public final class HsmLink {
    private static final Logger log = LoggerFactory.getLogger(HsmLink.class);

    private final HsmPool pool;
    private final Hsm hsm;
    private final HsmSimulator embedded;

    private HsmLink(HsmPool pool, HsmSimulator embedded) {
        this.pool = pool;
        this.hsm = new RemoteHsm(pool);
        this.embedded = embedded;
    }

    public static Future<HsmLink> start(Vertx vertx, GatewayConfig config, MeterRegistry registry) {
        String hosts = config.string(Setting.HSM_HOSTS);
        Future<HsmSimulator> sim;
        Future<HsmLinkCredentials> credentials;
        if (hosts.isEmpty()) {
            String lmkFile = config.string(Setting.HSM_LMK_FILE);
            Path lmk = lmkFile.isEmpty() ? config.dataDir().resolve("lmk.hex") : Path.of(lmkFile);
            credentials = vertx.executeBlocking(() -> HsmLinkCredentials.loadOrCreate(config.dataDir()));
            sim = credentials.compose(c -> HsmSimulator.start(vertx, HsmSimConfig.builder()
                    .host("127.0.0.1")
                    .port(0)
                    .headerLength(config.integer(Setting.HSM_HEADER_LENGTH))
                    .lmkFile(lmk)
                    .development(true)
                    .allowClearComponents(config.bool(Setting.HSM_SIM_CLEAR_COMPONENTS))
                    .authorisation(authorisation(config))
                    .mutualTls(c.hsmSide())
                    .build()));
        } else {
            credentials = Future.succeededFuture(null);
            sim = Future.succeededFuture(null);
        }
        return sim.compose(s -> {
            List<String> targets = s != null
                    ? List.of("127.0.0.1:" + s.port())
                    : Arrays.stream(hosts.split(",")).map(String::trim).filter(h -> !h.isEmpty()).toList();
            if (s != null) log.info("bundled software HSM on 127.0.0.1:{} (development LMK, mutual TLS)", s.port());
            HsmPoolConfig.Builder poolConfig = HsmPoolConfig.builder()
                    .name("hsm")
                    .hosts(targets)
                    .connectionsPerHost(config.integer(Setting.HSM_CONNECTIONS))
                    .headerLength(config.integer(Setting.HSM_HEADER_LENGTH))
                    .requestTimeout(Duration.ofMillis(config.integer(Setting.HSM_TIMEOUT)))
                    .keyGenerationTimeout(Duration.ofMillis(config.integer(Setting.HSM_KEYGEN_TIMEOUT)));
            if (s != null) {
                // The first TLS handshake of a cold JVM took 3 s on a loaded machine (load 12 on 2
                // cores), against a start window of connect + request timeout (3 + 2 s by default):
                // the in-process HSM on loopback is worth waiting for. hsm.hosts keep the default.
                poolConfig.mutualTls(credentials.result().gatewaySide()).connectTimeout(Duration.ofSeconds(30));
            }
            HsmPool pool = new HsmPool(vertx, poolConfig.build(), registry);
            HsmLink link = new HsmLink(pool, s);
            return pool.start().map(link).recover(e -> {
                log.error("no HSM reachable at {}: {}", targets, e.getMessage());
                return link.close().transform(ignored -> Future.failedFuture(e));
            });
        });
    }

    /** The bundled HSM's authorised state from the settings: an operator's decision, time-limited. */
    static Authorisation authorisation(GatewayConfig config) {
        String commands = config.string(Setting.HSM_SIM_AUTHORISED).trim();
        if (commands.isEmpty()) return Authorisation.NONE;
        int minutes = config.integer(Setting.HSM_SIM_AUTHORISED_MINUTES);
        if (minutes < 1 || minutes > 720) {
            throw new IllegalArgumentException(Setting.HSM_SIM_AUTHORISED_MINUTES.key() + " must be 1..720");
        }
        return Authorisation.of(new java.util.HashSet<>(Arrays.asList(commands.split("\\s*,\\s*"))), Duration.ofMinutes(minutes));
    }

    public Hsm hsm() {
        return hsm;
    }

    /** The bundled software HSM's loopback port, or -1 with {@code hsm.hosts}. */
    public int embeddedPort() {
        return embedded == null ? -1 : embedded.port();
    }

    public HsmPool pool() {
        return pool;
    }

    /** Readiness: at least one HSM connection is up and answers diagnostics. */
    public Future<?> check() {
        if (pool.connectionsUp() == 0) return Future.failedFuture("no HSM connection up");
        return hsm.diagnostics();
    }

    public Future<Void> close() {
        return pool.close().eventually(() -> embedded == null ? Future.succeededFuture() : embedded.stop());
    }
}
