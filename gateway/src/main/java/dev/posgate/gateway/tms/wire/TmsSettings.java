package dev.posgate.gateway.tms.wire;

import dev.posgate.gateway.platform.config.GatewayConfig;
import dev.posgate.gateway.platform.config.Setting;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * The TMS settings, read once. {@code sessionKeys}: the HSM speaks standard payShield commands only
 * ({@code hsm.profile=payshield}), so TDES terminals get TMS protocol version 2 (work-key mode 03,
 * role-separated session keys; docs/tms.md "Session keys") and DMKs are held as ZMKs (type 000).
 */
public record TmsSettings(Duration clockSkew, boolean sendTmk, int tmkIndex, boolean dmkCeremony, int frameMax,
        int sealedMax, String repositories, Path fsRoot, boolean sessionKeys) {

    /** The LMK key type the DMKs are held as: posgate's DMK (20E), or a ZMK (000) in version 2. */
    public dev.posgate.hsm.KeyType dmkType() {
        return sessionKeys ? dev.posgate.hsm.KeyType.ZMK : dev.posgate.hsm.KeyType.DMK;
    }

    public static TmsSettings from(GatewayConfig c) {
        String keyMessage = c.string(Setting.TMS_KEY_MESSAGE).trim().toUpperCase(Locale.ROOT);
        if (!keyMessage.equals("TMK") && !keyMessage.equals("NONE")) {
            throw new IllegalArgumentException(Setting.TMS_KEY_MESSAGE.key() + " must be TMK or NONE");
        }
        int frameMax = c.integer(Setting.TMS_FRAME_MAX);
        // a sealed D2 answer passes through one HSM reply (M0), which the pool caps at 32 KiB
        if (frameMax < 256 || frameMax > 30_000) {
            throw new IllegalArgumentException(Setting.TMS_FRAME_MAX.key() + " must be 256..30000");
        }
        int sealedMax = c.integer(Setting.TMS_SEALED_MAX);
        // opening a sealed request is one HSM command (Z2) whose reply carries the plaintext
        if (sealedMax < 256 || sealedMax > 30_000) {
            throw new IllegalArgumentException(Setting.TMS_SEALED_MAX.key() + " must be 256..30000");
        }
        int index = c.integer(Setting.TMS_KEY_INDEX);
        if (index < 0 || index > 255) throw new IllegalArgumentException(Setting.TMS_KEY_INDEX.key() + " must be 0..255");
        String root = c.string(Setting.TMS_FS_ROOT);
        return new TmsSettings(Duration.ofSeconds(c.integer(Setting.TMS_CLOCK_SKEW)), keyMessage.equals("TMK"), index,
                c.bool(Setting.TMS_DMK_CEREMONY), frameMax, sealedMax, c.string(Setting.TMS_REPOSITORIES),
                root.isBlank() ? c.dataDir().resolve("packages") : Path.of(root),
                dev.posgate.hsm.HsmProfile.of(c.string(Setting.HSM_PROFILE)) == dev.posgate.hsm.HsmProfile.PAYSHIELD);
    }
}
