package dev.posgate.gateway.platform.server;

import dev.posgate.gateway.platform.config.GatewayConfig;
import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.iso8583.frame.FrameLimits;
import java.time.Duration;

/** The listener's part of the configuration, resolved once. */
public record ListenerSettings(
        String host,
        int port,
        FrameLimits frameLimits,
        Duration idleTimeout,
        Duration frameTimeout,
        int maxInflight,
        Duration drainTimeout,
        Duration firstFrameTimeout,
        RateLimit connectionRatePerIp,
        RateLimit requestRate) {

    /** The same limits on another address (the key-loading listener, {@code loader.host}/{@code loader.port}). */
    public ListenerSettings at(String otherHost, int otherPort) {
        return new ListenerSettings(otherHost, otherPort, frameLimits, idleTimeout, frameTimeout, maxInflight, drainTimeout,
                firstFrameTimeout, connectionRatePerIp, requestRate);
    }

    public static ListenerSettings from(GatewayConfig c, int port) {
        return new ListenerSettings(
                c.string(Setting.LISTENER_HOST),
                port,
                new FrameLimits(c.integer(Setting.FRAME_MAX_ISO), c.integer(Setting.FRAME_MAX_TMS)),
                Duration.ofSeconds(c.integer(Setting.IDLE_TIMEOUT)),
                Duration.ofSeconds(c.integer(Setting.FRAME_TIMEOUT)),
                Math.max(1, c.integer(Setting.MAX_INFLIGHT)),
                Duration.ofSeconds(c.integer(Setting.DRAIN_TIMEOUT)),
                Duration.ofSeconds(c.integer(Setting.FIRST_FRAME_TIMEOUT)),
                RateLimit.of(c.integer(Setting.CONNECTION_RATE_PER_IP), c.integer(Setting.CONNECTION_BURST_PER_IP)),
                RateLimit.of(c.integer(Setting.REQUEST_RATE), c.integer(Setting.REQUEST_BURST)));
    }
}
