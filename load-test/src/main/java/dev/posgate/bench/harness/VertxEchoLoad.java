package dev.posgate.bench.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

/**
 * Runs {@code posgate bench-echo-load} (one Vert.x event loop, a {@code NetClient}, closed loop) as
 * its own JVM against a server and reads its result line; the frame is {@link EchoLoad}'s, so both
 * generators send the same bytes. The generator runs from {@code jar}, or from
 * {@code -Dposgate.generatorJar} (to measure an older gateway build with today's generator).
 */
final class VertxEchoLoad {
    private VertxEchoLoad() {}

    static EchoLoad.Result run(Path jar, String target, int port, int connections, int warmupSeconds, int seconds)
            throws IOException, InterruptedException {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms256m", "-Xmx256m", "-XX:+UseParallelGC", "-jar", System.getProperty("posgate.generatorJar", jar.toString()), "bench-echo-load",
                "--port", String.valueOf(port), "--connections", String.valueOf(connections),
                "--warmup-seconds", String.valueOf(warmupSeconds), "--seconds", String.valueOf(seconds),
                "--frame-hex", HexFormat.of().formatHex(EchoLoad.ECHO_FRAME));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = p.waitFor();
        String result = line(out, "RESULT ", exit);
        String[] f = result.split(" ");
        long count = Long.parseLong(f[1]);
        long[] histogram = new long[EchoLoad.MAX_MICROS + 1];
        for (String bucket : line(out, "HISTOGRAM", exit).split(" ")) {
            int colon = bucket.indexOf(':');
            if (colon > 0) histogram[Integer.parseInt(bucket.substring(0, colon))] = Long.parseLong(bucket.substring(colon + 1));
        }
        return new EchoLoad.Result(target, connections, count, Double.parseDouble(f[2]), Long.parseLong(f[3]),
                EchoLoad.percentile(histogram, count, 0.50), EchoLoad.percentile(histogram, count, 0.99));
    }

    private static String line(String out, String prefix, int exit) throws IOException {
        return out.lines().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new IOException("bench-echo-load exited " + exit + " without its " + prefix.trim() + " line:\n" + out));
    }
}
