package dev.posgate.crypto;

import java.util.Arrays;

/**
 * Key check values: the key encrypts one block of zero bytes and the leftmost bytes are kept —
 * 3 in payShield replies and displays, 4 in UnionPay field 62 and the TMS/KMS DF26 tag.
 * DES/TDES keys ({@link #of}) encrypt eight zero bytes (DES for an 8-byte key, TDES for 16/24);
 * SM4 keys ({@link #ofSm4}) encrypt sixteen (protocol.md section 5). A 16-byte key is TDES or
 * SM4 only by its type, so the caller chooses the method.
 */
public final class Kcv {
    private static final byte[] ZERO_BLOCK = new byte[8];
    private static final byte[] SM4_ZERO_BLOCK = new byte[Sm4.BLOCK];

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

    /** The first {@code len} (1..16) bytes of SM4-ECB(key, 16 zero bytes). */
    public static byte[] ofSm4(byte[] key16, int len) {
        if (len < 1 || len > Sm4.BLOCK) {
            throw new IllegalArgumentException("SM4 KCV length must be 1..16, got " + len);
        }
        return Arrays.copyOf(Sm4.encryptEcb(key16, SM4_ZERO_BLOCK), len);
    }

    /** The SM4 KCV shown on displays: 6 uppercase hex digits (3 bytes). */
    public static String hex6Sm4(byte[] key16) {
        return Hex.encode(ofSm4(key16, 3));
    }

    /**
     * The AES key check value of ANSI X9.24-1:2017 (the CMAC method): the first {@code len}
     * (1..16) bytes of AES-CMAC(key, 16 zero bytes). Reproduces the check values published with
     * TR-31:2018 A.7.4 and the payShield 10K version D blocks (Tr31Test); the plain
     * AES-ECB(key, 0) does not.
     */
    public static byte[] ofAes(byte[] key, int len) {
        if (len < 1 || len > Aes.BLOCK) {
            throw new IllegalArgumentException("AES KCV length must be 1..16, got " + len);
        }
        return Arrays.copyOf(Cmac.aes(key, new byte[Aes.BLOCK]), len);
    }
}
