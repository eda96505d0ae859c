package dev.posgate.bench.harness;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Echo round trips through the gateway next to the raw framed Vert.x echo server and a jPOS
 * ISOServer echo ({@link JposEchoServer}), in one run on one machine, alternating the targets so
 * drift in machine load hits all of them. The load generator is this process; each server is its
 * own JVM with the same flags.
 *
 * <p>Two closed-loop generators: {@code nio}, this process's single NIO selector loop
 * ({@link EchoLoad}), and {@code vertx}, a separate JVM running {@code posgate bench-echo-load}
 * (one Vert.x event loop, a {@code NetClient}); {@code both} runs each target under each.
 *
 * <pre>java -cp load-test/target/benchmarks.jar dev.posgate.bench.harness.EchoComparison \
 *     dev-tools/target/posgate-dev.jar [connections=50] [seconds=10] [rounds=2] [generator=nio|vertx|both]</pre>
 */
public final class EchoComparison {
    static final List<String> SERVER_JVM = List.of("-Xms512m", "-Xmx512m", "-XX:+UseParallelGC");

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        List<Generator> generators = args.length > 4 && !args[4].equals("both")
                ? List.of(Generator.valueOf(args[4].toUpperCase(Locale.ROOT)))
                : args.length > 4 ? List.of(Generator.values()) : List.of(Generator.NIO);
        Path work = Files.createTempDirectory("posgate-bench-");
        List<EchoLoad.Result> results = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            for (Target target : Target.values()) {
                results.addAll(measure(target, generators, jar, work, connections, seconds, round));
            }
        }
        System.out.println();
        System.out.println("| target (generator) | connections | round trips/s | p50 µs | p99 µs | errors |");
        System.out.println("|---|---|---|---|---|---|");
        Map<String, Double> total = new LinkedHashMap<>();
        for (EchoLoad.Result r : results) {
            System.out.printf("| %s | %d | %.0f | %.0f | %.0f | %d |%n", r.target(), r.connections(), r.perSecond(),
                    r.p50Micros(), r.p99Micros(), r.errors());
            total.merge(r.target(), r.perSecond(), Double::sum);
        }
        System.out.println();
        for (Generator g : generators) {
            double gw = total.get(g.label(Target.GATEWAY));
            System.out.printf("%s generator: gateway / raw Vert.x echo = %.2f (target >= 0.85), gateway / jPOS ISOServer echo = %.2f%n",
                    g.name().toLowerCase(Locale.ROOT), gw / total.get(g.label(Target.RAW)), gw / total.get(g.label(Target.JPOS)));
        }
    }

    /** The closed-loop generators: this process's NIO selector loop, or a Vert.x event loop in its own JVM. */
    enum Generator {
        NIO,
        VERTX;

        String label(Target target) {
            return target.label + " (" + name().toLowerCase(Locale.ROOT) + ")";
        }
    }

    enum Target {
        RAW("raw Vert.x echo"),
        GATEWAY("gateway echo 0820/0830"),
        JPOS("jPOS ISOServer echo");

        final String label;

        Target(String label) {
            this.label = label;
        }
    }

    @SuppressWarnings("try") // the server only has to run while the load does
    private static List<EchoLoad.Result> measure(Target target, List<Generator> generators, Path jar, Path work,
            int connections, int seconds, int round) throws Exception {
        int port = freePort();
        Path log = work.resolve(target.name().toLowerCase(Locale.ROOT) + "-" + round + ".log");
        List<EchoLoad.Result> results = new ArrayList<>();
        try (ServerProcess server = start(target, jar, work, port, log)) {
            for (Generator g : generators) {
                EchoLoad.Result r = g == Generator.NIO
                        ? EchoLoad.run(g.label(target), "127.0.0.1", port, connections, Duration.ofSeconds(3),
                                Duration.ofSeconds(seconds))
                        : VertxEchoLoad.run(jar, g.label(target), port, connections, 3, seconds);
                System.out.printf("round %d %-32s %8.0f/s p50 %5.0f µs p99 %6.0f µs errors %d%n", round, r.target(),
                        r.perSecond(), r.p50Micros(), r.p99Micros(), r.errors());
                results.add(r);
            }
        }
        return results;
    }

    private static ServerProcess start(Target target, Path jar, Path work, int port, Path log) throws Exception {
        switch (target) {
            case GATEWAY:
                return ServerProcess.start(jar, SERVER_JVM, List.of("serve"), gatewayEnv(work, port), log);
            case RAW:
                return ServerProcess.start(jar, SERVER_JVM, List.of("bench-echo-server", "--port", String.valueOf(port)),
                        Map.of(), log);
            default:
                // jPOS runs from this process's own class path (benchmarks.jar): load-test has no Vert.x.
                return ServerProcess.startMain(System.getProperty("java.class.path"), JposEchoServer.class.getName(),
                        SERVER_JVM, List.of(String.valueOf(port)), Map.of(), log);
        }
    }

    /**
     * The gateway with its embedded defaults, on loopback, with a per-run data directory, and no
     * request rate limit: a terminal sends a few requests a minute, the generator thousands a
     * second per connection.
     */
    static Map<String, String> gatewayEnv(Path work, int port) throws Exception {
        return Map.of(
                "POSGATE_SESSION_REQUEST_RATE", "0",
                "POSGATE_DATA_DIR", work.resolve("gateway-data").toString(),
                "POSGATE_LISTENER_HOST", "127.0.0.1",
                "POSGATE_LISTENER_PORT", String.valueOf(port),
                "POSGATE_ADMIN_PORT", String.valueOf(freePort()),
                "POSGATE_CONNECTIONS_MAX_PER_IP", "20000",
                "POSGATE_LOG_LEVEL", "WARN");
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
