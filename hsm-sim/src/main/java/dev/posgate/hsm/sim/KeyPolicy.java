package dev.posgate.hsm.sim;

import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.Wrapping;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** Which key types each operation accepts (docs/hsm-protocol.md, "Key type policy"). */
final class KeyPolicy {
    private KeyPolicy() {
    }

    /** Keys that travel between zones under a ZMK (A0 mode 1 flag 0, A6, A8 flag 0, GI). */
    static final Set<KeyType> UNDER_ZMK = EnumSet.of(KeyType.ZPK, KeyType.TMK, KeyType.TAK, KeyType.ZAK,
            KeyType.BDK, KeyType.ZEK, KeyType.DEK, KeyType.DMK);

    /** What may be exported/generated under each kind of key-encrypting key. */
    static final Map<Wrapping, Set<KeyType>> EXPORTABLE = Map.of(
            Wrapping.ZMK, UNDER_ZMK,
            Wrapping.TMK, EnumSet.of(KeyType.TMK, KeyType.TAK, KeyType.DEK),
            Wrapping.DMK, EnumSet.of(KeyType.DWK),
            Wrapping.DWK, EnumSet.of(KeyType.TMK, KeyType.DMK));

    /** Keys GI may import. */
    static final Set<KeyType> UNDER_RSA = EnumSet.of(KeyType.ZMK, KeyType.ZPK, KeyType.TMK, KeyType.TAK,
            KeyType.ZAK, KeyType.BDK, KeyType.ZEK, KeyType.DEK, KeyType.DMK);

    /**
     * M6/M8 keys. Not the DWK: it also wraps the TMS key message, so its data and MAC work is
     * only Z0/Z2 (authenticated download bodies) and ZS/ZU (TAC/SAC).
     */
    static final Set<KeyType> MAC = EnumSet.of(KeyType.TAK, KeyType.ZAK);

    /** UnionPay MAC keys. */
    static final Set<KeyType> UNIONPAY_MAC = EnumSet.of(KeyType.TAK, KeyType.ZAK);

    /** M0/M2 keys (not the DWK, see {@link #MAC}). */
    static final Set<KeyType> DATA = EnumSet.of(KeyType.ZEK, KeyType.DEK);

    /** PSAM working keys: PIK, MAK, TDK. */
    static final Set<KeyType> PSAM_WORKING = EnumSet.of(KeyType.TMK, KeyType.TAK, KeyType.DEK);

    /** Roles an SM4 key may have (WI, SV, WO): the terminal, zone and TMS keys. */
    static final Set<KeyType> SM4 = EnumSet.of(KeyType.ZMK, KeyType.ZPK, KeyType.TMK, KeyType.TAK, KeyType.ZAK,
            KeyType.ZEK, KeyType.DEK, KeyType.DMK, KeyType.DWK);

    /** What an SM4 key may be generated/imported/exported under (WI mode 1, SV, ST). */
    static final Map<Wrapping, Set<KeyType>> SM4_EXPORTABLE = Map.of(
            Wrapping.ZMK, EnumSet.of(KeyType.ZPK, KeyType.TMK, KeyType.TAK, KeyType.ZAK, KeyType.ZEK, KeyType.DEK,
                    KeyType.DMK),
            Wrapping.TMK, EnumSet.of(KeyType.TMK, KeyType.TAK, KeyType.DEK),
            // TMS (issue 17 item 4): the session DWK under the DMK; the key message under the DWK
            Wrapping.DMK, EnumSet.of(KeyType.DWK),
            Wrapping.DWK, EnumSet.of(KeyType.TMK, KeyType.DMK));

    /** SM4 MAC keys (Z4/Z6). */
    static final Set<KeyType> SM4_MAC = EnumSet.of(KeyType.TAK, KeyType.ZAK);

    /** Source keys of the SM4 PIN translation (Z8): the terminal PIK or a zone PIN key. */
    static final Set<KeyType> SM4_PIN_SOURCE = EnumSet.of(KeyType.TMK, KeyType.ZPK);
}
