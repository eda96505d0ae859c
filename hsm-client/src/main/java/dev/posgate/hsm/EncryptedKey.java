package dev.posgate.hsm;

import dev.posgate.crypto.Hex;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * A DES/TDES or SM4 key as a scheme plus a cryptogram, never clear: the common part of {@link LmkKey}
 * (under the LMK) and {@link WrappedKey} (under another key-encrypting key). The two stay
 * distinct types so that one cannot be passed where the other is meant.
 */
abstract class EncryptedKey {
    private final KeyScheme scheme;
    private final byte[] cryptogram;

    EncryptedKey(KeyScheme scheme, byte[] cryptogram, Predicate<KeyScheme> allowed, String kind) {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(cryptogram, "cryptogram");
        if (!allowed.test(scheme)) {
            throw new IllegalArgumentException("not " + kind + " key scheme: " + scheme);
        }
        if (cryptogram.length != scheme.keyLength()) {
            throw new IllegalArgumentException("scheme " + scheme + " needs " + scheme.keyLength()
                    + " bytes, got " + cryptogram.length);
        }
        this.scheme = scheme;
        this.cryptogram = cryptogram.clone();
    }

    /** Parses {@code tag + hex}, or a bare 16-hex single-length (Z) key. */
    static <K> K parse(String wire, Predicate<KeyScheme> allowed, String kind, BiFunction<KeyScheme, byte[], K> of) {
        Objects.requireNonNull(wire, "wire");
        if (wire.length() == 16) {
            return of.apply(KeyScheme.Z, Hex.decode(wire));
        }
        if (wire.isEmpty()) {
            throw new IllegalArgumentException("empty key");
        }
        KeyScheme s = KeyScheme.ofTag(Character.toUpperCase(wire.charAt(0)));
        if (s == null || !allowed.test(s)) {
            throw new IllegalArgumentException("not " + kind + " key scheme tag: " + wire.charAt(0));
        }
        return of.apply(s, Hex.decode(wire.substring(1)));
    }

    public KeyScheme scheme() {
        return scheme;
    }

    /** TDES or SM4, from the scheme tag. */
    public KeyAlgorithm algorithm() {
        return scheme.algorithm();
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
        return o != null && o.getClass() == getClass() && ((EncryptedKey) o).scheme == scheme
                && Arrays.equals(((EncryptedKey) o).cryptogram, cryptogram);
    }

    @Override
    public int hashCode() {
        return 31 * scheme.hashCode() + Arrays.hashCode(cryptogram);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + scheme + " fp=" + fingerprint() + "]";
    }
}
