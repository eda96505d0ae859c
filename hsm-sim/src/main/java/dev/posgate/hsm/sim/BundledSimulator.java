package dev.posgate.hsm.sim;

import dev.posgate.hsm.bundled.BundledHsm;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** The software HSM as the gateway's bundled HSM ({@link BundledHsm}, found by ServiceLoader). */
public final class BundledSimulator implements BundledHsm {

    @Override
    public Future<Running> start(Vertx vertx, Options options) {
        Authorisation authorisation = options.authorisedCommands().isEmpty()
                ? Authorisation.NONE
                : Authorisation.of(options.authorisedCommands(), options.authorisedFor());
        return HsmSimulator.start(vertx, HsmSimConfig.builder()
                        .host(options.host())
                        .port(0)
                        .headerLength(options.headerLength())
                        .lmkFile(options.lmkFile())
                        .development(true)
                        .allowClearComponents(options.allowClearComponents())
                        .authorisation(authorisation)
                        .profile(options.profile())
                        .mutualTls(new HsmSimConfig.MutualTls(options.serverKey(), options.clientTrust()))
                        .build())
                .map(sim -> new Running() {
                    @Override
                    public int port() {
                        return sim.port();
                    }

                    @Override
                    public Future<Void> stop() {
                        return sim.stop();
                    }
                });
    }
}
