package dev.posgate.hsm.pool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.hsm.transport.HsmTimeoutException;
import dev.posgate.hsm.transport.HsmUnavailableException;
import dev.posgate.link.ManualTicker;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The pool against {@link FakeHsmServer} over loopback TCP. */
class HsmPoolTest extends PoolTestSupport {

    @Test
    void pipelinedRequestsMatchTheirRepliesWhenAnsweredOutOfOrder() {
        int n = 50;
        List<FakeHsmServer.Exchange> held = Collections.synchronizedList(new ArrayList<>());
        FakeHsmServer hsm = server().responder(ex -> {
            if (ex.command().equals("NC")) {
                ex.replyDefault();
                return;
            }
            held.add(ex);
            if (held.size() == n) { // all n are in flight on one connection: answer shuffled
                List<FakeHsmServer.Exchange> all = new ArrayList<>(held);
                Collections.shuffle(all, new Random(42));
                all.forEach(FakeHsmServer.Exchange::replyDefault);
            }
        });
        HsmPool pool = started(config(hsm).connectionsPerHost(1).maxInFlightPerConnection(64).build());

        List<Future<byte[]>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            futures.add(pool.execute(b(String.format("EC%04d", i))));
        }
        for (int i = 0; i < n; i++) {
            assertEquals(String.format("ED00%04d", i), s(await(futures.get(i))));
        }
        assertEquals(1, hsm.accepted.get(), "one connection carried all requests");
        assertEquals(n, requests("EC", "ok"));
        assertEquals(0, gauge(PoolMetrics.INFLIGHT));
        assertEquals(0, dropped("unknown_id") + dropped("late") + dropped("malformed"));
    }

    @Test
    void spreadsLoadOverConnectionsAndHostsFromManyThreads() throws Exception {
        FakeHsmServer a = server().responder(ex -> ex.replyAfter(20, ex.defaultReply()));
        FakeHsmServer b = server().responder(ex -> ex.replyAfter(20, ex.defaultReply()));
        HsmPool pool = started(config(a, b).connectionsPerHost(2).build());

        int threads = 4;
        int perThread = 20;
        List<Future<byte[]>> futures = new CopyOnWriteArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int tt = t;
            Thread th = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    futures.add(pool.execute(b(String.format("EC%d-%02d", tt, i))));
                }
            });
            th.start();
            ts.add(th);
        }
        go.countDown();
        for (Thread th : ts) {
            th.join();
        }
        for (Future<byte[]> f : futures) {
            assertTrue(s(await(f)).startsWith("ED00"));
        }
        Map<String, Integer> perConnection = new TreeMap<>();
        for (FakeHsmServer srv : List.of(a, b)) {
            for (int id : srv.requestConnections) {
                perConnection.merge(srv.port() + "#" + id, 1, Integer::sum);
            }
        }
        assertEquals(4, perConnection.size(), "all 4 connections used: " + perConnection);
        int total = threads * perThread;
        for (int count : perConnection.values()) {
            assertTrue(count >= total / 4 - 6 && count <= total / 4 + 6, "balanced: " + perConnection);
        }
    }

    @Test
    void rsaKeyGenerationHasItsOwnTimeout() {
        ManualTicker ticker = new ManualTicker();
        List<FakeHsmServer.Exchange> held = new CopyOnWriteArrayList<>();
        FakeHsmServer hsm = server().responder(ex -> {
            if (ex.command().equals("EI") || ex.command().equals("K1") || ex.command().equals("SL")) {
                held.add(ex);
            } else {
                ex.replyDefault();
            }
        });
        HsmPool pool = started(config(hsm).connectionsPerHost(1).probeOnConnect(false)
                .requestTimeout(Duration.ofMillis(150)).keyGenerationTimeout(Duration.ofSeconds(60)).build(), ticker);

        Future<byte[]> ei = pool.execute(b("EI2"));
        Future<byte[]> k1 = pool.execute(b("K1"));
        Future<byte[]> sl = pool.execute(b("SL"));
        awaitCondition(() -> held.size() == 3 && ticker.pending() == 3, "EI, K1 and SL in flight, their timers armed");
        ticker.advance(Duration.ofSeconds(1)); // past the request timeout, far from the key-generation one
        assertInstanceOf(HsmTimeoutException.class, awaitFailure(sl), "any other command times out");
        assertFalse(ei.isComplete(), "EI waits for its reply past the request timeout");
        assertFalse(k1.isComplete(), "so does SM2 key-pair generation (K1)");
        held.forEach(FakeHsmServer.Exchange::replyDefault);
        assertEquals("EJ002", s(await(ei)));
        assertTrue(s(await(k1)).startsWith("K2"));
    }

    @Test
    void timeoutFailsTheRequestAndTheLateReplyIsDroppedAndCounted() {
        ManualTicker ticker = new ManualTicker();
        List<FakeHsmServer.Exchange> held = new CopyOnWriteArrayList<>();
        FakeHsmServer hsm = server().responder(ex -> {
            if (ex.command().equals("SL")) {
                held.add(ex);
            } else {
                ex.replyDefault();
            }
        });
        HsmPool pool = started(config(hsm).connectionsPerHost(1).probeOnConnect(false)
                .requestTimeout(Duration.ofMillis(150)).build(), ticker);

        Future<byte[]> sl = pool.execute(b("SL01"));
        awaitCondition(() -> held.size() == 1 && ticker.pending() == 1, "SL in flight, its timer armed");
        ticker.advance(Duration.ofMillis(149));
        assertFalse(sl.isComplete(), "not before the timeout");
        ticker.advance(Duration.ofMillis(1));
        assertInstanceOf(HsmTimeoutException.class, awaitFailure(sl));
        assertEquals(1, requests("SL", "timeout"));

        held.get(0).replyDefault(); // the reply arrives after the timeout
        awaitCondition(() -> dropped("late") == 1, "late reply counted");
        assertEquals(0, dropped("unknown_id"));
        assertArrayEquals(b("ED00x"), await(pool.execute(b("ECx"))));
        assertEquals(1, hsm.accepted.get(), "a single timeout does not recycle the connection");
    }

    @Test
    void replyWithUnknownHeaderIsCountedAndDropped() {
        FakeHsmServer hsm = server().responder(ex -> {
            if (ex.command().equals("UH")) {
                ex.send("ZZZZ", b("UI00stray"));
            }
            ex.replyDefault();
        });
        HsmPool pool = started(config(hsm).connectionsPerHost(1).build());

        assertEquals("UI00abc", s(await(pool.execute(b("UHabc")))));
        assertEquals(1, dropped("unknown_id"));
        assertEquals(1, hsm.accepted.get(), "an unknown header does not recycle the connection");
    }

    @Test
    void garbageRecyclesTheConnectionAndThePoolRecovers() {
        FakeHsmServer hsm = server().responder(ex -> {
            switch (ex.command()) {
                case "GB" -> ex.sendRaw(new byte[] {0, 6, '!', '!', '#', '$', 'x', 'x'});
                case "OV" -> ex.sendRaw(new byte[] {(byte) 0xFF, (byte) 0xFF, 1, 2, 3, 4, 5}); // oversized, read to its header: garbage
                case "SH" -> ex.sendRaw(new byte[] {0, 3, '0', '0', '0'});
                default -> ex.replyDefault();
            }
        });
        HsmPool pool = started(config(hsm).connectionsPerHost(1).maxReplyFrameBytes(1024).build());

        for (String cmd : List.of("GB", "OV", "SH")) {
            int before = hsm.accepted.get();
            Throwable e = awaitFailure(pool.execute(b(cmd + "data")));
            assertInstanceOf(HsmConnectionLostException.class, e, cmd);
            awaitCondition(() -> hsm.accepted.get() > before && pool.connectionsUp() == 1,
                    "reconnect after " + cmd);
            assertEquals("ED00ok", s(await(pool.execute(b("ECok")))));
        }
        assertEquals(2, dropped("malformed"));
        assertEquals(1, dropped("oversize"));
    }

    @Test
    void anOversizedReplyFailsOnlyItsCommandAndTheConnectionStaysUp() {
        // issue 13: one reply over the cap used to drop the connection and everything in flight on it
        FakeHsmServer hsm = server().responder(ex -> {
            switch (ex.command()) {
                case "BG" -> {
                    // hold the reply until a slow command is in flight behind it, then send it in pieces
                    byte[] h = ex.header.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                    byte[] frame = new byte[2 + 5000];
                    frame[0] = (byte) (5000 >>> 8);
                    frame[1] = (byte) 5000;
                    System.arraycopy(h, 0, frame, 2, h.length);
                    frame[2 + h.length] = 'B';
                    frame[3 + h.length] = 'H';
                    for (int off = 0; off < frame.length; off += 700) {
                        ex.sendRaw(java.util.Arrays.copyOfRange(frame, off, Math.min(frame.length, off + 700)));
                    }
                }
                case "SL" -> ex.replyAfter(200, ex.defaultReply());
                default -> ex.replyDefault();
            }
        });
        HsmPool pool = started(config(hsm).connectionsPerHost(1).maxReplyFrameBytes(1024).build());

        Future<byte[]> slow = pool.execute(b("SLslow"));
        awaitCondition(() -> hsm.received("SL") == 1, "SL in flight");
        Throwable e = awaitFailure(pool.execute(b("BGbig")));
        assertInstanceOf(dev.posgate.hsm.HsmProtocolException.class, e);
        assertTrue(e.getMessage().contains("5000"), e.getMessage());
        assertEquals("SM00slow", s(await(slow)), "the command in flight beside it is answered");
        assertEquals("ED00ok", s(await(pool.execute(b("ECok")))), "the stream is still in step");
        assertEquals(1, hsm.accepted.get(), "the connection was kept");
        assertEquals(1, dropped("oversize"));
        assertEquals(0, dropped("malformed"));
    }

    @Test
    void connectionClosedMidFlightFailsItsRequestsWithoutRetry() {
        FakeHsmServer hsm = server().responder(ex -> {
            if (ex.command().equals("CL")) {
                ex.close();
            } else if (ex.command().equals("SL")) {
                // never answered; dies with the connection
            } else {
                ex.replyDefault();
            }
        });
        HsmPool pool = started(config(hsm).connectionsPerHost(1).build());

        Future<byte[]> pending = pool.execute(b("SL"));
        awaitCondition(() -> hsm.received("SL") == 1, "SL received");
        int before = hsm.accepted.get();
        Throwable e1 = awaitFailure(pool.execute(b("CL")));
        Throwable e2 = awaitFailure(pending);
        assertInstanceOf(HsmConnectionLostException.class, e1);
        assertInstanceOf(HsmConnectionLostException.class, e2);
        assertTrue(e2.getMessage().contains("not retried"), e2.getMessage());
        assertEquals(1, hsm.received("SL"), "not retried");
        awaitCondition(() -> hsm.accepted.get() > before && pool.connectionsUp() == 1,
                "reconnected");
        assertEquals("ED00", s(await(pool.execute(b("EC")))));
    }

    @Test
    void serverStoppedUnderLoadFailsFastThenRecoversWhenItIsBack() throws Exception {
        FakeHsmServer hsm = server().responder(ex -> ex.replyAfter(5, ex.defaultReply()));
        HsmPool pool = started(config(hsm).connectionsPerHost(2)
                .requestTimeout(Duration.ofSeconds(2))
                .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(200)).build());

        Load load = new Load(pool, 10).start();
        awaitCondition(() -> load.ok.size() > 50, "load running");
        hsm.stop();
        awaitCondition(pool::isCircuitOpen, "circuit open");
        // calls now fail fast, well under the 2 s request timeout
        for (int i = 0; i < 20; i++) {
            Throwable e = awaitFailure(pool.execute(b("EC")));
            assertInstanceOf(HsmUnavailableException.class, e);
            assertFalse(e instanceof HsmTimeoutException, "failed fast, not by the timeout");
            assertTrue(e.getMessage().contains("circuit open"), e.getMessage());
        }
        int okBefore = load.ok.size();
        hsm.start(); // same port
        awaitCondition(() -> pool.connectionsUp() == 2, "recovered within the backoff");
        awaitCondition(() -> load.ok.size() > okBefore + 50, "load served again");
        load.stop();
        assertEquals(List.of(), load.unexpected, "only ok, connection-lost or fail-fast outcomes");
        assertTrue(load.timeouts.isEmpty(), "no request waited for its timeout");
    }

    @Test
    void losingOneOfTwoHostsLosesNoUnsentRequest() throws Exception {
        // host A hangs (holds what it receives), then dies with those requests in flight
        AtomicBoolean hang = new AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger held = new java.util.concurrent.atomic.AtomicInteger();
        FakeHsmServer a = server().responder(ex -> {
            if (hang.get() && !ex.command().equals("NC")) {
                held.incrementAndGet();
            } else {
                ex.replyAfter(10, ex.defaultReply());
            }
        });
        FakeHsmServer b = server().responder(ex -> ex.replyAfter(10, ex.defaultReply()));
        HsmPool pool = started(config(a, b).connectionsPerHost(2)
                .requestTimeout(Duration.ofSeconds(2)).build());

        int total = 600;
        int concurrency = 40;
        java.util.concurrent.Semaphore permits = new java.util.concurrent.Semaphore(concurrency);
        List<Future<byte[]>> futures = new ArrayList<>();
        AtomicBoolean killed = new AtomicBoolean();
        for (int i = 0; i < total; i++) {
            permits.acquire();
            if (i == 200) {
                hang.set(true);
            }
            if (held.get() >= 5 && killed.compareAndSet(false, true)) {
                a.stop(); // host A dies with requests in flight
            }
            Future<byte[]> f = pool.execute(b(String.format("EC%04d", i)));
            f.onComplete(ar -> permits.release());
            futures.add(f);
        }
        int ok = 0;
        int lost = 0;
        for (int i = 0; i < total; i++) {
            Future<byte[]> f = futures.get(i);
            try {
                f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS); // none hangs
            } catch (java.util.concurrent.ExecutionException e) {
                // a failure is only acceptable for a request in flight on the dead host
                HsmConnectionLostException cl =
                        assertInstanceOf(HsmConnectionLostException.class, e.getCause());
                assertTrue(cl.connection().startsWith(a.address()), cl.connection());
                lost++;
                continue;
            }
            assertEquals(String.format("ED00%04d", i), s(f.result()));
            ok++;
        }
        assertEquals(total, ok + lost);
        assertTrue(killed.get(), "A was killed");
        assertTrue(lost >= 5 && lost <= concurrency, "only the in-flight ones failed: " + lost);
        assertTrue(ok >= total - concurrency);

        // after the failure, everything goes to the survivor
        awaitCondition(() -> pool.connectionsUp() == 2, "A's connections marked down");
        List<Future<byte[]>> after = new ArrayList<>();
        for (int i = 0; i < 60; i++) { // 2 survivors x 32 in flight: no saturation
            after.add(pool.execute(b("EC" + i)));
        }
        for (int i = 0; i < 60; i++) {
            assertEquals("ED00" + i, s(await(after.get(i))));
        }
        assertEquals(0, requests("EC", "timeout"));
    }

    @Test
    void saturationFailsFastOrWaitsInTheBoundedQueue() {
        List<FakeHsmServer.Exchange> held = new CopyOnWriteArrayList<>();
        AtomicBoolean hold = new AtomicBoolean(true);
        FakeHsmServer hsm = server().responder(ex -> {
            if (ex.command().equals("SL") && hold.get()) {
                held.add(ex);
            } else {
                ex.replyDefault();
            }
        });
        HsmPool pool = started(config(hsm).connectionsPerHost(1).maxInFlightPerConnection(2).build());

        Future<byte[]> f1 = pool.execute(b("SL1"));
        Future<byte[]> f2 = pool.execute(b("SL2"));
        awaitCondition(() -> held.size() == 2, "2 in flight");
        Throwable e = awaitFailure(pool.execute(b("SL3")));
        assertInstanceOf(HsmUnavailableException.class, e);
        assertFalse(e instanceof HsmTimeoutException, "refused at once, not timed out");
        assertTrue(e.getMessage().contains("saturated"), e.getMessage());
        held.forEach(FakeHsmServer.Exchange::replyDefault);
        held.clear();
        assertEquals("SM00" + "1", s(await(f1)));
        assertEquals("SM00" + "2", s(await(f2)));

        // with a wait queue of 1: one waits, the next fails fast
        HsmPool queued = started(config(hsm).name("queued").connectionsPerHost(1)
                .maxInFlightPerConnection(1).maxWaitQueue(1).build());
        Future<byte[]> q1 = queued.execute(b("SLa"));
        Future<byte[]> q2 = queued.execute(b("SLb"));
        Throwable q3 = awaitFailure(queued.execute(b("SLc")));
        assertTrue(q3.getMessage().contains("saturated"), q3.getMessage());
        assertEquals(1, registry.get(PoolMetrics.QUEUED).tag("pool", "queued").gauge().value());
        hold.set(false); // SLb goes out once SLa is answered, and is answered at once
        held.forEach(FakeHsmServer.Exchange::replyDefault);
        assertEquals("SM00a", s(await(q1)));
        assertEquals("SM00b", s(await(q2)));
    }

    @Test
    void closeFailsInFlightRequestsAndRefusesNewOnes() {
        FakeHsmServer hsm = server().responder(ex -> {
            if (ex.command().equals("NC")) {
                ex.replyDefault();
            } // everything else is never answered
        });
        HsmPool pool = started(config(hsm).requestTimeout(Duration.ofSeconds(5)).build());
        List<Future<byte[]>> inFlight = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            inFlight.add(pool.execute(b("SL")));
        }
        awaitCondition(() -> hsm.received("SL") == 5, "in flight");
        await(pool.close());
        for (Future<byte[]> f : inFlight) {
            Throwable e = awaitFailure(f);
            assertInstanceOf(HsmUnavailableException.class, e);
            assertFalse(e instanceof HsmTimeoutException, "failed by the close, not by the 5 s timeout: " + e);
        }
        Throwable after = awaitFailure(pool.execute(b("EC")));
        assertTrue(after.getMessage().contains("closed"), after.getMessage());
        awaitCondition(() -> hsm.openConnections() == 0, "sockets closed");
    }

    @Test
    void failedHealthCheckRecyclesTheConnectionAndTheCircuitClosesWhenHealthy() {
        AtomicBoolean sick = new AtomicBoolean();
        FakeHsmServer hsm = server().responder(ex -> {
            if (ex.command().equals("NC") && sick.get()) {
                ex.reply(b("ND15"));
            } else {
                ex.replyDefault();
            }
        });
        HsmPool pool = started(config(hsm).connectionsPerHost(1)
                .healthCheckInterval(Duration.ofMillis(100)).build());
        awaitCondition(() -> hsm.received("NC") >= 3, "periodic NC");
        assertEquals(1, hsm.accepted.get());

        sick.set(true);
        awaitCondition(pool::isCircuitOpen, "unhealthy connection recycled");
        Throwable e = awaitFailure(pool.execute(b("EC")));
        assertInstanceOf(HsmUnavailableException.class, e);
        assertTrue(registry.get(PoolMetrics.HEALTH).tag("result", "failed").counter().count() >= 1);

        sick.set(false);
        awaitCondition(() -> pool.connectionsUp() == 1, "circuit closed again");
        assertEquals("ED00", s(await(pool.execute(b("EC")))));
        assertTrue(hsm.accepted.get() >= 2);
    }

    @Test
    void startFailsWhenNoHostAnswersButThePoolKeepsTrying() {
        FakeHsmServer hsm = server();
        hsm.stop();
        HsmPool pool = pool(config(hsm).connectionsPerHost(1)
                .connectTimeout(Duration.ofMillis(200)).requestTimeout(Duration.ofMillis(200)).build());
        Throwable e = awaitFailure(pool.start()); // once its first connect attempt failed
        assertInstanceOf(HsmUnavailableException.class, e);
        assertInstanceOf(HsmUnavailableException.class, awaitFailure(pool.execute(b("EC"))));

        hsm.start();
        awaitCondition(() -> pool.connectionsUp() == 1, "connected in the background");
        assertEquals("ED00", s(await(pool.execute(b("EC")))));
    }

    @Test
    void errorCodesAreCountedByCommandAndCode() {
        FakeHsmServer hsm = server().responder(ex -> {
            if (ex.command().equals("A0")) {
                ex.reply(b("A115"));
            } else {
                ex.replyDefault();
            }
        });
        HsmPool pool = started(config(hsm).connectionsPerHost(1).build());
        assertEquals("A115", s(await(pool.execute(b("A0002U")))));
        await(pool.execute(b("BU")));
        assertEquals(1, registry.get(PoolMetrics.ERRORS).tags("command", "A0", "code", "15")
                .counter().count());
        assertEquals(1, registry.find(PoolMetrics.ERRORS).counters().size(), "00 is not an error");
        assertEquals(1, requests("A0", "ok"));
        assertEquals(1, gauge(PoolMetrics.CONNECTIONS, "state", "up"));
        assertEquals(0, gauge(PoolMetrics.CONNECTIONS, "state", "down"));
    }

    /** Keeps {@code concurrency} requests in flight from a background thread and sorts outcomes. */
    static final class Load {
        final HsmPool pool;
        final java.util.concurrent.Semaphore permits;
        final List<Object> ok = new CopyOnWriteArrayList<>();
        final List<Throwable> lost = new CopyOnWriteArrayList<>();
        final List<Throwable> failFast = new CopyOnWriteArrayList<>();
        final List<Throwable> timeouts = new CopyOnWriteArrayList<>();
        final List<Throwable> unexpected = new CopyOnWriteArrayList<>();
        final Map<Integer, Boolean> pending = new ConcurrentHashMap<>();
        volatile boolean running = true;
        Thread thread;

        Load(HsmPool pool, int concurrency) {
            this.pool = pool;
            this.permits = new java.util.concurrent.Semaphore(concurrency);
        }

        Load start() {
            thread = new Thread(() -> {
                int i = 0;
                while (running) {
                    try {
                        if (!permits.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                            continue;
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (pool.isCircuitOpen()) {
                        try {
                            Thread.sleep(2); // do not spin while requests fail fast
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    int id = i++;
                    pending.put(id, true);
                    pool.execute(b("EC" + id)).onComplete(ar -> {
                        if (ar.succeeded()) {
                            ok.add(id);
                        } else if (ar.cause() instanceof HsmConnectionLostException) {
                            lost.add(ar.cause());
                        } else if (ar.cause() instanceof HsmTimeoutException) {
                            timeouts.add(ar.cause());
                        } else if (ar.cause() instanceof HsmUnavailableException) {
                            failFast.add(ar.cause());
                        } else {
                            unexpected.add(ar.cause());
                        }
                        pending.remove(id);
                        permits.release();
                    });
                }
            });
            thread.start();
            return this;
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
            awaitCondition(pending::isEmpty, "no request left hanging");
        }
    }
}
