package dev.posgate.load.gatling;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Where the CPU goes: every 250 ms, on its own daemon thread (never a Gatling event loop), the
 * user + system CPU time of each process of the world from /proc/PID/stat (Linux; elsewhere it
 * records nothing), so that a phase's CPU per operation can be computed per process afterwards.
 */
final class CpuSampler implements AutoCloseable {
    private static final long TICK_NANOS = 10_000_000L; // USER_HZ = 100 on Linux
    private record Sample(long nanos, Map<String, Long> ticks) {}

    private final Map<String, Supplier<Stream<ProcessHandle>>> roles;
    private final List<Sample> samples = new ArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cpu-sampler");
        t.setDaemon(true);
        return t;
    });

    /** {@code roles}: name → the processes whose CPU counts for it, resolved at every sample. */
    CpuSampler(Map<String, Supplier<Stream<ProcessHandle>>> roles) {
        this.roles = roles;
        timer.scheduleAtFixedRate(this::sample, 0, 250, TimeUnit.MILLISECONDS);
    }

    private void sample() {
        Map<String, Long> ticks = new LinkedHashMap<>();
        roles.forEach((role, processes) -> ticks.put(role, processes.get().mapToLong(CpuSampler::ticks).sum()));
        synchronized (samples) {
            samples.add(new Sample(System.nanoTime(), ticks));
        }
    }

    /** CPU milliseconds per role between the last sample at or before {@code from} and the first at or after {@code to}. */
    Map<String, Double> cpuMillis(long from, long to) {
        Sample start = null;
        Sample end = null;
        synchronized (samples) {
            for (Sample s : samples) {
                if (s.nanos <= from) start = s;
                if (s.nanos >= to && end == null) end = s;
            }
            if (end == null && !samples.isEmpty()) end = samples.get(samples.size() - 1);
        }
        Map<String, Double> out = new LinkedHashMap<>();
        if (start == null || end == null) return out;
        for (String role : roles.keySet()) {
            out.put(role, (end.ticks.get(role) - start.ticks.get(role)) * TICK_NANOS / 1e6);
        }
        return out;
    }

    private static long ticks(ProcessHandle p) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(p.pid()), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
        } catch (IOException | RuntimeException e) {
            return 0; // exited, or not Linux
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
