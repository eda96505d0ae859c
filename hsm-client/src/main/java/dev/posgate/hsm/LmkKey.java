package dev.posgate.hsm;

/**
 * A DES/TDES key encrypted under the HSM's LMK: its scheme (Z, U or T) and cryptogram. This is
 * the only form in which the gateway holds symmetric keys; it is safe to store and log, but
 * {@link #toString()} still prints only a short fingerprint.
 *
 * <p>Wire form ({@link #toWire()}, {@link #parse}): scheme tag followed by the hex cryptogram,
 * e.g. {@code U} + 32 hex. A bare 16-hex value is accepted as a single-length (Z) key.
 */
public final class LmkKey extends EncryptedKey {

    private LmkKey(KeyScheme scheme, byte[] cryptogram) {
        super(scheme, cryptogram, KeyScheme::isLmkScheme, "an LMK");
    }

    /** A key of {@code scheme} (Z, U or T) with the given cryptogram (copied). */
    public static LmkKey of(KeyScheme scheme, byte[] cryptogram) {
        return new LmkKey(scheme, cryptogram);
    }

    /** Parses the wire form: {@code Z|U|T} + hex, or a bare 16-hex single-length key. */
    public static LmkKey parse(String wire) {
        return parse(wire, KeyScheme::isLmkScheme, "an LMK", LmkKey::of);
    }
}
