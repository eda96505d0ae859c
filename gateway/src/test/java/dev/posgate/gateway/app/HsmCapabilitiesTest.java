package dev.posgate.gateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.gateway.app.HsmCapabilities.Feature;
import dev.posgate.gateway.platform.config.GatewayConfig;
import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.hsm.HsmProfile;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The capability table (issue 16 item 1): feature → HSM commands per profile, and the start-up refusal. */
class HsmCapabilitiesTest {
    private static final GatewayConfig PAYSHIELD = GatewayConfig.defaults().with(Setting.HSM_PROFILE, "payshield");

    /** docs/hsm-protocol.md section 11.2 has a row for every feature of the table. */
    @Test
    void everyFeatureIsDocumented() throws Exception {
        String doc = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "hsm-protocol.md"));
        for (Feature f : Feature.values()) assertTrue(doc.contains("| `" + f.key() + "`"), "docs/hsm-protocol.md 11.2 lacks " + f.key());
        for (String f : HsmCapabilities.SWITCHABLE) assertTrue(doc.contains("| `" + f + "`"), f);
    }

    @Test
    void theStartUpLogListsWhatEachEnabledFeatureNeeds() {
        String posgate = HsmCapabilities.needsOfEnabled(GatewayConfig.defaults());
        assertTrue(posgate.startsWith("posp.sign_on: A0; posp.tmk.import: BU; posp.mac: ZA ZC M6 M8;"), posgate);
        String payShield = HsmCapabilities.needsOfEnabled(PAYSHIELD.with(Setting.FEATURES_DISABLED, "tms,kms,psam,sm4"));
        assertEquals("posp.sign_on: A0 BU; posp.tmk.import: BU; posp.mac: M6 M8; posp.pin: CA; posp.tracks: M2 M0", payShield);
        assertEquals("posp.sign_on: A0 BU; posp.tmk.import: BU; posp.mac: M6 M8; posp.pin: CA; posp.tracks: M2 M0; tms: A0 BU M6 M8 M0 M2",
                HsmCapabilities.needsOfEnabled(PAYSHIELD.with(Setting.FEATURES_DISABLED, "kms,psam,sm4")));
    }

    @Test
    void thePosgateProfileServesEveryFeature() {
        for (Feature f : Feature.values()) assertNull(f.missing(HsmProfile.POSGATE), f.key());
        assertNull(HsmCapabilities.refusal(GatewayConfig.defaults()), "the default configuration starts as before");
        assertNull(HsmCapabilities.refusal(GatewayConfig.defaults().with(Setting.POSP_TMK_CEREMONY, true)
                .with(Setting.LOADER_PORT, 9999)));
    }

    @Test
    void thePayShieldProfileServesThePospWithStandardCommandsOnly() {
        Set<Feature> served = EnumSet.noneOf(Feature.class);
        for (Feature f : Feature.values()) {
            if (f.missing(HsmProfile.PAYSHIELD) == null) served.add(f);
            for (HsmCapabilities.Need n : f.needs(HsmProfile.PAYSHIELD)) {
                if (f.missing(HsmProfile.PAYSHIELD) == null) {
                    assertTrue(HsmProfile.standardCommands().contains(n.command()), f.key() + " needs " + n);
                }
            }
        }
        // the TMS since its protocol version 2 (role-separated session keys, docs/tms.md "Session keys")
        assertEquals(EnumSet.of(Feature.POSP_SIGN_ON, Feature.POSP_TMK_IMPORT, Feature.POSP_MAC, Feature.POSP_PIN, Feature.POSP_TRACKS,
                Feature.TMS), served);
    }

    @Test
    void aPayShieldGatewayRefusesEachFeatureItCannotServeNamingTheCommand() {
        String psam = HsmCapabilities.refusal(PAYSHIELD);
        assertTrue(psam.startsWith("hsm.profile=payshield cannot serve the feature psam ("), psam);
        assertTrue(psam.contains("HSM command ZE") && psam.contains("features.disabled=psam"), psam);
        assertTrue(HsmCapabilities.refusal(PAYSHIELD.with(Setting.FEATURES_DISABLED, "psam")).contains("HSM command WI"));
        String kms = HsmCapabilities.refusal(PAYSHIELD.with(Setting.FEATURES_DISABLED, "psam,sm4"));
        assertTrue(kms.startsWith("hsm.profile=payshield cannot serve the feature kms ("), kms);
        assertTrue(kms.contains("HSM command ZI") && kms.contains("features.disabled=kms"), kms);
        assertTrue(HsmCapabilities.refusal(PAYSHIELD.with(Setting.FEATURES_DISABLED, "psam,sm4,tms")).contains("feature kms"));
        // the TMS is served (version 2); its DMK ceremony from clear components is not
        GatewayConfig withTms = PAYSHIELD.with(Setting.FEATURES_DISABLED, "kms,psam,sm4");
        assertNull(HsmCapabilities.refusal(withTms));
        String dmkCeremony = HsmCapabilities.refusal(withTms.with(Setting.TMS_DMK_CEREMONY, true));
        assertTrue(dmkCeremony.contains("tms.dmk.ceremony") && dmkCeremony.contains("HSM command ZW"), dmkCeremony);
        GatewayConfig standardOnly = PAYSHIELD.with(Setting.FEATURES_DISABLED, "tms, KMS ,psam,sm4");
        assertNull(HsmCapabilities.refusal(standardOnly));
        String ceremony = HsmCapabilities.refusal(standardOnly.with(Setting.POSP_TMK_CEREMONY, true));
        assertTrue(ceremony.contains("posp.tmk.ceremony") && ceremony.contains("HSM command ZW")
                && ceremony.contains("posp.tmk.ceremony.enabled=false"), ceremony);
        assertTrue(HsmCapabilities.refusal(standardOnly.with(Setting.LOADER_PORT, 9999)).contains("loader.port=0"));
        assertTrue(HsmCapabilities.refusal(standardOnly.with(Setting.FEATURES_DISABLED, "tms,kms,psam,sm4,pos"))
                .contains("unknown feature 'pos'"));
    }
}
