package dev.posgate.load.gatling;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Where the CPU goes: every 250 ms, on its own daemon thread (never a Gatling event loop), for the
 * processes of each role of the world (Linux /proc; elsewhere it records nothing):
 * <ul>
 *   <li>the user + system CPU time of the whole process ({@code /proc/PID/stat}; it includes the
 *       threads that have exited);</li>
 *   <li>the same per thread ({@code /proc/PID/task/TID/stat}), summed by {@link ThreadKind} of the
 *       thread's name: JIT compilation and GC apart from the application's work;</li>
 *   <li>the read and write system calls ({@code syscr}, {@code syscw} of {@code /proc/PID/io}),</li>
 * </ul>
 * so that a phase's CPU and system calls per operation can be computed per process afterwards.
 */
final class CpuSampler implements AutoCloseable {
    private static final long TICK_NANOS = 10_000_000L; // USER_HZ = 100 on Linux

    /**
     * What a thread does, from its name ({@code comm}: the first 15 characters of HotSpot's).
     * JIT: the compiler threads ("C2 CompilerThre", "C1 CompilerThre", JVMCI's) and the code
     * cache sweeper. GC: the collectors' threads (Parallel's and G1's "GC Thread#n", G1's
     * concurrent ones, ZGC's, Shenandoah's) and the "VM Thread", which runs the safepoint
     * operations: with Serial GC (the side JVMs) it is the collector itself. APP: the rest, i.e.
     * event loops and workers, and the JVM's light housekeeping threads (VM Periodic Task, Service
     * Thread, Reference Handler, Finalizer, Common-Cleaner, Signal Dispatcher).
     */
    enum ThreadKind {
        APP("app"), JIT("JIT"), GC("GC");

        private static final List<String> GC_PREFIXES = List.of("GC Thread", "GC task thread", "ParGC Thread", "G1 ",
                "ZDriver", "ZDirector", "ZStat", "ZUncommit", "ZWorker", "ZRuntimeWorker", "Shenandoah");

        final String label;

        ThreadKind(String label) {
            this.label = label;
        }

        static ThreadKind of(String name) {
            if (name.contains("CompilerThre") || name.startsWith("JVMCI") || name.equals("Sweeper thread")) return JIT;
            if (name.equals("VM Thread") || GC_PREFIXES.stream().anyMatch(name::startsWith)) return GC;
            return APP;
        }
    }

    /** One line of {@code /proc/PID/task/TID/stat}: CPU ticks (user + system) and start time (ticks since boot). */
    record ThreadStat(long tid, String name, long ticks, long startTicks) {
        ThreadKind kind() {
            return ThreadKind.of(name);
        }
    }

    /** {@code syscr} and {@code syscw} of {@code /proc/PID/io}. */
    record Syscalls(long reads, long writes) {}

    /** One role's use over a window: CPU milliseconds, of the whole process and by kind of thread, and system calls. */
    record Usage(double cpuMillis, Map<ThreadKind, Double> threadMillis, long reads, long writes) {
        /** CPU of the threads that exited within the window, after their last sample (see {@link ThreadTally}). */
        double exitedMillis() {
            return cpuMillis - threadMillis.values().stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    /**
     * CPU ticks by kind of thread, summed over sampling intervals so that threads may come and go
     * (HotSpot starts and stops compiler threads as the queue grows and drains): a thread seen at
     * the previous sample is charged what it used since; a thread seen for the first time is
     * charged all it used if it started after the previous sample (its start time against the
     * clock of /proc/uptime, both in ticks since boot), else nothing (the first sample is the
     * baseline, and a process missed by one sample does not bring its whole past into one
     * interval); a thread that exited is charged nothing for its last interval, as its ticks can
     * no longer be read (at most 250 ms of CPU per exited thread). A thread is its id and start
     * time, so that a reused id counts as a new thread. The whole-process figure keeps those
     * ticks: the difference is {@link Usage#exitedMillis()}.
     */
    static final class ThreadTally {
        private Map<Long, ThreadStat> last = Map.of();
        private long lastUptimeTicks = Long.MAX_VALUE; // no sample yet: every thread is the baseline
        private final long[] ticks = new long[ThreadKind.values().length];

        /** {@code uptimeTicks}: the clock, read before the threads. */
        void add(long uptimeTicks, Collection<ThreadStat> threads) {
            Map<Long, ThreadStat> now = new HashMap<>();
            for (ThreadStat t : threads) {
                now.put(t.tid(), t);
                ThreadStat before = last.get(t.tid());
                if (before != null && before.startTicks() == t.startTicks()) {
                    ticks[t.kind().ordinal()] += t.ticks() - before.ticks();
                } else if (t.startTicks() >= lastUptimeTicks) {
                    ticks[t.kind().ordinal()] += t.ticks();
                }
            }
            last = now;
            lastUptimeTicks = uptimeTicks;
        }

        long ticks(ThreadKind kind) {
            return ticks[kind.ordinal()];
        }
    }

    private record Counters(long ticks, Map<ThreadKind, Long> threadTicks, long reads, long writes) {}

    /** {@code begun}, {@code ended}: System.nanoTime() before and after reading (long on a loaded machine). */
    private record Sample(long begun, long ended, Map<String, Counters> roles) {}

    private final Map<String, Supplier<Stream<ProcessHandle>>> roles;
    private final Map<String, ThreadTally> tallies = new HashMap<>(); // the sampler thread's only
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
        try {
            long begun = System.nanoTime();
            long uptime = uptimeTicks(Files.readString(Path.of("/proc/uptime")));
            Map<String, Counters> counters = new LinkedHashMap<>();
            roles.forEach((role, processes) -> counters.put(role, sample(role, uptime, processes.get().toList())));
            synchronized (samples) {
                samples.add(new Sample(begun, System.nanoTime(), counters));
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or a failed sample, skipped (an exception would cancel every later one)
        }
    }

    private Counters sample(String role, long uptimeTicks, List<ProcessHandle> processes) {
        long ticks = 0;
        long reads = 0;
        long writes = 0;
        List<ThreadStat> threads = new ArrayList<>();
        for (ProcessHandle p : processes) {
            Path proc = Path.of("/proc", String.valueOf(p.pid()));
            try {
                ticks += parseStat(Files.readString(proc.resolve("stat"))).ticks();
                Syscalls io = syscalls(proc);
                reads += io.reads();
                writes += io.writes();
                try (DirectoryStream<Path> tasks = Files.newDirectoryStream(proc.resolve("task"))) {
                    for (Path task : tasks) {
                        try {
                            threads.add(parseStat(Files.readString(task.resolve("stat"))));
                        } catch (IOException | RuntimeException e) {
                            // the thread exited between the listing and the read
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                // the process exited
            }
        }
        ThreadTally tally = tallies.computeIfAbsent(role, r -> new ThreadTally());
        tally.add(uptimeTicks, threads);
        Map<ThreadKind, Long> byKind = new EnumMap<>(ThreadKind.class);
        for (ThreadKind kind : ThreadKind.values()) byKind.put(kind, tally.ticks(kind));
        return new Counters(ticks, byKind, reads, writes);
    }

    /** Zero when unreadable: /proc/PID/io needs the process's own user (or ptrace rights). */
    private static Syscalls syscalls(Path proc) {
        try {
            return parseIo(Files.readString(proc.resolve("io")));
        } catch (IOException | RuntimeException e) {
            return new Syscalls(0, 0);
        }
    }

    /** The roles, in their order. */
    List<String> roles() {
        return List.copyOf(roles.keySet());
    }

    /**
     * Each role's use between the last sample read wholly before {@code from} and the first read
     * wholly after {@code to}: the window is covered, with up to a sample interval more at each end.
     */
    Map<String, Usage> usage(long from, long to) {
        Sample start = null;
        Sample end = null;
        synchronized (samples) {
            for (Sample s : samples) {
                if (s.ended <= from) start = s;
                if (s.begun >= to && end == null) end = s;
            }
            if (end == null && !samples.isEmpty()) end = samples.get(samples.size() - 1);
        }
        Map<String, Usage> out = new LinkedHashMap<>();
        if (start == null || end == null) return out;
        for (String role : roles.keySet()) {
            Counters a = start.roles.get(role);
            Counters b = end.roles.get(role);
            Map<ThreadKind, Double> threadMillis = new EnumMap<>(ThreadKind.class);
            for (ThreadKind kind : ThreadKind.values()) {
                threadMillis.put(kind, millis(b.threadTicks.get(kind) - a.threadTicks.get(kind)));
            }
            out.put(role, new Usage(millis(b.ticks - a.ticks), threadMillis, b.reads - a.reads, b.writes - a.writes));
        }
        return out;
    }

    private static double millis(long ticks) {
        return ticks * TICK_NANOS / 1e6;
    }

    /**
     * A {@code /proc/.../stat} line: "tid (comm) state ppid ..."; comm may hold spaces and
     * parentheses, so the fields are counted from its last ')'. utime, stime, starttime are
     * fields 14, 15, 22.
     */
    static ThreadStat parseStat(String stat) {
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        String[] f = stat.substring(close + 2).trim().split(" ");
        return new ThreadStat(Long.parseLong(stat.substring(0, open).trim()), stat.substring(open + 1, close),
                Long.parseLong(f[11]) + Long.parseLong(f[12]), Long.parseLong(f[19]));
    }

    /** The first figure of {@code /proc/uptime} (seconds since boot, two decimals) in ticks. */
    static long uptimeTicks(String uptime) {
        return Math.round(Double.parseDouble(uptime.substring(0, uptime.indexOf(' '))) * 1e9 / TICK_NANOS);
    }

    /**
     * {@code /proc/PID/io}: syscr and syscw count read(2), readv, pread and write(2), writev,
     * pwrite (and sendfile, copy_file_range), not send/recv/sendmsg/recvmsg. A JVM's NIO sockets
     * and its selector wake-ups (eventfd) use read and write; PostgreSQL's sockets use send/recv.
     */
    static Syscalls parseIo(String io) {
        long reads = -1;
        long writes = -1;
        for (String line : io.split("\n")) {
            if (line.startsWith("syscr:")) reads = Long.parseLong(line.substring(6).trim());
            if (line.startsWith("syscw:")) writes = Long.parseLong(line.substring(6).trim());
        }
        if (reads < 0 || writes < 0) throw new IllegalArgumentException("no syscr/syscw in " + io);
        return new Syscalls(reads, writes);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
