package dev.posgate.crypto;

import java.util.Arrays;
import java.util.Objects;

/**
 * Block padding (ISO/IEC 9797-1 methods 1, 2, 3) to a multiple of the cipher's block length:
 * 8 bytes for DES/TDES (the overloads without a block length), 16 for SM4 ({@link Sm4#BLOCK}).
 */
public final class Padding {
    /** The DES/TDES block length, used by the overloads without a block length. */
    private static final int DES_BLOCK = 8;

    private Padding() {
    }

    /**
     * ISO 9797-1 padding method 1 / ANSI X9.9 zero padding: append as few {@code 00} bytes as
     * needed (possibly none) to reach a <em>positive</em> multiple of 8. Input already a multiple
     * of 8 is returned as a copy, unchanged; <strong>empty input becomes one block of eight zero
     * bytes</strong> (ISO 9797-1 requires at least one block, and a CBC-MAC of nothing is undefined).
     */
    public static byte[] zeroPad(byte[] data) {
        return zeroPad(data, DES_BLOCK);
    }

    /** {@link #zeroPad(byte[])} to a positive multiple of {@code block} (8 or 16). */
    public static byte[] zeroPad(byte[] data, int block) {
        Objects.requireNonNull(data, "data");
        checkBlock(block);
        int len = data.length == 0 ? block : (data.length + block - 1) / block * block;
        return Arrays.copyOf(data, len);
    }

    /**
     * ISO 9797-1 padding method 2 (also ISO 7816-4): append {@code 80}, then as few {@code 00}
     * as needed to reach a multiple of 8. Always adds 1..8 bytes; empty input becomes
     * {@code 80 00 00 00 00 00 00 00}.
     */
    public static byte[] iso9797Method2(byte[] data) {
        return iso9797Method2(data, DES_BLOCK);
    }

    /** {@link #iso9797Method2(byte[])} to a multiple of {@code block} (8 or 16): adds 1..block bytes. */
    public static byte[] iso9797Method2(byte[] data, int block) {
        Objects.requireNonNull(data, "data");
        checkBlock(block);
        byte[] out = Arrays.copyOf(data, (data.length / block + 1) * block);
        out[data.length] = (byte) 0x80;
        return out;
    }

    /**
     * Strict inverse of {@link #iso9797Method2}: the input must be a non-empty multiple of 8 whose
     * last non-zero byte is {@code 80} within the final block.
     *
     * @throws IllegalArgumentException if the padding is malformed
     */
    public static byte[] unpadIso9797Method2(byte[] padded) {
        return unpadIso9797Method2(padded, DES_BLOCK);
    }

    /** Strict inverse of {@link #iso9797Method2(byte[], int)} for blocks of {@code block} bytes. */
    public static byte[] unpadIso9797Method2(byte[] padded, int block) {
        Objects.requireNonNull(padded, "padded");
        checkBlock(block);
        if (padded.length == 0 || padded.length % block != 0) {
            throw new IllegalArgumentException("padded length " + padded.length + " is not a positive multiple of "
                    + block);
        }
        int i = padded.length - 1;
        int limit = padded.length - block;
        while (i >= limit && padded[i] == 0) {
            i--;
        }
        if (i < limit || padded[i] != (byte) 0x80) {
            throw new IllegalArgumentException("bad ISO 9797-1 method 2 padding");
        }
        return Arrays.copyOf(padded, i);
    }

    /**
     * ISO 9797-1 padding method 3: a leading 8-byte block holding the bit length of the data
     * (big-endian), then the data right-padded with as few {@code 00} as needed (possibly none,
     * so empty data gives just the length block).
     */
    public static byte[] iso9797Method3(byte[] data) {
        return iso9797Method3(data, DES_BLOCK);
    }

    /**
     * {@link #iso9797Method3(byte[])} for blocks of {@code block} bytes: the length block is one
     * cipher block wide, the bit length right-aligned in it (ISO 9797-1: "the binary
     * representation of L_D, left-padded with zeros to n bits").
     */
    public static byte[] iso9797Method3(byte[] data, int block) {
        Objects.requireNonNull(data, "data");
        checkBlock(block);
        byte[] out = new byte[block + (data.length + block - 1) / block * block];
        long bits = (long) data.length * 8;
        for (int i = 0; i < 8; i++) {
            out[block - 1 - i] = (byte) (bits >>> (8 * i));
        }
        System.arraycopy(data, 0, out, block, data.length);
        return out;
    }

    private static void checkBlock(int block) {
        if (block != 8 && block != 16) {
            throw new IllegalArgumentException("block length must be 8 or 16, got " + block);
        }
    }
}
