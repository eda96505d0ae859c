package dev.posgate.hsm;

/**
 * A key encrypted under a key-encrypting key other than the LMK (ZMK, TMK, TEK, DMK, DWK, PSAM
 * card key): scheme Z, X or Y and the TDES-ECB cryptogram. {@link #cryptogram()} is what goes on
 * the terminal wire (field 62, DF14, DF25, DF42). {@link #toString()} prints a fingerprint only.
 */
public final class WrappedKey extends EncryptedKey {

    private WrappedKey(KeyScheme scheme, byte[] cryptogram) {
        super(scheme, cryptogram, KeyScheme::isKekScheme, "a KEK");
    }

    /** A key of {@code scheme} (Z, X or Y) with the given cryptogram (copied). */
    public static WrappedKey of(KeyScheme scheme, byte[] cryptogram) {
        return new WrappedKey(scheme, cryptogram);
    }

    /** A key from its raw ECB cryptogram (8, 16 or 24 bytes); the scheme follows from the length. */
    public static WrappedKey ofCryptogram(byte[] cryptogram) {
        return of(KeyScheme.kekSchemeFor(cryptogram.length), cryptogram);
    }

    /** Parses {@code Z|X|Y} + hex, or a bare 16-hex single-length key. */
    public static WrappedKey parse(String wire) {
        return parse(wire, KeyScheme::isKekScheme, "a KEK", WrappedKey::of);
    }
}
