package dev.posgate.gateway.tms;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.support.Metrics;
import dev.posgate.terminal.net.TerminalLink;
import dev.posgate.terminal.tms.PackageStore;
import dev.posgate.terminal.tms.TmsClient;
import dev.posgate.terminal.tms.TmsUpdater;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A terminal over its request rate is slowed down, not cut off: a package download of more
 * frames than the burst completes on one connection, at the rate.
 */
class TmsDownloadThrottleIT {
    private static final int FRAME = 1024;
    private static final int FRAMES = 30;

    @Test
    void aDownloadLongerThanTheRequestBurstCompletesAtTheRate() throws Exception {
        try (TmsFixture fx = new TmsFixture(Map.of(Setting.TMS_DMK_CEREMONY, true,
                Setting.REQUEST_RATE, 10, Setting.REQUEST_BURST, 5))) {
            byte[] app = new byte[FRAMES * FRAME];
            new Random(7).nextBytes(app);
            fx.targetEveryone(fx.publish(TmsFixture.VENDOR, "small-app", "1.0.0", app));

            TmsFixture.Device d = fx.device();
            PackageStore store = new PackageStore();
            TerminalLink link = fx.link();
            TmsClient c = fx.client(link, d);
            long started = System.nanoTime();
            await(c.handshake());
            TmsUpdater.Outcome out = await(new TmsUpdater(c, store, FRAME).run());
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            await(link.close());

            assertEquals(FRAMES * FRAME, out.bytes());
            assertArrayEquals(app, store.contents("small-app"));
            // H1, H2, D1, 30 x D2, D3 = 34 requests: after the burst of 5, one per 100 ms at most
            assertTrue(tookMs >= 2_800, "34 requests at 10/s after a burst of 5 take at least 2.8 s, took " + tookMs + " ms");
            assertTrue(Metrics.value(fx.gateway, "posgate_requests_throttled_total") > 0, "requests were held, not refused");
            assertEquals(0, Metrics.value(fx.gateway, "posgate_sessions_closed_total{reason=\"inflight_cap\"}"));
            System.out.println("TmsDownloadThrottleIT: 34 requests at 10/s (burst 5) completed in " + tookMs + " ms");
        }
    }
}
