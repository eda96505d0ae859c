package dev.posgate.hsm;

/**
 * payShield key scheme tags: the one-character prefix of an encrypted key on the wire, which
 * also fixes its length.
 *
 * <ul>
 *   <li>Under the LMK (variant LMK): {@link #Z} single, {@link #U} double, {@link #T} triple length.</li>
 *   <li>Under a key-encrypting key (ZMK, TMK, TEK, DMK, DWK, PSAM card key): {@link #Z} single,
 *       {@link #X} double, {@link #Y} triple length, each 8-byte half TDES-ECB encrypted under the
 *       KEK without variants (ANSI X9.17). This is what terminals expect (protocol.md field 62,
 *       DF14, DF25, DF42). payShield's variant export schemes (U/T under a ZMK) are not supported.</li>
 *   <li>{@link #P}: a 16-byte SM4 key, under the LMK or under a key-encrypting key (posgate's tag;
 *       the Racal-compatible Chinese HSMs we found use {@code S}, which is the key-block tag of
 *       payShield; docs/hsm-protocol.md, "SM commands"). The only scheme of {@link KeyAlgorithm#SM4}.</li>
 * </ul>
 */
public enum KeyScheme {
    Z('Z', 8, true, true),
    U('U', 16, true, false),
    T('T', 24, true, false),
    X('X', 16, false, true),
    Y('Y', 24, false, true),
    P('P', 16, true, true);

    private final char tag;
    private final int keyLength;
    private final boolean underLmk;
    private final boolean underKek;

    KeyScheme(char tag, int keyLength, boolean underLmk, boolean underKek) {
        this.tag = tag;
        this.keyLength = keyLength;
        this.underLmk = underLmk;
        this.underKek = underKek;
    }

    public char tag() {
        return tag;
    }

    /** Clear (and encrypted) key length in bytes: 8, 16 or 24. */
    public int keyLength() {
        return keyLength;
    }

    /** TDES for Z/U/T/X/Y, SM4 for P. */
    public KeyAlgorithm algorithm() {
        return this == P ? KeyAlgorithm.SM4 : KeyAlgorithm.TDES;
    }

    /** Whether this scheme tags keys under the LMK (Z, U, T; P for SM4). */
    public boolean isLmkScheme() {
        return underLmk;
    }

    /** Whether this scheme tags keys under a key-encrypting key (Z, X, Y; P for SM4). */
    public boolean isKekScheme() {
        return underKek;
    }

    /** The scheme for {@code tag}, or null if unknown. */
    public static KeyScheme ofTag(char tag) {
        for (KeyScheme s : values()) {
            if (s.tag == tag) {
                return s;
            }
        }
        return null;
    }

    /** The LMK scheme (Z/U/T) for a key of {@code length} bytes. */
    public static KeyScheme lmkSchemeFor(int length) {
        switch (length) {
            case 8: return Z;
            case 16: return U;
            case 24: return T;
            default: throw new IllegalArgumentException("DES key length must be 8, 16 or 24: " + length);
        }
    }

    /** The KEK scheme (Z/X/Y) for a key of {@code length} bytes. */
    public static KeyScheme kekSchemeFor(int length) {
        switch (length) {
            case 8: return Z;
            case 16: return X;
            case 24: return Y;
            default: throw new IllegalArgumentException("DES key length must be 8, 16 or 24: " + length);
        }
    }
}
