package dev.posgate.load.gatling;

import dev.posgate.bench.harness.ServerProcess;
import dev.posgate.testing.BusinessDayZone;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The gateway a simulation drives. With {@code -Dposgate.port=N} it is one already running on
 * loopback (its TLS listener, if any, with {@code -Dposgate.tlsPort} and {@code -Dposgate.tlsTrust});
 * otherwise the gateway jar ({@code -Dposgate.gatewayJar}, default
 * dev-tools/target/posgate-dev.jar) is started here, in its own JVM with embedded defaults
 * (embedded PostgreSQL, bundled software HSM) and a fresh data directory, on free loopback ports,
 * with its TLS listener open beside the plain one (development certificate from the development
 * terminal TLS CA, {@code data/tls/ca.crt}), and stopped when the simulation ends.
 */
public final class GatewayUnderTest {
    private static final List<String> JVM = List.of("-Xms512m", "-Xmx512m", "-XX:+UseParallelGC");

    private final int port;
    private final int tlsPort;
    private final Path tlsTrust;
    private final AdminClient admin;
    private final ServerProcess process;

    private GatewayUnderTest(int port, int tlsPort, Path tlsTrust, AdminClient admin, ServerProcess process) {
        this.port = port;
        this.tlsPort = tlsPort;
        this.tlsTrust = tlsTrust;
        this.admin = admin;
        this.process = process;
    }

    static GatewayUnderTest resolve() {
        String given = System.getProperty("posgate.port");
        if (given != null && !given.isBlank()) {
            String trust = System.getProperty("posgate.tlsTrust");
            return new GatewayUnderTest(Integer.parseInt(given), Integer.getInteger("posgate.tlsPort", 0),
                    trust == null ? null : Path.of(trust), null, null);
        }
        return start(Map.of());
    }

    /** Starts a gateway of its own with {@code settings} (environment variables) on top of the load-test defaults. */
    static GatewayUnderTest start(Map<String, String> settings) {
        try {
            Path jar = gatewayJar();
            Path work = Files.createTempDirectory("posgate-gatling-");
            int port = freePort();
            int tlsPort = freePort();
            int adminPort = freePort();
            String token = UUID.randomUUID().toString();
            Map<String, String> env = new HashMap<>(Map.of(
                    "POSGATE_DATA_DIR", work.resolve("data").toString(),
                    "POSGATE_LISTENER_HOST", "127.0.0.1",
                    "POSGATE_LISTENER_PORT", String.valueOf(port),
                    "POSGATE_LISTENER_TLS_PORT", String.valueOf(tlsPort),
                    "POSGATE_ADMIN_PORT", String.valueOf(adminPort),
                    "POSGATE_ADMIN_TOKEN", token,
                    "POSGATE_CONNECTIONS_MAX_PER_IP", "20000",
                    // Back-to-back echo is far above a real terminal's request rate limit.
                    "POSGATE_SESSION_REQUEST_RATE", "0",
                    "POSGATE_LOG_LEVEL", "WARN"));
            // Load generators sign on, handshake and download TMKs far more often per terminal than
            // a terminal does: the per-serial and per-terminal rates (issue 13) are off here.
            env.put("POSGATE_POSP_SIGN_ON_RATE", "0");
            env.put(BusinessDayZone.ENV, BusinessDayZone.farFromMidnight());
            env.put("POSGATE_TMS_H1_RATE", "0");
            env.put("POSGATE_KMS_K2_RATE", "0");
            env.putAll(settings);
            Path log = work.resolve("gateway.log");
            System.out.println("starting " + jar + " on 127.0.0.1:" + port + " (TLS " + tlsPort + "), log " + log);
            ServerProcess process = ServerProcess.start(jar, JVM, List.of("serve"), env, log);
            GatewayUnderTest gateway = new GatewayUnderTest(port, tlsPort, work.resolve("data/tls/ca.crt"),
                    new AdminClient(adminPort, token), process);
            Runtime.getRuntime().addShutdownHook(new Thread(gateway::stop, "stop-gateway"));
            return gateway;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    int port() {
        return port;
    }

    /** The TLS listener's port, 0 if unknown. */
    int tlsPort() {
        return tlsPort;
    }

    /** PEM of the CA that issued the TLS listener's certificate (the development terminal TLS CA). */
    Path tlsTrust() {
        if (tlsPort == 0 || tlsTrust == null) {
            throw new IllegalStateException("no TLS listener known: pass -Dposgate.tlsPort and -Dposgate.tlsTrust with -Dposgate.port");
        }
        return tlsTrust;
    }

    /** The admin API of a gateway started here. */
    AdminClient admin() {
        if (admin == null) throw new IllegalStateException("the admin API of an external gateway is not known");
        return admin;
    }

    /** Stops the gateway if this run started it; idempotent. */
    void stop() {
        if (process != null && process.isAlive()) process.close();
    }

    public static Path gatewayJar() {
        String given = System.getProperty("posgate.gatewayJar");
        List<Path> candidates = given != null ? List.of(Path.of(given))
                : List.of(Path.of("dev-tools/target/posgate-dev.jar"), Path.of("../dev-tools/target/posgate-dev.jar"));
        for (Path p : candidates) {
            if (Files.isRegularFile(p)) return p.toAbsolutePath();
        }
        throw new IllegalStateException("no gateway jar at " + candidates
                + ": build it (mvn -B -q -o -DskipTests package -pl dev-tools,load-test -am) or pass -Dposgate.port");
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
