package dev.posgate.load.gatling;

import dev.posgate.bench.harness.ServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The gateway a simulation drives. With {@code -Dposgate.port=N} it is one already running on
 * loopback; otherwise the gateway jar ({@code -Dposgate.gatewayJar}, default
 * gateway/target/posgate-gateway.jar) is started here, in its own JVM with embedded defaults
 * (embedded PostgreSQL, bundled software HSM) and a fresh data directory, on free loopback ports,
 * and stopped when the simulation ends.
 */
public final class GatewayUnderTest {
    private static final List<String> JVM = List.of("-Xms512m", "-Xmx512m", "-XX:+UseParallelGC");

    private final int port;
    private final ServerProcess process;

    private GatewayUnderTest(int port, ServerProcess process) {
        this.port = port;
        this.process = process;
    }

    static GatewayUnderTest resolve() {
        String given = System.getProperty("posgate.port");
        if (given != null && !given.isBlank()) return new GatewayUnderTest(Integer.parseInt(given), null);
        try {
            Path jar = gatewayJar();
            Path work = Files.createTempDirectory("posgate-gatling-");
            int port = freePort();
            Map<String, String> env = Map.of(
                    "POSGATE_DATA_DIR", work.resolve("data").toString(),
                    "POSGATE_LISTENER_HOST", "127.0.0.1",
                    "POSGATE_LISTENER_PORT", String.valueOf(port),
                    "POSGATE_ADMIN_PORT", String.valueOf(freePort()),
                    "POSGATE_CONNECTIONS_MAX_PER_IP", "20000",
                    // Back-to-back echo is far above a real terminal's request rate limit.
                    "POSGATE_SESSION_REQUEST_RATE", "0",
                    "POSGATE_LOG_LEVEL", "WARN");
            Path log = work.resolve("gateway.log");
            System.out.println("starting " + jar + " on 127.0.0.1:" + port + ", log " + log);
            ServerProcess process = ServerProcess.start(jar, JVM, List.of("serve"), env, log);
            GatewayUnderTest gateway = new GatewayUnderTest(port, process);
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

    /** Stops the gateway if this run started it; idempotent. */
    void stop() {
        if (process != null && process.isAlive()) process.close();
    }

    public static Path gatewayJar() {
        String given = System.getProperty("posgate.gatewayJar");
        List<Path> candidates = given != null ? List.of(Path.of(given))
                : List.of(Path.of("gateway/target/posgate-gateway.jar"), Path.of("../gateway/target/posgate-gateway.jar"));
        for (Path p : candidates) {
            if (Files.isRegularFile(p)) return p.toAbsolutePath();
        }
        throw new IllegalStateException("no gateway jar at " + candidates
                + ": build it (mvn -B -q -o -DskipTests package -pl gateway,load-test -am) or pass -Dposgate.port");
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
