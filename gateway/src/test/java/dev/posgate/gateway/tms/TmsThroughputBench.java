package dev.posgate.gateway.tms;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.terminal.tms.PackageStore;
import dev.posgate.terminal.tms.TmsUpdater;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Handshakes per second and download MB/s with 100 concurrent terminals, each on its own TCP
 * connection, against a real gateway (PostgreSQL, software HSM over TCP). Not part of the normal
 * build (surefire runs *Test classes): run with
 * {@code mvn -o -pl gateway test -Dtest=TmsThroughputBench -Dsurefire.failIfNoSpecifiedTests=false}.
 * Numbers go to docs/benchmarks.md.
 */
class TmsThroughputBench {
    static final int TERMINALS = 100;
    static final int SECONDS = 15;
    static final int PACKAGE = 1024 * 1024;

    @Test
    void handshakesAndDownloadWithOneHundredTerminals() throws Exception {
        // 100 terminals keep more than the default 2 x 32 HSM commands in flight: widen the pool
        try (TmsFixture fx = new TmsFixture(java.util.Map.of(dev.posgate.gateway.platform.config.Setting.TMS_DMK_CEREMONY, true,
                dev.posgate.gateway.platform.config.Setting.HSM_CONNECTIONS, 8,
                // each terminal handshakes back to back, far above tms.h1.rate
                dev.posgate.gateway.platform.config.Setting.TMS_H1_RATE, 0))) {
            List<TmsFixture.Device> devices = new ArrayList<>();
            for (int i = 0; i < TERMINALS; i++) devices.add(fx.device());

            // warm-up: one handshake each
            List<Future<Void>> warm = new ArrayList<>();
            for (TmsFixture.Device d : devices) warm.add(fx.connect().compose(l -> fx.client(l, d).handshake().compose(k -> l.close())));
            await(Future.all(warm));

            AtomicLong handshakes = new AtomicLong();
            long deadline = System.nanoTime() + SECONDS * 1_000_000_000L;
            long t0 = System.nanoTime();
            List<Future<Void>> loops = new ArrayList<>();
            for (TmsFixture.Device d : devices) loops.add(handshakeLoop(fx, d, deadline, handshakes));
            await(Future.all(loops)); // Future.all fails on the first failed handshake: none failed
            assertTrue(handshakes.get() > 0, "at least one handshake completed");
            double hsSeconds = (System.nanoTime() - t0) / 1e9;

            byte[] data = new byte[PACKAGE];
            new Random(1).nextBytes(data);
            fx.targetEveryone(fx.publish("ACME", "bench", "1", data));
            List<Future<TmsUpdater.Outcome>> downloads = new ArrayList<>();
            long t1 = System.nanoTime();
            for (TmsFixture.Device d : devices) {
                downloads.add(fx.connect().compose(l -> {
                    var c = fx.client(l, d);
                    return c.handshake().compose(k -> new TmsUpdater(c, new PackageStore(), 16 * 1024).run())
                            .compose(o -> l.close().map(o));
                }));
            }
            await(Future.all(downloads));
            double dlSeconds = (System.nanoTime() - t1) / 1e9;
            long bytes = 0;
            for (Future<TmsUpdater.Outcome> f : downloads) {
                assertEquals(1, f.result().installed().size());
                bytes += f.result().bytes();
            }
            System.out.printf("TMS BENCH: %d terminals, %d handshakes in %.1f s = %.0f handshakes/s%n",
                    TERMINALS, handshakes.get(), hsSeconds, handshakes.get() / hsSeconds);
            System.out.printf("TMS BENCH: %d terminals downloaded %.1f MiB (1 MiB each, 16 KiB frames, incl. handshake, D1, D3) in %.1f s = %.1f MB/s%n",
                    TERMINALS, bytes / 1048576.0, dlSeconds, bytes / 1e6 / dlSeconds);
        }
    }

    private static Future<Void> handshakeLoop(TmsFixture fx, TmsFixture.Device d, long deadline, AtomicLong count) {
        if (System.nanoTime() >= deadline) return Future.succeededFuture();
        return fx.connect()
                .compose(l -> fx.client(l, d).handshake().compose(k -> l.close()))
                .compose(v -> {
                    count.incrementAndGet();
                    return handshakeLoop(fx, d, deadline, count);
                });
    }
}
