package dev.posgate.crypto;

import java.util.Objects;
import org.bouncycastle.crypto.BlockCipher;

/**
 * The ECB and CBC plumbing (no padding) shared by {@link Aes}, {@link Sm4} and {@link Tdes}: each
 * of them keys its block function and hands it here with its block length. A block function is
 * a BouncyCastle {@link BlockCipher} ({@code cipher::processBlock}) or {@code DesCore::block}.
 * Data must be a multiple of the block length (an empty array gives an empty result).
 */
final class BlockModes {
    /** One keyed block encryption or decryption; {@code in} and {@code out} may be the same array. */
    @FunctionalInterface
    interface BlockFunction {
        void block(byte[] in, int inOff, byte[] out, int outOff);
    }

    private BlockModes() {
    }

    /** ECB of {@code data} under a keyed BouncyCastle block cipher. */
    static byte[] ecb(BlockCipher cipher, byte[] data) {
        return ecb(cipher::processBlock, cipher.getBlockSize(), data);
    }

    /** ECB of {@code data} (a multiple of {@code block} bytes). */
    static byte[] ecb(BlockFunction f, int block, byte[] data) {
        checkData(data, block);
        byte[] out = new byte[data.length];
        for (int off = 0; off < data.length; off += block) {
            f.block(data, off, out, off);
        }
        return out;
    }

    /** CBC encryption with a {@code block}-byte IV, no padding; {@code f} keyed to encrypt. */
    static byte[] encryptCbc(BlockFunction f, int block, byte[] iv, byte[] data) {
        checkIv(iv, block);
        checkData(data, block);
        byte[] out = new byte[data.length];
        byte[] chain = iv.clone();
        for (int off = 0; off < data.length; off += block) {
            for (int i = 0; i < block; i++) {
                chain[i] ^= data[off + i];
            }
            f.block(chain, 0, out, off);
            System.arraycopy(out, off, chain, 0, block);
        }
        return out;
    }

    /** CBC decryption with a {@code block}-byte IV, no padding; {@code f} keyed to decrypt. */
    static byte[] decryptCbc(BlockFunction f, int block, byte[] iv, byte[] data) {
        checkIv(iv, block);
        checkData(data, block);
        byte[] out = new byte[data.length];
        for (int off = 0; off < data.length; off += block) {
            f.block(data, off, out, off);
            for (int i = 0; i < block; i++) {
                out[off + i] ^= off == 0 ? iv[i] : data[off - block + i];
            }
        }
        return out;
    }

    /** Checks an IV before keying, so a bad IV is reported first as it always was. */
    static void checkIv(byte[] iv, int block) {
        Objects.requireNonNull(iv, "iv");
        if (iv.length != block) {
            throw new IllegalArgumentException("IV must be " + block + " bytes, got " + iv.length);
        }
    }

    private static void checkData(byte[] data, int block) {
        Objects.requireNonNull(data, "data");
        if (data.length % block != 0) {
            throw new IllegalArgumentException(
                    "data length " + data.length + " is not a multiple of " + block);
        }
    }
}
