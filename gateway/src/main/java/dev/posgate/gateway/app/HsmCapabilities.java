package dev.posgate.gateway.app;

import dev.posgate.gateway.platform.config.GatewayConfig;
import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.hsm.HsmProfile;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What each gateway feature needs from the HSM in each {@link HsmProfile} (issue 16; the same table
 * is in docs/hsm-protocol.md, "HSM profiles"), and the start-up check: a gateway whose configured
 * profile cannot serve an enabled feature does not start, and says which feature needs which
 * command. How each feature is enabled is {@link Feature#enabled}.
 */
public final class HsmCapabilities {
    private HsmCapabilities() {}

    /** The features {@code features.disabled} may name. */
    public static final Set<String> SWITCHABLE = Set.of("tms", "kms", "psam", "sm4");

    /**
     * One thing asked of the HSM: a command, and when {@code extension}, a posgate key type or
     * ZMK/TMK flag inside it that payShield does not have even though the command is standard.
     */
    public record Need(String command, String what, boolean extension) {
        static Need std(String command, String what) {
            return new Need(command, what, false);
        }

        static Need ext(String command, String what) {
            return new Need(command, what, true);
        }

        /** True when an HSM of {@code profile} serves it. */
        public boolean servedBy(HsmProfile profile) {
            return profile == HsmProfile.POSGATE || !extension && profile.serves(command);
        }

        String describe() {
            return "HSM command " + command + " (" + what + ")";
        }
    }

    /** A gateway feature: its needs in the posgate profile and in the payshield profile. */
    public enum Feature {
        POSP_SIGN_ON("posp.sign_on", "POSP sign-on (TDES working keys under the TMK, field 62)",
                List.of(Need.std("A0", "generate a working key under the TMK, 16-hex check value"),
                        Need.std("A0", "zone keys under the LMK (admin)")),
                List.of(Need.std("A0", "generate a working key under the TMK (mode 1, flag 1)"),
                        Need.std("BU", "the 16-hex check value field 62 takes 4 bytes of"))),
        POSP_TMK_IMPORT("posp.tmk.import", "TMK under the LMK from the acquirer's ceremony, checked (admin)",
                List.of(Need.std("BU", "the TMK's check value"))),
        POSP_MAC("posp.mac", "POSP field-64 MAC toward terminals and the host (UnionPay ECB, X9.19)",
                List.of(Need.ext("ZA", "UnionPay ECB MAC"), Need.ext("ZC", "UnionPay ECB MAC verify"),
                        Need.std("M6", "X9.19 MAC"), Need.std("M8", "X9.19 MAC verify")),
                List.of(Need.std("M6", "X9.19 MAC; UnionPay ECB MAC as algorithm 1 over the hex of the XORed blocks"),
                        Need.std("M8", "the same, verified"))),
        POSP_PIN("posp.pin", "POSP PIN translation TPK to the zone ZPK",
                List.of(Need.std("CA", "ISO format 0")), List.of(Need.std("CA", "ISO format 0"))),
        POSP_TRACKS("posp.tracks", "POSP encrypted tracks (TDK to ZEK)",
                List.of(Need.std("M2", "decrypt under the TDK"), Need.std("M0", "encrypt under the ZEK")),
                List.of(Need.std("M2", "decrypt under the TDK"), Need.std("M0", "encrypt under the ZEK"))),
        PSAM("psam", "PSAM issuance and PSAM terminals' sign-on",
                List.of(Need.ext("ZE", "card key diversified from the PSAM root, exported"),
                        Need.ext("ZG", "working key under the diversified card key"))),
        SM4("sm4", "SM4 terminals (national algorithms)",
                List.of(Need.ext("WI", "SM4 working keys under the SM4 TMK"), Need.ext("Z4", "UnionPay SM4 MAC"),
                        Need.ext("Z6", "UnionPay SM4 MAC verify"), Need.ext("Z8", "SM4 PIN block to the ZPK"))),
        TMK_CEREMONY("posp.tmk.ceremony", "TMK from clear components on the admin API (posp.tmk.ceremony.enabled)",
                List.of(Need.ext("ZW", "form a key from clear components"))),
        TMS("tms", "TMS handshake H1/H2, download D1-D3, DMK provisioning",
                List.of(Need.ext("ZS", "TAC/SAC under the DWK"), Need.ext("ZU", "TAC/SAC verify"),
                        Need.ext("Z0", "sealed download body"), Need.ext("Z2", "open a sealed body"),
                        Need.ext("A0", "DWK under the DMK: ZMK/TMK flag 2 and key type 30E"),
                        Need.ext("A6", "DMK import: key type 20E"), Need.ext("A8", "H2 key message: ZMK/TMK flag 3")),
                // TMS protocol version 2 (docs/tms.md "Session keys"): the DWK only wraps, role-separated session keys
                List.of(Need.std("A0", "the DWK (002) under the DMK held as a ZMK; the session TAK, DEK and key-message TMK under the DWK (flag 1)"),
                        Need.std("BU", "16-hex check values of the generated keys"),
                        Need.std("M6", "TAC_1 under the session TAK (algorithm 1); the sealed bodies' X9.19 MAC"),
                        Need.std("M8", "SAC_1 and the sealed requests' MAC under the TAK"),
                        Need.std("M0", "sealed answers: CBC under the session DEK"),
                        Need.std("M2", "sealed requests: CBC under the session DEK, after M8"))),
        DMK_CEREMONY("tms.dmk.ceremony", "DMK from clear components on the admin API (tms.dmk.ceremony.enabled)",
                List.of(Need.ext("ZW", "form a key from clear components"))),
        KMS("kms", "KMS remote TMK download K1-K4, TK batch upload",
                List.of(Need.std("EI", "the KMS and key-loader RSA identities"),
                        Need.ext("ZI", "unwrap the TK block (TEK, AUK)"), Need.ext("ZK", "KMS AUK proof"),
                        Need.ext("ZM", "terminal AUK proof"), Need.ext("ZO", "TMK under the TEK"),
                        Need.std("A0", "a new TMK"),
                        Need.ext("K1", "the SM2 roots and SM2 identities (SM4 terminals)"), Need.ext("K3", "SM2 certificate signatures"),
                        Need.ext("ZY", "open an SM2 TK block"), Need.ext("WI", "a new SM4 TMK"))),
        LOADER("loader", "remote key loading L1-L3 (loader.port)",
                List.of(Need.ext("ZQ", "key-loader exchange: RSA decrypt, TMK under Rnd1, private-key encryption"),
                        Need.std("A0", "a new TMK"),
                        Need.ext("WQ", "SM2 key-loader exchange: SM2 decrypt, SM4 TMK under Rnd1, SM2 signature"),
                        Need.ext("WI", "a new SM4 TMK")));

        private final String key;
        private final String description;
        private final List<Need> posgate;
        private final List<Need> payShield;

        Feature(String key, String description, List<Need> both) {
            this(key, description, both, both);
        }

        Feature(String key, String description, List<Need> posgate, List<Need> payShield) {
            this.key = key;
            this.description = description;
            this.posgate = posgate;
            this.payShield = payShield;
        }

        public String key() {
            return key;
        }

        public String description() {
            return description;
        }

        /** What the feature asks of an HSM of {@code profile}. */
        public List<Need> needs(HsmProfile profile) {
            return profile == HsmProfile.PAYSHIELD ? payShield : posgate;
        }

        /** The first need {@code profile} does not serve, or null. */
        public Need missing(HsmProfile profile) {
            for (Need n : needs(profile)) {
                if (!n.servedBy(profile)) return n;
            }
            return null;
        }

        /** Whether {@code config} enables it. */
        public boolean enabled(GatewayConfig config) {
            Set<String> off = disabled(config);
            return switch (this) {
                case POSP_SIGN_ON, POSP_TMK_IMPORT, POSP_MAC, POSP_PIN, POSP_TRACKS -> true;
                case PSAM, SM4, TMS, KMS -> !off.contains(key);
                case TMK_CEREMONY -> config.bool(Setting.POSP_TMK_CEREMONY);
                case DMK_CEREMONY -> !off.contains("tms") && config.bool(Setting.TMS_DMK_CEREMONY);
                case LOADER -> !off.contains("kms") && config.integer(Setting.LOADER_PORT) != 0;
            };
        }

        /** How to turn it off, for the refusal. */
        String switchOff() {
            return switch (this) {
                case TMK_CEREMONY -> Setting.POSP_TMK_CEREMONY.key() + "=false";
                case DMK_CEREMONY -> Setting.TMS_DMK_CEREMONY.key() + "=false";
                case LOADER -> Setting.LOADER_PORT.key() + "=0";
                default -> Setting.FEATURES_DISABLED.key() + "=" + key;
            };
        }
    }

    /** The features named in {@code features.disabled} (lower case). */
    public static Set<String> disabled(GatewayConfig config) {
        Set<String> out = new LinkedHashSet<>();
        for (String f : config.string(Setting.FEATURES_DISABLED).split(",")) {
            if (!f.isBlank()) out.add(f.trim().toLowerCase(Locale.ROOT));
        }
        return out;
    }

    /** True when {@code features.disabled} lists {@code feature}. */
    public static boolean isDisabled(GatewayConfig config, String feature) {
        return disabled(config).contains(feature);
    }

    /** The configured profile. */
    public static HsmProfile profile(GatewayConfig config) {
        return HsmProfile.of(config.string(Setting.HSM_PROFILE));
    }

    /** The enabled features. */
    public static List<Feature> enabled(GatewayConfig config) {
        List<Feature> out = new ArrayList<>();
        for (Feature f : Feature.values()) {
            if (f.enabled(config)) out.add(f);
        }
        return out;
    }

    /** What the enabled features need from the HSM, for the start-up log: {@code posp.sign_on: A0 BU; ...}. */
    public static String needsOfEnabled(GatewayConfig config) {
        HsmProfile profile = profile(config);
        List<String> out = new ArrayList<>();
        for (Feature f : enabled(config)) {
            Set<String> commands = new LinkedHashSet<>();
            for (Need n : f.needs(profile)) commands.add(n.command());
            out.add(f.key() + ": " + String.join(" ", commands));
        }
        return String.join("; ", out);
    }

    /**
     * Why the gateway must not start with {@code config}'s profile and features, in one line, or
     * null when the profile serves every enabled feature.
     */
    public static String refusal(GatewayConfig config) {
        for (String f : disabled(config)) {
            if (!SWITCHABLE.contains(f)) {
                return Setting.FEATURES_DISABLED.key() + ": unknown feature '" + f + "' (any of " + String.join(", ",
                        new java.util.TreeSet<>(SWITCHABLE)) + ")";
            }
        }
        if (isDisabled(config, "kms") && config.integer(Setting.LOADER_PORT) != 0) {
            return Setting.LOADER_PORT.key() + " is set but the kms feature, which serves the key loader, is in "
                    + Setting.FEATURES_DISABLED.key() + ": set " + Setting.LOADER_PORT.key() + "=0";
        }
        HsmProfile profile = profile(config);
        for (Feature f : enabled(config)) {
            Need missing = f.missing(profile);
            if (missing != null) {
                return Setting.HSM_PROFILE.key() + "=" + profile.configName() + " cannot serve the feature " + f.key() + " ("
                        + f.description() + "): it needs " + missing.describe() + ", a posgate extension a payShield does not have;"
                        + " turn the feature off (" + f.switchOff() + ") or use " + Setting.HSM_PROFILE.key() + "=posgate";
            }
        }
        return null;
    }
}
