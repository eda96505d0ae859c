package dev.posgate.bench.harness;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Echo round trips through the gateway next to the raw framed Vert.x echo server, in one run
 * on one machine, alternating the targets so drift in machine load hits both. The load
 * generator is this process; each server is its own JVM with the same flags.
 *
 * <pre>java -cp load-test/target/benchmarks.jar dev.posgate.bench.harness.EchoComparison \
 *     gateway/target/posgate-gateway.jar [connections=50] [seconds=10] [rounds=2]</pre>
 */
public final class EchoComparison {
    static final List<String> SERVER_JVM = List.of("-Xms512m", "-Xmx512m", "-XX:+UseParallelGC");

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        Path work = Files.createTempDirectory("posgate-bench-");
        List<EchoLoad.Result> results = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            results.add(measure("raw Vert.x echo", jar, work, connections, seconds, round, false));
            results.add(measure("gateway echo 0820/0830", jar, work, connections, seconds, round, true));
        }
        System.out.println();
        System.out.println("| target | connections | round trips/s | p50 µs | p99 µs | errors |");
        System.out.println("|---|---|---|---|---|---|");
        double raw = 0;
        double gw = 0;
        for (EchoLoad.Result r : results) {
            System.out.printf("| %s | %d | %.0f | %.0f | %.0f | %d |%n", r.target(), r.connections(), r.perSecond(),
                    r.p50Micros(), r.p99Micros(), r.errors());
            if (r.target().startsWith("raw")) raw += r.perSecond();
            else gw += r.perSecond();
        }
        System.out.printf("%ngateway / raw echo = %.2f%n", gw / raw);
    }

    private static EchoLoad.Result measure(String target, Path jar, Path work, int connections, int seconds, int round,
            boolean gateway) throws Exception {
        int port = freePort();
        List<String> args;
        Map<String, String> env;
        if (gateway) {
            args = List.of("serve");
            env = Map.of(
                    "POSGATE_DATA_DIR", work.resolve("gateway-data").toString(),
                    "POSGATE_LISTENER_HOST", "127.0.0.1",
                    "POSGATE_LISTENER_PORT", String.valueOf(port),
                    "POSGATE_ADMIN_PORT", String.valueOf(freePort()),
                    "POSGATE_LOG_LEVEL", "WARN");
        } else {
            args = List.of("bench-echo-server", "--port", String.valueOf(port));
            env = Map.of();
        }
        Path log = work.resolve((gateway ? "gateway" : "raw") + "-" + round + ".log");
        try (ServerProcess server = ServerProcess.start(jar, SERVER_JVM, args, env, log)) {
            EchoLoad.Result r = EchoLoad.run(target, "127.0.0.1", port, connections, Duration.ofSeconds(3), Duration.ofSeconds(seconds));
            System.out.printf("round %d %-24s %8.0f/s p50 %5.0f µs p99 %6.0f µs errors %d%n", round, target, r.perSecond(),
                    r.p50Micros(), r.p99Micros(), r.errors());
            return r;
        }
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
