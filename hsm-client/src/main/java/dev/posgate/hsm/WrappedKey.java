package dev.posgate.hsm;

import dev.posgate.crypto.Hex;
import java.util.Arrays;
import java.util.Objects;

/**
 * A key encrypted under a key-encrypting key other than the LMK (ZMK, TMK, TEK, DMK, DWK, PSAM
 * card key): scheme Z, X or Y and the TDES-ECB cryptogram. {@link #cryptogram()} is what goes on
 * the terminal wire (field 62, DF14, DF25, DF42). {@link #toString()} prints a fingerprint only.
 */
public final class WrappedKey {
    private final KeyScheme scheme;
    private final byte[] cryptogram;

    private WrappedKey(KeyScheme scheme, byte[] cryptogram) {
        this.scheme = scheme;
        this.cryptogram = cryptogram;
    }

    /** A key of {@code scheme} (Z, X or Y) with the given cryptogram (copied). */
    public static WrappedKey of(KeyScheme scheme, byte[] cryptogram) {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(cryptogram, "cryptogram");
        if (!scheme.isKekScheme()) {
            throw new IllegalArgumentException("not a KEK key scheme: " + scheme);
        }
        if (cryptogram.length != scheme.keyLength()) {
            throw new IllegalArgumentException("scheme " + scheme + " needs " + scheme.keyLength()
                    + " bytes, got " + cryptogram.length);
        }
        return new WrappedKey(scheme, cryptogram.clone());
    }

    /** A key from its raw ECB cryptogram (8, 16 or 24 bytes); the scheme follows from the length. */
    public static WrappedKey ofCryptogram(byte[] cryptogram) {
        return of(KeyScheme.kekSchemeFor(cryptogram.length), cryptogram);
    }

    /** Parses {@code Z|X|Y} + hex, or a bare 16-hex single-length key. */
    public static WrappedKey parse(String wire) {
        Objects.requireNonNull(wire, "wire");
        if (wire.length() == 16) {
            return of(KeyScheme.Z, Hex.decode(wire));
        }
        if (wire.isEmpty()) {
            throw new IllegalArgumentException("empty key");
        }
        KeyScheme s = KeyScheme.ofTag(Character.toUpperCase(wire.charAt(0)));
        if (s == null || !s.isKekScheme()) {
            throw new IllegalArgumentException("not a KEK key scheme tag: " + wire.charAt(0));
        }
        return of(s, Hex.decode(wire.substring(1)));
    }

    public KeyScheme scheme() {
        return scheme;
    }

    /** The encrypted key bytes (copy). */
    public byte[] cryptogram() {
        return cryptogram.clone();
    }

    public int length() {
        return cryptogram.length;
    }

    public String toWire() {
        return scheme.tag() + Hex.encode(cryptogram);
    }

    public String fingerprint() {
        return Fingerprints.of(cryptogram);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WrappedKey && ((WrappedKey) o).scheme == scheme
                && Arrays.equals(((WrappedKey) o).cryptogram, cryptogram);
    }

    @Override
    public int hashCode() {
        return 31 * scheme.hashCode() + Arrays.hashCode(cryptogram);
    }

    @Override
    public String toString() {
        return "WrappedKey[" + scheme + " fp=" + fingerprint() + "]";
    }
}
