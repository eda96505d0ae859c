package dev.posgate.gateway.platform.hsm;

import dev.posgate.gateway.platform.config.GatewayConfig;
import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.hsm.Hsm;
import dev.posgate.hsm.HsmProfile;
import dev.posgate.hsm.RemoteHsm;
import dev.posgate.hsm.pool.HsmPool;
import dev.posgate.hsm.pool.HsmPoolConfig;
import dev.posgate.hsm.bundled.BundledHsm;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's way to its HSMs: always the pooled client over TCP. With no {@code hsm.hosts}
 * configured, the bundled software HSM ({@link BundledHsm}: on the class path of the development
 * launcher and the tests, not in the production jar) is started in-process on a loopback port
 * first, so development and tests use exactly the production code path, wire protocol included;
 * the pool authenticates to it with a client certificate ({@link HsmLinkCredentials}, mutual TLS).
 */
public final class HsmLink {
    private static final Logger log = LoggerFactory.getLogger(HsmLink.class);

    private final HsmPool pool;
    private final Hsm hsm;
    private final BundledHsm.Running embedded;

    private HsmLink(HsmPool pool, BundledHsm.Running embedded, HsmProfile profile) {
        this.pool = pool;
        this.hsm = new RemoteHsm(pool, profile);
        this.embedded = embedded;
    }

    public static Future<HsmLink> start(Vertx vertx, GatewayConfig config, MeterRegistry registry) {
        return start(vertx, config, registry, BundledHsm.find());
    }

    static Future<HsmLink> start(Vertx vertx, GatewayConfig config, MeterRegistry registry, Optional<BundledHsm> bundledHsm) {
        String hosts = config.string(Setting.HSM_HOSTS);
        HsmProfile profile = HsmProfile.of(config.string(Setting.HSM_PROFILE));
        Future<BundledHsm.Running> sim;
        Future<HsmLinkCredentials> credentials;
        if (hosts.isEmpty()) {
            BundledHsm bundled = bundledHsm.orElse(null);
            if (bundled == null) {
                return Future.failedFuture(new IllegalStateException(Setting.HSM_HOSTS.key()
                        + " is empty and this build carries no bundled software HSM: set " + Setting.HSM_HOSTS.key()
                        + " to your HSMs (host:port,...), or run the development launcher (bin/posgate)"));
            }
            String lmkFile = config.string(Setting.HSM_LMK_FILE);
            Path lmk = lmkFile.isEmpty() ? config.dataDir().resolve("lmk.hex") : Path.of(lmkFile);
            Set<String> authorised = authorisedCommands(config);
            Duration authorisedFor = authorised.isEmpty() ? Duration.ZERO : authorisedFor(config);
            credentials = vertx.executeBlocking(() -> HsmLinkCredentials.loadOrCreate(config.dataDir()));
            sim = credentials.compose(c -> bundled.start(vertx, new BundledHsm.Options(
                    "127.0.0.1",
                    config.integer(Setting.HSM_HEADER_LENGTH),
                    lmk,
                    config.bool(Setting.HSM_SIM_CLEAR_COMPONENTS),
                    authorised,
                    authorisedFor,
                    c.hsmKey(),
                    c.clientTrust(),
                    profile)));
        } else {
            credentials = Future.succeededFuture(null);
            sim = Future.succeededFuture(null);
        }
        return sim.compose(s -> {
            List<String> targets = s != null
                    ? List.of("127.0.0.1:" + s.port())
                    : Arrays.stream(hosts.split(",")).map(String::trim).filter(h -> !h.isEmpty()).toList();
            if (s != null) log.info("bundled software HSM on 127.0.0.1:{} (development LMK, mutual TLS, profile {})", s.port(),
                    profile.configName());
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
            HsmLink link = new HsmLink(pool, s, profile);
            return pool.start().map(link).recover(e -> {
                log.error("no HSM reachable at {}: {}", targets, e.getMessage());
                return link.close().transform(ignored -> Future.failedFuture(e));
            });
        });
    }

    /** The commands the bundled HSM runs in the authorised state: an operator's decision, time-limited. */
    static Set<String> authorisedCommands(GatewayConfig config) {
        String commands = config.string(Setting.HSM_SIM_AUTHORISED).trim();
        return commands.isEmpty() ? Set.of() : new HashSet<>(Arrays.asList(commands.split("\\s*,\\s*")));
    }

    /** How long the authorised state lasts after start. */
    static Duration authorisedFor(GatewayConfig config) {
        int minutes = config.integer(Setting.HSM_SIM_AUTHORISED_MINUTES);
        if (minutes < 1 || minutes > 720) {
            throw new IllegalArgumentException(Setting.HSM_SIM_AUTHORISED_MINUTES.key() + " must be 1..720");
        }
        return Duration.ofMinutes(minutes);
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
