package dev.posgate.crypto;

import java.util.Objects;

/** Hexadecimal encoding: uppercase on output, either case on input. */
public final class Hex {
    private static final char[] DIGITS = "0123456789ABCDEF".toCharArray();
    private static final byte[] VALUES = new byte[128];

    static {
        java.util.Arrays.fill(VALUES, (byte) -1);
        for (int i = 0; i < 10; i++) {
            VALUES['0' + i] = (byte) i;
        }
        for (int i = 0; i < 6; i++) {
            VALUES['A' + i] = (byte) (10 + i);
            VALUES['a' + i] = (byte) (10 + i);
        }
    }

    private Hex() {
    }

    /** Uppercase hex of all of {@code data}. */
    public static String encode(byte[] data) {
        Objects.requireNonNull(data, "data");
        return encode(data, 0, data.length);
    }

    /** Uppercase hex of {@code data[off, off+len)}. */
    public static String encode(byte[] data, int off, int len) {
        Objects.checkFromIndexSize(off, len, data.length);
        char[] out = new char[len * 2];
        for (int i = 0; i < len; i++) {
            int b = data[off + i] & 0xFF;
            out[2 * i] = DIGITS[b >>> 4];
            out[2 * i + 1] = DIGITS[b & 0x0F];
        }
        return new String(out);
    }

    /**
     * Decodes hex (upper or lower case, no separators).
     *
     * @throws IllegalArgumentException on odd length or a non-hex character
     */
    public static byte[] decode(CharSequence hex) {
        Objects.requireNonNull(hex, "hex");
        int n = hex.length();
        if ((n & 1) != 0) {
            throw new IllegalArgumentException("odd hex length " + n);
        }
        byte[] out = new byte[n / 2];
        for (int i = 0; i < n; i += 2) {
            out[i / 2] = (byte) ((nibble(hex, i) << 4) | nibble(hex, i + 1));
        }
        return out;
    }

    /** Uppercase hex as ASCII bytes (two bytes per input byte). */
    public static byte[] encodeAscii(byte[] data) {
        byte[] out = new byte[data.length * 2];
        for (int i = 0; i < data.length; i++) {
            int b = data[i] & 0xFF;
            out[2 * i] = (byte) DIGITS[b >>> 4];
            out[2 * i + 1] = (byte) DIGITS[b & 0x0F];
        }
        return out;
    }

    private static int nibble(CharSequence s, int i) {
        char c = s.charAt(i);
        int v = c < 128 ? VALUES[c] : -1;
        if (v < 0) {
            throw new IllegalArgumentException("non-hex character at index " + i);
        }
        return v;
    }
}
