package dev.posgate.hsm;

/**
 * payShield EI key type indicator, bound into the LMK-encrypted private key and enforced: key
 * import/unwrap commands (GI, TK unwrap) need {@link #KEY_MANAGEMENT} or {@link #BOTH}; the
 * key-loader exchange (OAEP decryption and PKCS#1 type-1 private encryption) needs {@link #BOTH}.
 */
public enum RsaKeyUsage {
    SIGNATURE('0'),
    KEY_MANAGEMENT('1'),
    BOTH('2');

    private final char code;

    RsaKeyUsage(char code) {
        this.code = code;
    }

    public char code() {
        return code;
    }

    public static RsaKeyUsage ofCode(char c) {
        for (RsaKeyUsage u : values()) {
            if (u.code == c) {
                return u;
            }
        }
        return null;
    }
}
