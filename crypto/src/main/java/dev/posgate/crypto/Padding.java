package dev.posgate.crypto;

import java.util.Arrays;
import java.util.Objects;

/** Block padding to a multiple of 8 bytes (ISO/IEC 9797-1 methods 1, 2, 3). */
public final class Padding {
    private Padding() {
    }

    /**
     * ISO 9797-1 padding method 1 / ANSI X9.9 zero padding: append as few {@code 00} bytes as
     * needed (possibly none) to reach a <em>positive</em> multiple of 8. Input already a multiple
     * of 8 is returned as a copy, unchanged; <strong>empty input becomes one block of eight zero
     * bytes</strong> (ISO 9797-1 requires at least one block, and a CBC-MAC of nothing is undefined).
     */
    public static byte[] zeroPad(byte[] data) {
        Objects.requireNonNull(data, "data");
        int len = data.length == 0 ? 8 : (data.length + 7) & ~7;
        return Arrays.copyOf(data, len);
    }

    /**
     * ISO 9797-1 padding method 2 (also ISO 7816-4): append {@code 80}, then as few {@code 00}
     * as needed to reach a multiple of 8. Always adds 1..8 bytes; empty input becomes
     * {@code 80 00 00 00 00 00 00 00}.
     */
    public static byte[] iso9797Method2(byte[] data) {
        Objects.requireNonNull(data, "data");
        byte[] out = Arrays.copyOf(data, (data.length + 8) & ~7);
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
        Objects.requireNonNull(padded, "padded");
        if (padded.length == 0 || padded.length % 8 != 0) {
            throw new IllegalArgumentException("padded length " + padded.length + " is not a positive multiple of 8");
        }
        int i = padded.length - 1;
        int limit = padded.length - 8;
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
        Objects.requireNonNull(data, "data");
        byte[] out = new byte[8 + ((data.length + 7) & ~7)];
        long bits = (long) data.length * 8;
        for (int i = 0; i < 8; i++) {
            out[7 - i] = (byte) (bits >>> (8 * i));
        }
        System.arraycopy(data, 0, out, 8, data.length);
        return out;
    }
}
