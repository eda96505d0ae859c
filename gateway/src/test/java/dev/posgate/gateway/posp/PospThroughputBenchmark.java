package dev.posgate.gateway.posp;

import static dev.posgate.testing.Eventually.await;

import dev.posgate.protocol.posp.SignOnMode;
import dev.posgate.terminal.pos.PosClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * docs/benchmarks.md, POSP section: purchases per second end to end (terminal MAC and PIN block,
 * gateway MAC verify + PIN translate + journal + ZAK MAC in the HSM, host simulator with its own
 * HSM checks, response MACed back) next to echo round trips per second, same gateway, same
 * terminals, same run. Not part of the normal test run (name does not end in Test):
 * {@code mvn -pl gateway -am test -Dtest=PospThroughputBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * -Dposp.bench.terminals=16 -Dposp.bench.seconds=10}.
 */
class PospThroughputBenchmark {
    private static final String PAN = "6222021234567890123";

    @Test
    void purchasesPerSecondNextToEchoesPerSecond() throws Exception {
        int terminals = Integer.getInteger("posp.bench.terminals", 16);
        int seconds = Integer.getInteger("posp.bench.seconds", 10);
        try (PospFixture world = PospFixture.start(5000)) {
            List<PosClient> clients = new ArrayList<>();
            for (int i = 0; i < terminals; i++) {
                String tid = String.format("BENCH%03d", i);
                PosClient c = world.tmkClient(tid, world.registerTmkTerminal(tid, "SN-" + tid));
                Assertions.assertEquals("00", await(c.signOn(SignOnMode.DOUBLE)).code());
                clients.add(c);
            }
            run("warm-up purchases", clients, 3, c -> c.send(c.purchase(PAN, 100, "123456")));
            double echo = run("echo", clients, seconds, PosClient::echo);
            double purchase = run("purchase", clients, seconds, c -> c.send(c.purchase(PAN, 100, "123456")));
            System.out.printf("POSP benchmark: %d terminals, %d s each: echo %.0f/s, purchase %.0f/s (%.1f%% of echo)%n",
                    terminals, seconds, echo, purchase, 100 * purchase / echo);
        }
    }

    /** Closed loop: every terminal has one request outstanding; returns approved answers per second. */
    private static double run(String name, List<PosClient> clients, int seconds,
            Function<PosClient, Future<PosClient.Reply>> request) throws Exception {
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Future<Void>> loops = new ArrayList<>();
        long start = System.nanoTime();
        for (PosClient c : clients) loops.add(loop(c, request, running, ok, failed));
        Thread.sleep(seconds * 1000L);
        running.set(false);
        double elapsed = (System.nanoTime() - start) / 1e9;
        await(Future.join(loops));
        double rate = ok.get() / elapsed;
        System.out.printf("  %-18s %8d ok %6d failed  %8.0f/s%n", name, ok.get(), failed.get(), rate);
        // a rate is only a figure when every answer was an approval: a run of refusals is fast and meaningless
        Assertions.assertEquals(0, failed.get(), name + ": every request is answered 00");
        Assertions.assertTrue(ok.get() > 0, name + ": at least one request is answered 00");
        return rate;
    }

    /** One terminal's loop; each request is sent from the previous answer's callback (no future chain grows). */
    private static Future<Void> loop(PosClient c, Function<PosClient, Future<PosClient.Reply>> request, AtomicBoolean running,
            AtomicLong ok, AtomicLong failed) {
        Promise<Void> done = Promise.promise();
        next(c, request, running, ok, failed, done);
        return done.future();
    }

    private static void next(PosClient c, Function<PosClient, Future<PosClient.Reply>> request, AtomicBoolean running,
            AtomicLong ok, AtomicLong failed, Promise<Void> done) {
        if (!running.get()) {
            done.complete();
            return;
        }
        request.apply(c).onComplete(ar -> {
            if (ar.succeeded() && "00".equals(ar.result().code())) ok.incrementAndGet();
            else failed.incrementAndGet();
            next(c, request, running, ok, failed, done);
        });
    }
}
