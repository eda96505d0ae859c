package dev.posgate.crypto;

import java.util.Objects;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * AES (FIPS 197) in ECB and CBC mode, no padding: 16-, 24- or 32-byte keys, 16-byte blocks. Data
 * must be a multiple of 16 bytes (an empty array gives an empty result).
 *
 * <p>On BouncyCastle's lightweight {@link AESEngine}; each call keys a fresh engine (no shared
 * mutable state, thread-safe). Used by the TR-31 version D key blocks ({@link Tr31}) and the
 * AES key-block LMK ({@link ThalesKeyBlock}).
 */
public final class Aes {
    /** AES block length in bytes. */
    public static final int BLOCK = 16;

    private Aes() {
    }

    /** ECB encryption of {@code data} (a multiple of 16 bytes). */
    public static byte[] encryptEcb(byte[] key, byte[] data) {
        return BlockModes.ecb(engine(key, true), data);
    }

    /** CBC encryption with a 16-byte IV, no padding. */
    public static byte[] encryptCbc(byte[] key, byte[] iv, byte[] data) {
        BlockModes.checkIv(iv, BLOCK);
        return BlockModes.encryptCbc(engine(key, true)::processBlock, BLOCK, iv, data);
    }

    /** CBC decryption with a 16-byte IV, no padding. */
    public static byte[] decryptCbc(byte[] key, byte[] iv, byte[] data) {
        BlockModes.checkIv(iv, BLOCK);
        return BlockModes.decryptCbc(engine(key, false)::processBlock, BLOCK, iv, data);
    }

    /** True for the AES key lengths: 16, 24 or 32. */
    public static boolean isValidKeyLength(int len) {
        return len == 16 || len == 24 || len == 32;
    }

    /** A keyed BouncyCastle AES engine (fresh, not thread-safe itself). */
    static BlockCipher engine(byte[] key, boolean encrypt) {
        Objects.requireNonNull(key, "key");
        if (!isValidKeyLength(key.length)) {
            throw new IllegalArgumentException("AES key must be 16, 24 or 32 bytes, got " + key.length);
        }
        BlockCipher e = AESEngine.newInstance();
        e.init(encrypt, new KeyParameter(key));
        return e;
    }
}
