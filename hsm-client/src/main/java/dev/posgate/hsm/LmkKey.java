package dev.posgate.hsm;

import dev.posgate.crypto.Hex;
import java.util.Arrays;
import java.util.Objects;

/**
 * A DES/TDES key encrypted under the HSM's LMK: its scheme (Z, U or T) and cryptogram. This is
 * the only form in which the gateway holds symmetric keys; it is safe to store and log, but
 * {@link #toString()} still prints only a short fingerprint.
 *
 * <p>Wire form ({@link #toWire()}, {@link #parse}): scheme tag followed by the hex cryptogram,
 * e.g. {@code U} + 32 hex. A bare 16-hex value is accepted as a single-length (Z) key.
 */
public final class LmkKey {
    private final KeyScheme scheme;
    private final byte[] cryptogram;

    private LmkKey(KeyScheme scheme, byte[] cryptogram) {
        this.scheme = scheme;
        this.cryptogram = cryptogram;
    }

    /** A key of {@code scheme} (Z, U or T) with the given cryptogram (copied). */
    public static LmkKey of(KeyScheme scheme, byte[] cryptogram) {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(cryptogram, "cryptogram");
        if (!scheme.isLmkScheme()) {
            throw new IllegalArgumentException("not an LMK key scheme: " + scheme);
        }
        if (cryptogram.length != scheme.keyLength()) {
            throw new IllegalArgumentException("scheme " + scheme + " needs " + scheme.keyLength()
                    + " bytes, got " + cryptogram.length);
        }
        return new LmkKey(scheme, cryptogram.clone());
    }

    /** Parses the wire form: {@code Z|U|T} + hex, or a bare 16-hex single-length key. */
    public static LmkKey parse(String wire) {
        Objects.requireNonNull(wire, "wire");
        if (wire.length() == 16) {
            return of(KeyScheme.Z, Hex.decode(wire));
        }
        if (wire.isEmpty()) {
            throw new IllegalArgumentException("empty key");
        }
        KeyScheme s = KeyScheme.ofTag(Character.toUpperCase(wire.charAt(0)));
        if (s == null || !s.isLmkScheme()) {
            throw new IllegalArgumentException("not an LMK key scheme tag: " + wire.charAt(0));
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

    /** Key length in bytes: 8, 16 or 24. */
    public int length() {
        return cryptogram.length;
    }

    /** Scheme tag + uppercase hex, e.g. {@code U1A2B...}: the form stored in the database. */
    public String toWire() {
        return scheme.tag() + Hex.encode(cryptogram);
    }

    /** 8 hex characters identifying this cryptogram (SHA-256 based, not reversible). */
    public String fingerprint() {
        return Fingerprints.of(cryptogram);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LmkKey && ((LmkKey) o).scheme == scheme
                && Arrays.equals(((LmkKey) o).cryptogram, cryptogram);
    }

    @Override
    public int hashCode() {
        return 31 * scheme.hashCode() + Arrays.hashCode(cryptogram);
    }

    @Override
    public String toString() {
        return "LmkKey[" + scheme + " fp=" + fingerprint() + "]";
    }
}
