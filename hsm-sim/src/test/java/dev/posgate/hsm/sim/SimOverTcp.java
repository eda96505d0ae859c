package dev.posgate.hsm.sim;

import static dev.posgate.hsm.sim.SimTestSupport.await;

import dev.posgate.crypto.RandomSource;
import dev.posgate.hsm.RemoteHsm;
import dev.posgate.hsm.pool.HsmPool;
import dev.posgate.hsm.pool.HsmPoolConfig;
import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * The software HSM over TCP as the gateway reaches it: a simulator on an ephemeral port, the
 * production {@link HsmPool} and a {@link RemoteHsm} in front of it. Start it in
 * {@code @BeforeEach}, {@link #stop} it in {@code @AfterEach}.
 */
final class SimOverTcp {
    final HsmSimulator sim;
    final HsmPool pool;
    final RemoteHsm hsm;

    private SimOverTcp(HsmSimulator sim, HsmPool pool) {
        this.sim = sim;
        this.pool = pool;
        this.hsm = new RemoteHsm(pool);
    }

    /**
     * A simulator with a fresh variant LMK, clear components allowed and authorisation gated for
     * an hour, behind a pool named {@code poolName} of {@code connections} connections.
     */
    static SimOverTcp start(Vertx vertx, String poolName, int connections) {
        return start(vertx, HsmSimulator.start(vertx, HsmSimConfig.builder().port(0).lmk(Lmk.generate(RandomSource.secure()))
                .allowClearComponents(true)
                .authorisation(Authorisation.of(Authorisation.GATED, Duration.ofHours(1))).build()), poolName, connections);
    }

    /** The given (starting) simulator behind a pool named {@code poolName} of {@code connections} connections. */
    static SimOverTcp start(Vertx vertx, io.vertx.core.Future<HsmSimulator> starting, String poolName, int connections) {
        HsmSimulator sim = await(starting);
        HsmPool pool = new HsmPool(vertx, HsmPoolConfig.builder().name(poolName).host("127.0.0.1", sim.port())
                .connectionsPerHost(connections).build());
        await(pool.start());
        return new SimOverTcp(sim, pool);
    }

    void stop() {
        await(pool.close());
        await(sim.stop());
    }
}
