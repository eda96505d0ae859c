package dev.posgate.crypto;

import java.util.Arrays;

/**
 * Key check values of DES/TDES keys: the key encrypts eight zero bytes (DES for an 8-byte key,
 * TDES for 16/24) and the leftmost bytes are kept — 3 in payShield replies, 4 in UnionPay
 * field 62 and the TMS/KMS DF26 tag.
 */
public final class Kcv {
    private static final byte[] ZERO_BLOCK = new byte[8];

    private Kcv() {
    }

    /** The first {@code len} (1..8) bytes of E(key, 00..00). */
    public static byte[] of(byte[] key, int len) {
        if (len < 1 || len > 8) {
            throw new IllegalArgumentException("KCV length must be 1..8, got " + len);
        }
        return Arrays.copyOf(Tdes.encryptEcb(key, ZERO_BLOCK), len);
    }

    /** The payShield-style KCV: 6 uppercase hex digits (3 bytes). */
    public static String hex6(byte[] key) {
        return Hex.encode(of(key, 3));
    }
}
