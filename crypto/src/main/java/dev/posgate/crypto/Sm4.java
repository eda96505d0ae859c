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
        return ecb(engine(key, true), data);
    }

    /** ECB decryption of {@code data} (a multiple of 16 bytes) under a 16-byte key. */
    public static byte[] decryptEcb(byte[] key, byte[] data) {
        return ecb(engine(key, false), data);
    }

    /** CBC encryption with a 16-byte IV, no padding. */
    public static byte[] encryptCbc(byte[] key, byte[] iv, byte[] data) {
        checkIv(iv);
        BlockCipher e = engine(key, true);
        checkData(data);
        byte[] out = new byte[data.length];
        byte[] chain = iv.clone();
        for (int off = 0; off < data.length; off += BLOCK) {
            for (int i = 0; i < BLOCK; i++) {
                chain[i] ^= data[off + i];
            }
            e.processBlock(chain, 0, out, off);
            System.arraycopy(out, off, chain, 0, BLOCK);
        }
        return out;
    }

    /** CBC decryption with a 16-byte IV, no padding. */
    public static byte[] decryptCbc(byte[] key, byte[] iv, byte[] data) {
        checkIv(iv);
        BlockCipher d = engine(key, false);
        checkData(data);
        byte[] out = new byte[data.length];
        for (int off = 0; off < data.length; off += BLOCK) {
            d.processBlock(data, off, out, off);
            for (int i = 0; i < BLOCK; i++) {
                out[off + i] ^= off == 0 ? iv[i] : data[off - BLOCK + i];
            }
        }
        return out;
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

    private static byte[] ecb(BlockCipher e, byte[] data) {
        checkData(data);
        byte[] out = new byte[data.length];
        for (int off = 0; off < data.length; off += BLOCK) {
            e.processBlock(data, off, out, off);
        }
        return out;
    }

    private static void checkData(byte[] data) {
        Objects.requireNonNull(data, "data");
        if (data.length % BLOCK != 0) {
            throw new IllegalArgumentException("data length " + data.length + " is not a multiple of 16");
        }
    }

    private static void checkIv(byte[] iv) {
        Objects.requireNonNull(iv, "iv");
        if (iv.length != BLOCK) {
            throw new IllegalArgumentException("IV must be 16 bytes, got " + iv.length);
        }
    }
}
