package dev.posgate.gateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.support.TestGateway;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.internal.VertxInternal;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The gateway runs one event loop per listener instance, not Vert.x's two per core: every loop
 * then serves terminals, and the HSM partitions and PostgreSQL connections sit on loops that have
 * callers (docs/architecture.md; benchmarks.md, issue 19, "Where the gateway's CPU goes").
 */
class EventLoopsIT {
    @Test
    void oneEventLoopPerListenerInstance() throws Exception {
        try (TestGateway gw = TestGateway.start(Map.of(Setting.LISTENER_INSTANCES, 3))) {
            int loops = 0;
            for (EventExecutor ignored : ((VertxInternal) gw.app().vertx()).nettyEventLoopGroup()) loops++;
            assertEquals(3, loops, "event loops of a gateway with 3 listener instances");
        }
    }
}
