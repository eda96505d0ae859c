package dev.posgate.hsm.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.hsm.transport.HsmTimeoutException;
import dev.posgate.link.ManualTicker;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 item 1: a future returned by the pool completes on the context of its caller, not on
 * the pool's, so a gateway session's chain stays on its own event loop. Calls are made from three
 * event-loop contexts on three different threads: if completions ran on the pool's single context,
 * at most one of them could see its own thread.
 */
class HsmPoolCallerContextTest extends PoolTestSupport {

    /** What a completion saw: was it on the calling context and thread, and its outcome. */
    private record Seen(boolean sameContext, boolean sameThread, AsyncResult<byte[]> result) {}

    @Test
    void aReplyCompletesOnTheCallersContext() throws Exception {
        FakeHsmServer hsm = server();
        HsmPool pool = started(config(hsm).connectionsPerHost(1).build());
        for (Seen seen : fromThreeContexts(() -> pool.execute(b("ECok")))) {
            assertOnCaller(seen);
            assertEquals("ED00ok", s(seen.result.result()));
        }
    }

    @Test
    void anHsmErrorReplyCompletesOnTheCallersContext() throws Exception {
        FakeHsmServer hsm = server().responder(ex -> {
            if (ex.command().equals("A0")) ex.reply(b("A115"));
            else ex.replyDefault();
        });
        HsmPool pool = started(config(hsm).connectionsPerHost(1).build());
        for (Seen seen : fromThreeContexts(() -> pool.execute(b("A0002U")))) {
            assertOnCaller(seen);
            assertEquals("A115", s(seen.result.result()));
        }
    }

    @Test
    void aTimeoutCompletesOnTheCallersContext() throws Exception {
        ManualTicker ticker = new ManualTicker();
        List<FakeHsmServer.Exchange> held = new CopyOnWriteArrayList<>();
        FakeHsmServer hsm = server().responder(ex -> {
            if (ex.command().equals("SL")) held.add(ex);
            else ex.replyDefault();
        });
        HsmPool pool = started(config(hsm).connectionsPerHost(1).probeOnConnect(false)
                .requestTimeout(Duration.ofMillis(150)).breakerConsecutiveTimeouts(10).build(), ticker);
        List<CompletableFuture<Seen>> seen = callFromThreeContexts(() -> pool.execute(b("SL")));
        awaitCondition(() -> held.size() == 3 && ticker.pending() == 3, "3 in flight, their timers armed");
        ticker.advance(Duration.ofSeconds(1));
        for (CompletableFuture<Seen> f : seen) {
            Seen s = f.get(60, TimeUnit.SECONDS);
            assertOnCaller(s);
            assertInstanceOf(HsmTimeoutException.class, s.result.cause());
        }
    }

    @Test
    void aConnectionLossCompletesOnTheCallersContext() throws Exception {
        List<FakeHsmServer.Exchange> held = new CopyOnWriteArrayList<>();
        FakeHsmServer hsm = server().responder(ex -> {
            if (ex.command().equals("SL")) held.add(ex);
            else ex.replyDefault();
        });
        HsmPool pool = started(config(hsm).connectionsPerHost(1).build());
        List<CompletableFuture<Seen>> seen = callFromThreeContexts(() -> pool.execute(b("SL")));
        awaitCondition(() -> held.size() == 3, "3 in flight");
        held.get(0).close();
        for (CompletableFuture<Seen> f : seen) {
            Seen s = f.get(60, TimeUnit.SECONDS);
            assertOnCaller(s);
            assertInstanceOf(HsmConnectionLostException.class, s.result.cause());
        }
    }

    private static void assertOnCaller(Seen seen) {
        assertTrue(seen.sameContext, "completed on the caller's context");
        assertTrue(seen.sameThread, "completed on the caller's event-loop thread");
    }

    private List<Seen> fromThreeContexts(Supplier<Future<byte[]>> call) throws Exception {
        List<Seen> all = new ArrayList<>();
        for (CompletableFuture<Seen> f : callFromThreeContexts(call)) {
            all.add(f.get(60, TimeUnit.SECONDS));
        }
        return all;
    }

    /** Makes the call from three event-loop contexts on three different threads. */
    private List<CompletableFuture<Seen>> callFromThreeContexts(Supplier<Future<byte[]>> call) throws Exception {
        List<CompletableFuture<Seen>> seen = new ArrayList<>();
        for (Context caller : threeContextsOnDistinctThreads()) {
            CompletableFuture<Seen> done = new CompletableFuture<>();
            seen.add(done);
            caller.runOnContext(v -> {
                Thread thread = Thread.currentThread();
                call.get().onComplete(ar -> done.complete(
                        new Seen(Vertx.currentContext() == caller, Thread.currentThread() == thread, ar)));
            });
        }
        return seen;
    }

    private List<Context> threeContextsOnDistinctThreads() throws Exception {
        List<Context> contexts = new ArrayList<>();
        Set<Thread> threads = new HashSet<>();
        while (contexts.size() < 3) {
            Context c = ((VertxInternal) vertx).createEventLoopContext();
            CompletableFuture<Thread> t = new CompletableFuture<>();
            c.runOnContext(v -> t.complete(Thread.currentThread()));
            if (threads.add(t.get(60, TimeUnit.SECONDS))) {
                contexts.add(c);
            }
        }
        return contexts;
    }
}
