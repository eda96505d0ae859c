package dev.posgate.hsm;

/**
 * Key types, by their payShield 3-character key type code. The last two characters select the
 * LMK pair, the first the variant (see docs/hsm-protocol.md, "Key types").
 *
 * <p>Codes {@code 000}..{@code 00B} are payShield's. Codes ending in {@code E} (LMK pair 38-39,
 * variants 0..4) are posgate extensions for keys payShield has no variant type for: the
 * transmission key halves of the K-flow (TEK, AUK), the TMS download keys (DMK, DWK) and the
 * PSAM root key. Domain aliases: {@link #TPK}, {@link #PIK} and {@link #PVK} are {@link #TMK}
 * (payShield type 002); {@link #MAK} is {@link #TAK}; {@link #TDK} is {@link #DEK}.
 */
public enum KeyType {
    /** Zone master key (payShield 000, LMK 04-05). */
    ZMK("000", false),
    /** Zone PIN key (payShield 001, LMK 06-07). */
    ZPK("001", false),
    /** Terminal master key; also TPK/PIK and PVK (payShield 002, LMK 14-15). */
    TMK("002", false),
    /** Terminal authentication key, the terminal MAK (payShield 003, LMK 16-17). */
    TAK("003", false),
    /** Zone authentication key (payShield 008, LMK 26-27). */
    ZAK("008", false),
    /** Base derivation key (payShield 009, LMK 28-29). */
    BDK("009", false),
    /** Zone encryption key (payShield 00A, LMK 30-31). */
    ZEK("00A", false),
    /** Data encryption key; the terminal track data key TDK (payShield 00B, LMK 32-33). */
    DEK("00B", false),
    /** K-flow transmission encryption key (extension 00E, LMK 38-39 variant 0). */
    TEK("00E", true),
    /** K-flow authentication key (extension 10E, LMK 38-39 variant 1). */
    AUK("10E", true),
    /** TMS download master key (extension 20E, LMK 38-39 variant 2). */
    DMK("20E", true),
    /** TMS download work key / session key (extension 30E, LMK 38-39 variant 3). */
    DWK("30E", true),
    /** PSAM issuer root key, diversified per card (extension 40E, LMK 38-39 variant 4). */
    PSAM_ROOT("40E", true);

    /** PIN encryption key of a terminal: payShield TPK, type 002. */
    public static final KeyType TPK = TMK;
    /** Domain name of the terminal PIN key. */
    public static final KeyType PIK = TMK;
    /** PIN verification key, type 002. */
    public static final KeyType PVK = TMK;
    /** Domain name of the terminal MAC key. */
    public static final KeyType MAK = TAK;
    /** Track data key of a terminal. */
    public static final KeyType TDK = DEK;

    private final String code;
    private final boolean extension;

    KeyType(String code, boolean extension) {
        this.code = code;
        this.extension = extension;
    }

    /** The 3-character key type code. */
    public String code() {
        return code;
    }

    /** True for posgate extension codes (not payShield's). */
    public boolean isExtension() {
        return extension;
    }

    /** The type for a 3-character code (case-insensitive), or null if unknown. */
    public static KeyType ofCode(String code) {
        if (code == null || code.length() != 3) {
            return null;
        }
        for (KeyType t : values()) {
            if (t.code.equalsIgnoreCase(code)) {
                return t;
            }
        }
        return null;
    }
}
