package dev.posgate.gateway.platform.hsm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.gateway.platform.config.GatewayConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The production jar carries no software HSM: with {@code hsm.hosts} empty and no bundled HSM on
 * the class path the gateway refuses to start and says what to configure, instead of failing on
 * a missing class or silently running without an HSM.
 */
class HsmLinkWithoutBundledHsmTest {

    @Test
    void noHostsAndNoBundledHsmFailsNamingTheSetting() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            Future<HsmLink> link = HsmLink.start(vertx, GatewayConfig.defaults(), new SimpleMeterRegistry(), Optional.empty());
            Throwable failure = link.toCompletionStage().toCompletableFuture()
                    .handle((ok, e) -> e).get(30, TimeUnit.SECONDS);
            assertTrue(failure != null && failure.getMessage().contains("hsm.hosts is empty")
                    && failure.getMessage().contains("no bundled software HSM"), String.valueOf(failure));
        } finally {
            vertx.close().await();
        }
    }
}
