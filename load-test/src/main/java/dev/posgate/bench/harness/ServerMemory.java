package dev.posgate.bench.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Heap and resident memory of a server JVM, seen from outside: live heap after a full GC
 * ({@code jcmd PID GC.run}, then the "used" figures of {@code GC.heap_info}), and VmRSS from
 * /proc. Measuring live heap after a GC is what makes a per-connection figure meaningful: the
 * used heap of a running JVM is mostly garbage waiting for the next collection.
 */
final class ServerMemory {
    /** Bytes. */
    record Sample(long liveHeap, long rss) {
    }

    private static final Pattern USED = Pattern.compile("used (\\d+)K");

    private ServerMemory() {
    }

    static Sample sample(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        long heap = 0;
        for (String line : jcmd(pid, "GC.heap_info")) {
            // Each generation or region line carries "total NK, used NK"; metaspace lines do not count.
            if (line.contains("Metaspace") || line.contains("class space")) continue;
            Matcher m = USED.matcher(line);
            if (m.find()) heap += Long.parseLong(m.group(1)) * 1024;
        }
        return new Sample(heap, rss(pid));
    }

    static long rss(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
        throw new IOException("no VmRSS for pid " + pid);
    }

    private static List<String> jcmd(long pid, String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("jcmd " + command + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8).lines().toList();
    }
}
