package dev.posgate.hsm;

import dev.posgate.crypto.Hex;
import java.util.Arrays;
import java.util.Objects;

/**
 * A key check value as returned by the HSM: the leftmost 3 (payShield default), 4 (extension
 * commands) or 8 bytes (KCV type 0) of the key encrypting eight zero bytes. Use {@link #first}
 * to cut it to what a protocol field needs (4 bytes for UnionPay field 62 and DF26).
 */
public final class Kcv {
    private final byte[] value;

    private Kcv(byte[] value) {
        this.value = value;
    }

    public static Kcv of(byte[] value) {
        Objects.requireNonNull(value, "value");
        if (value.length < 1 || value.length > 8) {
            throw new IllegalArgumentException("KCV must be 1..8 bytes");
        }
        return new Kcv(value.clone());
    }

    public static Kcv ofHex(String hex) {
        return of(Hex.decode(hex));
    }

    public byte[] bytes() {
        return value.clone();
    }

    public int length() {
        return value.length;
    }

    /** The first {@code n} bytes. */
    public byte[] first(int n) {
        if (n < 1 || n > value.length) {
            throw new IllegalArgumentException("KCV has " + value.length + " bytes, asked for " + n);
        }
        return Arrays.copyOf(value, n);
    }

    public String hex() {
        return Hex.encode(value);
    }

    /**
     * The form kept with a stored key: the first 4 bytes in hex, as UnionPay field 62 and the
     * TMS/KMS DF26 tag carry it (its first 6 hex digits are payShield's KCV); a KCV the HSM gave
     * in payShield's 3-byte form stays 3 bytes. Compare stored KCVs with {@link #matches}.
     */
    public String storedHex() {
        return Hex.encode(first(Math.min(STORED_BYTES, value.length)));
    }

    /** Bytes of the stored KCV form. */
    public static final int STORED_BYTES = 4;

    /** True if {@code other} agrees with this KCV on their common leading bytes (min 3). */
    public boolean matches(Kcv other) {
        int n = Math.min(value.length, other.value.length);
        return n >= 3 && Arrays.equals(Arrays.copyOf(value, n), Arrays.copyOf(other.value, n));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Kcv && Arrays.equals(((Kcv) o).value, value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "Kcv[" + hex() + "]";
    }
}
