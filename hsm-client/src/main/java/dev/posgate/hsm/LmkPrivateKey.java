package dev.posgate.hsm;

import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * An RSA private key encrypted under the LMK (opaque to the gateway; layout in
 * docs/hsm-protocol.md, "RSA private keys under the LMK"). {@link #toString()} prints a
 * fingerprint only. Stored as base64 ({@link #toBase64()}, {@link #fromBase64}).
 */
public final class LmkPrivateKey {
    /** Largest blob the 4-digit length fields of the commands can carry. */
    public static final int MAX_LENGTH = 9999;

    private final byte[] blob;

    private LmkPrivateKey(byte[] blob) {
        this.blob = blob;
    }

    public static LmkPrivateKey of(byte[] blob) {
        Objects.requireNonNull(blob, "blob");
        if (blob.length == 0 || blob.length > MAX_LENGTH) {
            throw new IllegalArgumentException("private key blob length must be 1.." + MAX_LENGTH);
        }
        return new LmkPrivateKey(blob.clone());
    }

    public static LmkPrivateKey fromBase64(String b64) {
        return of(Base64.getDecoder().decode(b64));
    }

    public byte[] bytes() {
        return blob.clone();
    }

    public int length() {
        return blob.length;
    }

    public String toBase64() {
        return Base64.getEncoder().encodeToString(blob);
    }

    public String fingerprint() {
        return Fingerprints.of(blob);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LmkPrivateKey && Arrays.equals(((LmkPrivateKey) o).blob, blob);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(blob);
    }

    @Override
    public String toString() {
        return "LmkPrivateKey[" + blob.length + " bytes fp=" + fingerprint() + "]";
    }
}
