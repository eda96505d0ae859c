package dev.posgate.hsm.sim.bench;

import static dev.posgate.testing.Eventually.await;

import dev.posgate.crypto.Parity;
import dev.posgate.crypto.RandomSource;
import dev.posgate.crypto.Rsa;
import dev.posgate.crypto.Tdes;
import dev.posgate.crypto.TransmissionKeyBlock;
import dev.posgate.crypto.PinBlocks;
import dev.posgate.crypto.Macs;
import dev.posgate.hsm.Hsm;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.LmkKey;
import dev.posgate.hsm.MacParams;
import dev.posgate.hsm.RemoteHsm;
import dev.posgate.hsm.RsaKeyPair;
import dev.posgate.hsm.RsaKeyUsage;
import dev.posgate.hsm.Wrapping;
import dev.posgate.hsm.pool.HsmPool;
import dev.posgate.hsm.pool.HsmPoolConfig;
import dev.posgate.hsm.sim.HsmCommandProcessor;
import dev.posgate.hsm.sim.HsmSimConfig;
import dev.posgate.hsm.sim.HsmSimulator;
import dev.posgate.hsm.sim.InProcessHsm;
import dev.posgate.hsm.sim.Lmk;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Commands per second of the software HSM for the gateway's hot operations, over TCP (RemoteHsm
 * on the production {@link HsmPool}, pipelined) next to {@link InProcessHsm} (same codec and
 * processor, no sockets), in one run. Each case keeps {@code concurrency} requests outstanding
 * (closed loop) for {@code seconds} after a 1-second warm-up.
 *
 * <p>Run: {@code mvn -q -o -pl hsm-sim -am test-compile && mvn -q -o -pl hsm-sim exec:java
 * -Dexec.classpathScope=test -Dexec.mainClass=dev.posgate.hsm.sim.bench.HsmThroughputBenchmark
 * -Dexec.args="5 64"} (arguments: seconds per case, concurrency).
 */
public final class HsmThroughputBenchmark {
    private HsmThroughputBenchmark() {
    }

    record Result(String name, String path, double opsPerSecond, long ops, long errors) {
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        Vertx vertx = Vertx.vertx();
        try {
            run(vertx, seconds, concurrency);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    static void run(Vertx vertx, double seconds, int concurrency) throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        Lmk lmk = Lmk.generate(RandomSource.secure());
        HsmCommandProcessor processor = new HsmCommandProcessor(lmk, false, Set.of());
        HsmSimulator sim = await(HsmSimulator.start(vertx, HsmSimConfig.builder().port(0).lmk(lmk)
                .workerPoolSize(cores).build(), processor));
        HsmPool pool = new HsmPool(vertx, HsmPoolConfig.builder().name("bench").host("127.0.0.1", sim.port())
                .connectionsPerHost(2).headerLength(4).maxInFlightPerConnection(256).maxWaitQueue(100_000).build());
        await(pool.start());
        Hsm tcp = new RemoteHsm(pool);
        Hsm local = InProcessHsm.create(processor, vertx, cores);

        // fixtures: keys under the LMK (built with the test's knowledge of the LMK), RSA pair, inputs
        RandomSource rnd = RandomSource.secure();
        byte[] takClear = Parity.adjustOdd(rnd.next(16));
        LmkKey tak = lmk.encrypt(KeyType.TAK, takClear);
        byte[] tpkClear = Parity.adjustOdd(rnd.next(16));
        LmkKey tpk = lmk.encrypt(KeyType.TPK, tpkClear);
        LmkKey zpk = lmk.encrypt(KeyType.ZPK, Parity.adjustOdd(rnd.next(16)));
        LmkKey tmk = lmk.encrypt(KeyType.TMK, Parity.adjustOdd(rnd.next(16)));
        byte[] mab = rnd.next(96);
        byte[] mac = Macs.x919(takClear, mab);
        String pan = "6225880112345678";
        byte[] pinBlock = Tdes.encryptEcb(tpkClear, PinBlocks.format0("123456", pan));
        RsaKeyPair kms = await(tcp.generateRsaKeyPair(RsaKeyUsage.KEY_MANAGEMENT, 2048));
        byte[] tkBlock = Rsa.oaepEncrypt(Rsa.decodePublicKey(kms.publicKeyDer()),
                TransmissionKeyBlock.encode(rnd.next(16), rnd.next(16)));

        List<Case> cases = List.of(
                new Case("M8 verify MAC (X9.19, 96 B)", h -> () -> h.verifyMac(KeyType.TAK, tak, MacParams.X9_19, mab, mac)
                        .map(ok -> { if (!ok) throw new IllegalStateException("MAC"); return ok; })),
                new Case("CA translate PIN (ISO 0)", h -> () -> h.translatePin(tpk, zpk, pinBlock, pan)),
                new Case("A0 mode 1 (PIK under TMK)", h -> () -> h.generateKeyUnder(KeyType.PIK, Wrapping.TMK, tmk)),
                new Case("ZI TK unwrap (RSA-2048 OAEP)", h -> () -> h.unwrapTransmissionKey(kms.privateKey(), tkBlock)));

        System.out.printf(Locale.ROOT, "%nHSM simulator throughput: %d cores, %d outstanding, %.1f s per case%n",
                cores, concurrency, seconds);
        System.out.printf(Locale.ROOT, "%-32s %14s %14s %8s%n", "operation", "TCP (ops/s)", "in-process", "ratio");
        for (Case c : cases) { // JIT warm-up of every path before anything is measured
            runFor(vertx, c.op.apply(tcp), 1.0, concurrency);
            runFor(vertx, c.op.apply(local), 1.0, concurrency);
        }
        for (Case c : cases) {
            Result t = measure(vertx, c.name, "tcp", c.op.apply(tcp), seconds, concurrency);
            Result l = measure(vertx, c.name, "in-process", c.op.apply(local), seconds, concurrency);
            System.out.printf(Locale.ROOT, "%-32s %14.0f %14.0f %7.2fx%s%n", c.name, t.opsPerSecond, l.opsPerSecond,
                    l.opsPerSecond / Math.max(1, t.opsPerSecond),
                    t.errors + l.errors > 0 ? "  (errors: " + (t.errors + l.errors) + ")" : "");
            // a rate of failures is no figure: the run fails rather than print one
            if (t.errors + l.errors > 0 || t.ops == 0 || l.ops == 0) {
                throw new IllegalStateException(c.name + ": " + (t.errors + l.errors) + " failed, " + t.ops + " + " + l.ops + " succeeded");
            }
        }
        await(pool.close());
        await(sim.stop());
    }

    record Case(String name, java.util.function.Function<Hsm, Supplier<Future<?>>> op) {
    }

    /** Closed loop on one event-loop context: {@code concurrency} outstanding, re-issued on completion. */
    static Result measure(Vertx vertx, String name, String path, Supplier<Future<?>> op, double seconds,
            int concurrency) throws Exception {
        runFor(vertx, op, 1.0, concurrency);
        long[] r = runFor(vertx, op, seconds, concurrency);
        return new Result(name, path, r[0] / (r[2] / 1e9), r[0], r[1]);
    }

    private static long[] runFor(Vertx vertx, Supplier<Future<?>> op, double seconds, int concurrency)
            throws Exception {
        Context ctx = vertx.getOrCreateContext();
        Promise<long[]> done = Promise.promise();
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        ctx.runOnContext(v -> {
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            int[] outstanding = {0};
            Runnable[] issue = new Runnable[1];
            issue[0] = () -> {
                if (System.nanoTime() >= end) {
                    if (outstanding[0] == 0) {
                        done.tryComplete(new long[] {ok.get(), errors.get(), System.nanoTime() - start});
                    }
                    return;
                }
                outstanding[0]++;
                Future<?> f;
                try {
                    f = op.get();
                } catch (RuntimeException e) {
                    f = Future.failedFuture(e);
                }
                f.onComplete(ar -> ctx.runOnContext(x -> {
                    outstanding[0]--;
                    if (ar.succeeded()) {
                        ok.incrementAndGet();
                    } else if (errors.getAndIncrement() == 0) {
                        System.err.println("first error: " + ar.cause());
                    }
                    issue[0].run();
                }));
            };
            for (int i = 0; i < concurrency; i++) {
                issue[0].run();
            }
        });
        return await(done.future());
    }
}
