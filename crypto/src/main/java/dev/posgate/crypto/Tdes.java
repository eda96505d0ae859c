package dev.posgate.crypto;


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
        return BlockModes.ecb(DesCore.of(key, true)::block, BLOCK, data);
    }

    /** ECB decryption of {@code data} (a multiple of 8 bytes) under an 8/16/24-byte key. */
    public static byte[] decryptEcb(byte[] key, byte[] data) {
        return BlockModes.ecb(DesCore.of(key, false)::block, BLOCK, data);
    }

    /** CBC encryption with an 8-byte IV, no padding. */
    public static byte[] encryptCbc(byte[] key, byte[] iv, byte[] data) {
        BlockModes.checkIv(iv, BLOCK);
        return BlockModes.encryptCbc(DesCore.of(key, true)::block, BLOCK, iv, data);
    }

    /** CBC decryption with an 8-byte IV, no padding. */
    public static byte[] decryptCbc(byte[] key, byte[] iv, byte[] data) {
        BlockModes.checkIv(iv, BLOCK);
        return BlockModes.decryptCbc(DesCore.of(key, false)::block, BLOCK, iv, data);
    }

    /** True for the key lengths this class accepts: 8, 16 or 24. */
    public static boolean isValidKeyLength(int len) {
        return len == 8 || len == 16 || len == 24;
    }
}
