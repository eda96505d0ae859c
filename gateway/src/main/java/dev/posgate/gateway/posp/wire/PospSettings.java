package dev.posgate.gateway.posp.wire;

import dev.posgate.gateway.platform.config.GatewayConfig;
import dev.posgate.gateway.platform.config.Setting;
import java.time.Duration;
import java.time.ZoneId;
import dev.posgate.gateway.posp.upstream.TrackProtection;

/** The POSP's configuration, read once at installation. */
public record PospSettings(
        BusinessDay businessDay,
        String acquirerId,
        int tmkIndex,
        String psamRootOwner,
        String upstreamHost,
        int upstreamConnections,
        Duration upstreamTimeout,
        String zone,
        Duration reversalRetry,
        Duration signOnGrace,
        TrackProtection.Upstream trackProtection,
        boolean psamServed,
        boolean sm4Served) {

    /** Every terminal kind served. */
    public PospSettings(BusinessDay businessDay, String acquirerId, int tmkIndex, String psamRootOwner, String upstreamHost,
            int upstreamConnections, Duration upstreamTimeout, String zone, Duration reversalRetry, Duration signOnGrace,
            TrackProtection.Upstream trackProtection) {
        this(businessDay, acquirerId, tmkIndex, psamRootOwner, upstreamHost, upstreamConnections, upstreamTimeout, zone,
                reversalRetry, signOnGrace, trackProtection, true, true);
    }

    public PospSettings {
        // the type (DIGITS) checked the form at start-up; field 32 is n..11
        if (acquirerId.length() > 11) {
            throw new IllegalArgumentException(Setting.POSP_ACQUIRER_ID.key() + " must be at most 11 digits (field 32 is n..11), got '"
                    + acquirerId + "'");
        }
    }

    public static PospSettings from(GatewayConfig c) {
        return new PospSettings(
                new BusinessDay(ZoneId.of(c.string(Setting.POSP_TIMEZONE))),
                c.string(Setting.POSP_ACQUIRER_ID),
                c.integer(Setting.POSP_TMK_INDEX),
                c.string(Setting.POSP_PSAM_ROOT_OWNER),
                c.string(Setting.UPSTREAM_HOST),
                c.integer(Setting.UPSTREAM_CONNECTIONS),
                Duration.ofMillis(c.integer(Setting.UPSTREAM_TIMEOUT)),
                c.string(Setting.UPSTREAM_ZONE),
                Duration.ofSeconds(c.integer(Setting.UPSTREAM_REVERSAL_RETRY)),
                Duration.ofSeconds(c.integer(Setting.POSP_SIGN_ON_GRACE)),
                TrackProtection.Upstream.of(c.string(Setting.UPSTREAM_TRACK_PROTECTION)),
                !disabled(c, "psam"),
                !disabled(c, "sm4"));
    }

    /** True when {@code feature} is listed in {@code features.disabled}. */
    static boolean disabled(GatewayConfig c, String feature) {
        for (String f : c.string(Setting.FEATURES_DISABLED).split(",")) {
            if (f.trim().equalsIgnoreCase(feature)) return true;
        }
        return false;
    }
}
