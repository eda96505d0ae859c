package dev.posgate.crypto;

import java.util.Objects;

/**
 * DES / TDES (FIPS 46-3, NIST SP 800-67) in ECB and CBC mode, no padding.
 *
 * <p>The key length selects the algorithm: 8 bytes = single DES, 16 bytes = double-length TDES
 * (K1,K2,K1), 24 bytes = triple-length TDES (K1,K2,K3). Parity bits are ignored, as DES does.
 * Data must be a multiple of 8 bytes (an empty array gives an empty result).
 *
 * <p>Implemented on BouncyCastle's lightweight DES engine (its round function and key-schedule
 * format) with a table-driven key schedule derived from BouncyCastle's at start-up (see
 * {@code DesCore}): no JCA provider lookup, no shared mutable state, thread-safe.
 */
public final class Tdes {
    /** DES block size in bytes. */
    public static final int BLOCK = 8;

    private Tdes() {
    }

    /** ECB encryption of {@code data} (a multiple of 8 bytes) under an 8/16/24-byte key. */
    public static byte[] encryptEcb(byte[] key, byte[] data) {
        return ecb(DesCore.of(key, true), data);
    }

    /** ECB decryption of {@code data} (a multiple of 8 bytes) under an 8/16/24-byte key. */
    public static byte[] decryptEcb(byte[] key, byte[] data) {
        return ecb(DesCore.of(key, false), data);
    }

    /** CBC encryption with an 8-byte IV, no padding. */
    public static byte[] encryptCbc(byte[] key, byte[] iv, byte[] data) {
        checkIv(iv);
        DesCore e = DesCore.of(key, true);
        checkData(data);
        byte[] out = new byte[data.length];
        byte[] chain = iv.clone();
        for (int off = 0; off < data.length; off += BLOCK) {
            for (int i = 0; i < BLOCK; i++) {
                chain[i] ^= data[off + i];
            }
            e.block(chain, 0, out, off);
            System.arraycopy(out, off, chain, 0, BLOCK);
        }
        return out;
    }

    /** CBC decryption with an 8-byte IV, no padding. */
    public static byte[] decryptCbc(byte[] key, byte[] iv, byte[] data) {
        checkIv(iv);
        DesCore e = DesCore.of(key, false);
        checkData(data);
        byte[] out = new byte[data.length];
        for (int off = 0; off < data.length; off += BLOCK) {
            e.block(data, off, out, off);
            if (off == 0) {
                for (int i = 0; i < BLOCK; i++) {
                    out[i] ^= iv[i];
                }
            } else {
                for (int i = 0; i < BLOCK; i++) {
                    out[off + i] ^= data[off - BLOCK + i];
                }
            }
        }
        return out;
    }

    /** True for the key lengths this class accepts: 8, 16 or 24. */
    public static boolean isValidKeyLength(int len) {
        return len == 8 || len == 16 || len == 24;
    }

    private static byte[] ecb(DesCore e, byte[] data) {
        checkData(data);
        byte[] out = new byte[data.length];
        for (int off = 0; off < data.length; off += BLOCK) {
            e.block(data, off, out, off);
        }
        return out;
    }

    private static void checkData(byte[] data) {
        Objects.requireNonNull(data, "data");
        if (data.length % BLOCK != 0) {
            throw new IllegalArgumentException("data length " + data.length + " is not a multiple of 8");
        }
    }

    private static void checkIv(byte[] iv) {
        Objects.requireNonNull(iv, "iv");
        if (iv.length != BLOCK) {
            throw new IllegalArgumentException("IV must be 8 bytes, got " + iv.length);
        }
    }
}
