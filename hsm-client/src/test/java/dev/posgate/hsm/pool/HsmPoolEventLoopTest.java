package dev.posgate.hsm.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 19: with the connections spread over the event loops, chains of commands made from
 * several loops at once (each next command issued from the previous one's completion, the way a
 * session's chain does, several chains per loop) each get their own reply, on their own context,
 * and the pool's counters come back to zero.
 */
class HsmPoolEventLoopTest extends PoolTestSupport {

    @Test
    void chainsOfCommandsFromEveryLoopGetTheirOwnRepliesOnTheirOwnContext() throws Exception {
        FakeHsmServer hsm = server();
        HsmPool pool = started(config(hsm).connectionsPerHost(4).build());
        int loops = 4;
        int chainsPerLoop = 8;
        int perChain = 60;
        AtomicInteger wrong = new AtomicInteger();
        Map<String, String> firstWrong = new ConcurrentHashMap<>();
        List<CompletableFuture<Integer>> chains = new ArrayList<>();
        for (int l = 0; l < loops; l++) {
            Context caller = ((VertxInternal) vertx).createEventLoopContext();
            for (int c = 0; c < chainsPerLoop; c++) {
                CompletableFuture<Integer> done = new CompletableFuture<>();
                chains.add(done);
                String chain = l + "-" + c;
                caller.runOnContext(v -> next(pool, caller, chain, 0, perChain, done, wrong, firstWrong));
            }
        }
        int answered = 0;
        for (CompletableFuture<Integer> f : chains) {
            answered += f.get(60, TimeUnit.SECONDS);
        }
        assertEquals(Map.of(), firstWrong, "every reply answers its own command on its own context");
        assertEquals(0, wrong.get());
        assertEquals(loops * chainsPerLoop * perChain, answered);
        awaitCondition(() -> gauge(PoolMetrics.INFLIGHT) == 0, "nothing in flight");
        assertEquals(loops * chainsPerLoop * perChain, requests("EC", "ok"));
        assertTrue(hsm.accepted.get() >= 4);
    }

    private static void next(HsmPool pool, Context caller, String chain, int i, int n, CompletableFuture<Integer> done,
            AtomicInteger wrong, Map<String, String> firstWrong) {
        if (i == n) {
            done.complete(n);
            return;
        }
        String tag = String.format("%s-%03d", chain, i);
        pool.execute(b("EC" + tag)).onComplete(ar -> {
            String expected = "ED00" + tag;
            String got = ar.succeeded() ? s(ar.result()) : String.valueOf(ar.cause());
            if (!expected.equals(got) || Vertx.currentContext() != caller) {
                wrong.incrementAndGet();
                firstWrong.putIfAbsent(tag, got + (Vertx.currentContext() != caller ? " (off its context)" : ""));
            }
            next(pool, caller, chain, i + 1, n, done, wrong, firstWrong);
        });
    }
}
