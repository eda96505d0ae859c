package dev.posgate.hsm.sim;

import static dev.posgate.hsm.sim.SimTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.crypto.RandomSource;
import dev.posgate.hsm.Hsm;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.RemoteHsm;
import dev.posgate.hsm.pool.HsmConnectionLostException;
import dev.posgate.hsm.pool.HsmPool;
import dev.posgate.hsm.pool.HsmPoolConfig;
import dev.posgate.hsm.transport.HsmTimeoutException;
import dev.posgate.hsm.transport.HsmUnavailableException;
import dev.posgate.testing.Eventually;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real simulator going away under load: calls fail fast with a clear error and the pool
 * recovers by itself; with two HSMs, losing one loses nothing that had not been sent.
 */
class HsmOutageTest {
    private static final Lmk LMK = Lmk.generate(RandomSource.secure());
    private Vertx vertx;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void tearDown() {
        await(vertx.close());
    }

    private HsmSimulator startSim(int port) {
        return await(HsmSimulator.start(vertx, HsmSimConfig.builder().host("127.0.0.1").port(port).lmk(LMK).build()));
    }

    private HsmPool pool(int... ports) {
        HsmPoolConfig.Builder b = HsmPoolConfig.builder().name("outage").connectionsPerHost(2)
                .requestTimeout(Duration.ofSeconds(2)).reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
                .maxInFlightPerConnection(256);
        for (int p : ports) b.host("127.0.0.1", p);
        return new HsmPool(vertx, b.build());
    }

    @Test
    void stoppedUnderLoadFailsFastThenRecoversByItself() throws Exception {
        int port = freePort();
        HsmSimulator sim = startSim(port);
        HsmPool pool = pool(port);
        await(pool.start());
        Hsm hsm = new RemoteHsm(pool);
        List<Future<?>> before = burst(hsm, 200);
        await(sim.stop());
        await(Future.join(before).otherwiseEmpty());
        for (Future<?> f : before) {
            assertTrue(f.succeeded() || f.cause() instanceof HsmUnavailableException, "only clear HSM errors: " + f.cause());
        }

        Eventually.until("the pool notices the closed connections", pool::isCircuitOpen);
        Future<?> down = hsm.generateKey(KeyType.ZPK);
        await(down.otherwiseEmpty());
        // with the circuit open a call fails at once: not after the 2 s timeout
        assertInstanceOf(HsmUnavailableException.class, down.cause());
        assertFalse(down.cause() instanceof HsmTimeoutException, "failed fast, not timed out: " + down.cause());

        startSim(port);
        Eventually.until("the pool reconnects by itself", () -> pool.connectionsUp() > 0);
        for (Future<?> f : burst(hsm, 50)) await(f);
        await(pool.close());
    }

    @Test
    void losingOneOfTwoHsmsLosesNothingUnsent() throws Exception {
        int portA = freePort();
        int portB = freePort();
        HsmSimulator a = startSim(portA);
        startSim(portB);
        HsmPool pool = pool(portA, portB);
        await(pool.start());
        Eventually.until("both hosts' connections come up", () -> pool.connectionsUp() == 4);
        Hsm hsm = new RemoteHsm(pool);
        List<Future<?>> during = burst(hsm, 300);
        await(a.stop());
        await(Future.join(during).otherwiseEmpty());
        int lost = 0;
        for (Future<?> f : during) {
            if (f.failed()) {
                // only a request already written to A may fail, and it says so
                assertInstanceOf(HsmConnectionLostException.class, f.cause(), f.cause().toString());
                lost++;
            }
        }
        assertTrue(lost < during.size());
        // A's server stopped; the pool learns it when its connections' close arrives (an event, not
        // the stop's completion): a command sent before that may still be written to A and lost
        Eventually.until("the pool has dropped A's connections", () -> pool.connectionsUp() == 2);
        for (Future<?> f : burst(hsm, 100)) await(f); // everything after the loss succeeds on B
        await(pool.close());
    }

    private static List<Future<?>> burst(Hsm hsm, int n) {
        List<Future<?>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(hsm.generateKey(KeyType.ZPK));
        return out;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
