package dev.posgate.hsm;

import java.util.Locale;
import java.util.Set;

/**
 * Which host commands and layouts the HSM behind {@link RemoteHsm} speaks (docs/hsm-protocol.md,
 * "HSM profiles"; issue 16).
 * <ul>
 *   <li>{@link #POSGATE}: posgate's layouts and extensions ({@code Z*}, the SM commands, key types
 *       {@code 00E}..{@code 40E}, ZMK/TMK flags {@code 2}/{@code 3}): the software HSM, or an HSM
 *       with custom firmware. A0/A6/A8 ask for 16-hex check values with posgate's trailing groups.</li>
 *   <li>{@link #PAYSHIELD}: standard payShield host commands only, in the layouts of the public
 *       manual pages and peer encoders: no trailing check-value groups on A0/A6/A8 (their 6-hex
 *       default check values), BU in the key-type-code form with the standard {@code ;00} group
 *       for the 16-hex check value, A6's {@code 01} a warning. {@link RemoteHsm} never sends a
 *       command outside {@link #standardCommands()} in this profile: it fails locally with
 *       {@link HsmErrors#COMMAND_DISABLED}.</li>
 * </ul>
 */
public enum HsmProfile {
    POSGATE,
    PAYSHIELD;

    /**
     * The payShield host commands the client sends in the {@link #PAYSHIELD} profile. GI is absent
     * on purpose: its layout here is posgate's; payShield's is only reconstructed from peer encoders,
     * with open points (docs/hsm-protocol.md section 3, "payShield's GI"), and the gateway does not
     * use GI.
     */
    private static final Set<String> STANDARD = Set.of("NC", "A0", "A6", "A8", "BU", "CA", "CC", "M6", "M8", "M0", "M2", "EI");

    /** The commands a payShield serves as posgate sends them. */
    public static Set<String> standardCommands() {
        return STANDARD;
    }

    /** The configuration word: {@code posgate} or {@code payshield}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The profile of a configuration word (any case). */
    public static HsmProfile of(String name) {
        for (HsmProfile p : values()) {
            if (p.configName().equalsIgnoreCase(name.trim())) return p;
        }
        throw new IllegalArgumentException("unknown HSM profile '" + name + "' (posgate or payshield)");
    }

    /** True when an HSM of this profile serves {@code command} (a 2-character code). */
    public boolean serves(String command) {
        return this == POSGATE || STANDARD.contains(command);
    }

    /** True for the profile that writes the public payShield layouts. */
    public boolean standardLayouts() {
        return this == PAYSHIELD;
    }
}
