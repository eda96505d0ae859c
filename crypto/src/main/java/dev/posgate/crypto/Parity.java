package dev.posgate.crypto;

import java.util.Objects;

/** DES key parity: each byte's least significant bit makes the byte's bit count odd. */
public final class Parity {
    private Parity() {
    }

    /** A copy of {@code key} with every byte's low bit set for odd parity. */
    public static byte[] adjustOdd(byte[] key) {
        Objects.requireNonNull(key, "key");
        byte[] out = new byte[key.length];
        for (int i = 0; i < key.length; i++) {
            int b = key[i] & 0xFE;
            out[i] = (byte) (b | ((Integer.bitCount(b) & 1) ^ 1));
        }
        return out;
    }

    /** True if every byte of {@code key} has odd parity (vacuously true for an empty array). */
    public static boolean isOdd(byte[] key) {
        Objects.requireNonNull(key, "key");
        for (byte b : key) {
            if ((Integer.bitCount(b & 0xFF) & 1) == 0) {
                return false;
            }
        }
        return true;
    }
}
