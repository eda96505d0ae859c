package dev.posgate.hsm;

import dev.posgate.crypto.PaddingMethod;

/**
 * The SM4 MACs of the Z4/Z6 commands (docs/national-crypto.md for the layouts), by their
 * 1-character algorithm code.
 */
public enum Sm4MacAlgorithm {
    /** UnionPay SM4 POS MAC: 8 ASCII hex characters, the bytes of field 64. */
    UNIONPAY_POS('1', null, 8),
    /** ISO 9797-1 MAC algorithm 1 with SM4, zero IV, padding method 1 (zeros); 16 bytes. */
    CBC_MAC_PADDING_1('2', PaddingMethod.METHOD_1, 16),
    /** The same with padding method 2 ({@code 80 00..}); 16 bytes. */
    CBC_MAC_PADDING_2('3', PaddingMethod.METHOD_2, 16);

    private final char code;
    private final PaddingMethod padding;
    private final int macLength;

    Sm4MacAlgorithm(char code, PaddingMethod padding, int macLength) {
        this.code = code;
        this.padding = padding;
        this.macLength = macLength;
    }

    public char code() {
        return code;
    }

    /** The CBC-MAC padding; null for the UnionPay MAC, which zero-pads and XORs. */
    public PaddingMethod padding() {
        return padding;
    }

    /** Bytes of the full MAC: 8 (UnionPay, ASCII) or 16 (CBC-MAC). */
    public int macLength() {
        return macLength;
    }

    public boolean isCbcMac() {
        return padding != null;
    }

    public static Sm4MacAlgorithm ofCode(char code) {
        for (Sm4MacAlgorithm a : values()) {
            if (a.code == code) {
                return a;
            }
        }
        return null;
    }
}
