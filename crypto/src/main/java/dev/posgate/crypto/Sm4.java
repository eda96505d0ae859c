package dev.posgate.crypto;

import java.util.Objects;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * SM4 (GB/T 32907-2016, GM/T 0002-2012) in ECB and CBC mode, no padding: 16-byte keys, 16-byte
 * blocks. Data must be a multiple of 16 bytes (an empty array gives an empty result); pad it
 * first with {@link Padding} / {@link PaddingMethod} at block length {@link #BLOCK}.
 *
 * <p>On BouncyCastle's {@link SM4Engine}. Unlike DES (see {@code DesCore}) SM4's key schedule is
 * 32 word-sized S-box rounds, as cheap as one block, so each call keys a fresh engine: no shared
 * mutable state, thread-safe.
 */
public final class Sm4 {
    /** SM4 block length in bytes. */
    public static final int BLOCK = 16;
    /** SM4 key length in bytes. */
    public static final int KEY = 16;

    private Sm4() {
    }

    /** ECB encryption of {@code data} (a multiple of 16 bytes) under a 16-byte key. */
    public static byte[] encryptEcb(byte[] key, byte[] data) {
        return BlockModes.ecb(engine(key, true), data);
    }

    /** ECB decryption of {@code data} (a multiple of 16 bytes) under a 16-byte key. */
    public static byte[] decryptEcb(byte[] key, byte[] data) {
        return BlockModes.ecb(engine(key, false), data);
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

    /**
     * A keyed SM4 block function (one key schedule), for the MACs of this package and for callers
     * that chain many blocks under one key. Not thread-safe; use it from one thread.
     */
    static BlockCipher engine(byte[] key, boolean encrypt) {
        Objects.requireNonNull(key, "key");
        if (key.length != KEY) {
            throw new IllegalArgumentException("SM4 key must be 16 bytes, got " + key.length);
        }
        SM4Engine e = new SM4Engine();
        e.init(encrypt, new KeyParameter(key));
        return e;
    }
}
