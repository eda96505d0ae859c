package dev.posgate.hsm.pool;

import com.sun.management.OperatingSystemMXBean;
import dev.posgate.link.HostAndPort;
import dev.posgate.link.LinkPool;
import dev.posgate.link.LinkPoolOptions;
import dev.posgate.testing.Eventually;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issue 19, not a test: the calling JVM's CPU per HSM command through the link core with one pool
 * context (every command handed to the pool's loop and its completion back) and with a connection
 * per event loop (no hand-off), alternated A B A B in one process against an HSM in another
 * (e.g. {@code hsm-sim --dev}). Two caller contexts on event loops 0 and 1 stand for two listener
 * instances; each keeps {@code chains} NC commands outstanding, the next one issued from the
 * previous one's completion, as a session's chain does.
 *
 * <p>{@code flush} compares, with a connection per event loop, {@link LinkPoolOptions#flushConsolidation}
 * on (C) and off (D), alternated C D C D, and reports write and read syscalls per command as well
 * ({@code /proc/self/io}: {@code syscw}, {@code syscr} of this process). {@code next} says where a
 * chain's next command is issued: {@code chain} inside its predecessor's completion (inside the read
 * of the reply, where Vert.x already holds the flush until read-complete), {@code task} from a task
 * on the caller's loop that the completion schedules (outside that connection's read, as a command
 * a terminal's message or an SQL reply triggers).
 *
 * <pre>java -cp hsm-client/target/test-classes:hsm-client/target/classes:$(cat cp.txt) \
 *     dev.posgate.hsm.pool.HsmHopBenchmark 127.0.0.1:1500 [seconds 5] [chains per loop 4] [connections 4] \
 *     [compare hop|flush] [next chain|task]</pre>
 */
public final class HsmHopBenchmark {
    private HsmHopBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String hsm = args[0];
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int chains = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        int connections = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        boolean flush = args.length > 4 && args[4].equals("flush");
        boolean fromTask = args.length > 5 && args[5].equals("task");
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(4));
        VertxInternal vi = (VertxInternal) vertx;
        List<ContextInternal> callers = new ArrayList<>();
        for (EventExecutor loop : vi.nettyEventLoopGroup()) {
            if (callers.size() == 2) break;
            callers.add(vi.contextBuilder().withThreadingModel(ThreadingModel.EVENT_LOOP)
                    .withEventLoop((EventLoop) loop).build());
        }
        HsmPoolConfig config = HsmPoolConfig.builder().host(hsm).connectionsPerHost(connections).build();
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.out.printf("HSM %s, %d connections, 2 caller loops x %d chains (next from %s), %d s per round%n", hsm,
                connections, chains, fromTask ? "a task" : "the completion", seconds);
        boolean[] rounds = flush ? new boolean[] {true, false, true, false} : new boolean[] {false, true, false, true, false, true};
        for (boolean b : rounds) {
            boolean perLoop = flush || b;
            String name = flush ? (b ? "C" : "D") : (b ? "B" : "A");
            LinkPool<HsmCommand, byte[]> pool = new LinkPool<>(vertx, new LinkPoolOptions().name(name)
                    .host(HostAndPort.parse(hsm)).connectionsPerHost(connections).perEventLoop(perLoop)
                    .flushConsolidation(!flush || b ? 256 : 0),
                    new HsmLinkProtocol(config));
            pool.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            Eventually.until(connections + " connections up", () -> pool.connectionsUp() >= connections);
            AtomicLong done = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            boolean[] running = {true};
            for (ContextInternal c : callers) {
                for (int i = 0; i < chains; i++) {
                    c.runOnContext(v -> next(pool, done, failed, running, fromTask ? c : null));
                }
            }
            Thread.sleep(seconds * 1000L); // warm-up
            long n0 = done.get();
            long cpu0 = os.getProcessCpuTime();
            long[] io0 = syscalls();
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            long n1 = done.get();
            long cpu1 = os.getProcessCpuTime();
            long[] io1 = syscalls();
            long t1 = System.nanoTime();
            running[0] = false;
            long n = n1 - n0;
            System.out.printf("%s %-26s %8.0f commands/s  %6.1f µs CPU per command  %5.3f write + %5.3f read"
                            + " syscalls per command  (%d failed)%n",
                    name, flush ? (b ? "flush consolidation on" : "flush consolidation off")
                            : perLoop ? "connection per event loop" : "one pool context",
                    n * 1e9 / (t1 - t0), (cpu1 - cpu0) / 1e3 / Math.max(1, n),
                    (io1[0] - io0[0]) / (double) Math.max(1, n), (io1[1] - io0[1]) / (double) Math.max(1, n), failed.get());
            Thread.sleep(500);
            pool.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static final byte[] NC = "NC".getBytes(StandardCharsets.US_ASCII);

    /** The next command: from the completion, or, with {@code task}, from a task it schedules there. */
    private static void next(LinkPool<HsmCommand, byte[]> pool, AtomicLong done, AtomicLong failed, boolean[] running,
            ContextInternal task) {
        if (!running[0]) return;
        pool.request(HsmCommand.of(NC.clone()), Duration.ofSeconds(10)).onComplete(ar -> {
            if (ar.succeeded()) done.incrementAndGet();
            else failed.incrementAndGet();
            if (task != null) task.runOnContext(v -> next(pool, done, failed, running, task));
            else next(pool, done, failed, running, null);
        });
    }

    /** This process's write and read syscalls so far ({@code syscw}, {@code syscr} of /proc/self/io). */
    private static long[] syscalls() throws java.io.IOException {
        long[] rw = new long[2];
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/io"))) {
            if (line.startsWith("syscw:")) rw[0] = Long.parseLong(line.substring(6).trim());
            if (line.startsWith("syscr:")) rw[1] = Long.parseLong(line.substring(6).trim());
        }
        return rw;
    }
}
