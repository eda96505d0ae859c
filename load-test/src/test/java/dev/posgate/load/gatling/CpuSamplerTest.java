package dev.posgate.load.gatling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.posgate.load.gatling.CpuSampler.Syscalls;
import dev.posgate.load.gatling.CpuSampler.ThreadKind;
import dev.posgate.load.gatling.CpuSampler.ThreadStat;
import dev.posgate.load.gatling.CpuSampler.ThreadTally;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CpuSamplerTest {
    /** A thread's stat line as Linux writes it: utime 1234, stime 56, starttime 121198. */
    private static String stat(long tid, String comm) {
        return tid + " (" + comm + ") S 12308 12308 7288 0 -1 4194304 100 0 0 0 1234 56 0 0 20 0 1 0 121198 3133440 379"
                + " 18446744073709551615 94541237993472 94541238013353 140727003616400 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0"
                + " 94541238029360 94541238030976 94541694869504 140727003617822 140727003617842 140727003617842"
                + " 140727003619307 0\n";
    }

    @Test
    void statFieldsCountFromTheLastParenthesisOfTheName() {
        ThreadStat t = CpuSampler.parseStat(stat(4242, "a) b (c) 1 2"));
        assertEquals(4242, t.tid());
        assertEquals("a) b (c) 1 2", t.name());
        assertEquals(1234 + 56, t.ticks());
        assertEquals(121198, t.startTicks());

        ThreadStat compiler = CpuSampler.parseStat(stat(7, "C2 CompilerThre"));
        assertEquals("C2 CompilerThre", compiler.name());
        assertEquals(ThreadKind.JIT, compiler.kind());
    }

    @Test
    void hotSpotThreadNamesAreClassified() {
        for (String jit : List.of("C2 CompilerThre", "C1 CompilerThre", "Sweeper thread", "JVMCI-native Co")) {
            assertEquals(ThreadKind.JIT, ThreadKind.of(jit), jit);
        }
        for (String gc : List.of("GC Thread#0", "GC Thread#11", "ParGC Thread#1", "G1 Main Marker", "G1 Conc#0",
                "G1 Refine#0", "G1 Service", "VM Thread", "ZWorker#3", "Shenandoah GC T")) {
            assertEquals(ThreadKind.GC, ThreadKind.of(gc), gc);
        }
        for (String app : List.of("vert.x-eventloo", "vert.x-worker-t", "main", "VM Periodic Tas", "Service Thread",
                "Reference Handl", "Finalizer", "Common-Cleaner", "Signal Dispatch", "java", "postgres")) {
            assertEquals(ThreadKind.APP, ThreadKind.of(app), app);
        }
    }

    @Test
    void ioGivesTheReadAndWriteSystemCalls() {
        Syscalls io = CpuSampler.parseIo("rchar: 6976\nwchar: 312\nsyscr: 10\nsyscw: 3\nread_bytes: 0\n"
                + "write_bytes: 4096\ncancelled_write_bytes: 0\n");
        assertEquals(new Syscalls(10, 3), io);
        assertThrows(IllegalArgumentException.class, () -> CpuSampler.parseIo("rchar: 6976\n"));
    }

    @Test
    void uptimeIsInTicks() {
        assertEquals(116413, CpuSampler.uptimeTicks("1164.13 733.81\n"));
    }

    @Test
    void threadsThatComeAndGoAreChargedForWhatTheyUsedBetweenSamples() {
        ThreadTally tally = new ThreadTally();
        // first sample: the baseline, nothing charged
        tally.add(1000, List.of(thread(1, "vert.x-eventloo", 500, 10), thread(2, "C2 CompilerThre", 300, 10)));
        assertEquals(0, tally.ticks(ThreadKind.APP) + tally.ticks(ThreadKind.JIT));

        // the event loop goes on; the compiler thread exits (its last 40 ticks are lost); a new one
        // born since the last sample is charged all of its 25; a thread started long ago but not
        // seen before (its process missed by a sample) brings nothing of its past
        tally.add(1025, List.of(thread(1, "vert.x-eventloo", 520, 10), thread(3, "C1 CompilerThre", 25, 1010),
                thread(4, "GC Thread#0", 900, 20)));
        assertEquals(20, tally.ticks(ThreadKind.APP));
        assertEquals(25, tally.ticks(ThreadKind.JIT));
        assertEquals(0, tally.ticks(ThreadKind.GC));

        // id 3 reused by a new compiler thread (another start time): charged all of its 5
        tally.add(1050, List.of(thread(1, "vert.x-eventloo", 521, 10), thread(3, "C2 CompilerThre", 5, 1030),
                thread(4, "GC Thread#0", 910, 20)));
        assertEquals(21, tally.ticks(ThreadKind.APP));
        assertEquals(30, tally.ticks(ThreadKind.JIT));
        assertEquals(10, tally.ticks(ThreadKind.GC));
    }

    @Test
    void thisJvmsThreadsParseAndIncludeCompilerAndVmThreads() throws IOException {
        Path tasks = Path.of("/proc/self/task");
        assumeTrue(Files.isDirectory(tasks), "Linux /proc");
        Set<ThreadKind> kinds = EnumSet.noneOf(ThreadKind.class);
        try (DirectoryStream<Path> all = Files.newDirectoryStream(tasks)) {
            for (Path task : all) {
                ThreadStat t = CpuSampler.parseStat(Files.readString(task.resolve("stat")));
                assertEquals(Long.parseLong(task.getFileName().toString()), t.tid());
                assertEquals(Files.readString(task.resolve("comm")).strip(), t.name());
                kinds.add(t.kind());
            }
        }
        assertEquals(EnumSet.allOf(ThreadKind.class), kinds); // main (app), C1/C2 compilers (JIT), VM Thread (GC)
        assertTrue(CpuSampler.parseIo(Files.readString(Path.of("/proc/self/io"))).reads() > 0);
    }

    private static ThreadStat thread(long tid, String name, long ticks, long startTicks) {
        return new ThreadStat(tid, name, ticks, startTicks);
    }
}
