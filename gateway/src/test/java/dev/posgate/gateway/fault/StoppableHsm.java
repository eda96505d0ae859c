package dev.posgate.gateway.fault;

import static dev.posgate.testing.Eventually.await;

import dev.posgate.gateway.posp.PospFixture;
import dev.posgate.hsm.sim.HsmSimConfig;
import dev.posgate.hsm.sim.HsmSimulator;
import io.vertx.core.Vertx;
import java.nio.file.Path;

/**
 * The gateway's HSM as a software HSM of its own for a fault test, reached over its wire
 * protocol: stopped and started again on the same port with the same LMK file, as an operator
 * restarting the HSM would.
 */
final class StoppableHsm implements AutoCloseable {
    private final Vertx vertx = Vertx.vertx();
    private final Path lmkFile;
    private HsmSimulator server;
    private int port;

    private StoppableHsm(Path lmkFile) {
        this.lmkFile = lmkFile;
    }

    static StoppableHsm start() throws Exception {
        StoppableHsm hsm = new StoppableHsm(PospFixture.newLmkFile());
        hsm.restart();
        hsm.port = hsm.server.port();
        return hsm;
    }

    Path lmkFile() {
        return lmkFile;
    }

    /** The gateway's {@code hsm.hosts}. */
    String hosts() {
        return "127.0.0.1:" + port;
    }

    void stop() throws Exception {
        await(server.stop());
        server = null;
    }

    /** Starts it again on the same port with the same LMK. */
    void restart() throws Exception {
        server = await(HsmSimulator.start(vertx, HsmSimConfig.builder().host("127.0.0.1").port(port).headerLength(4)
                .lmkFile(lmkFile).development(true).allowClearComponents(true).build())); // PospFixture's TMK ceremony
    }

    @Override
    public void close() throws Exception {
        if (server != null) stop();
        await(vertx.close());
    }
}
