package dev.posgate.hsm;

import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * An SM2 private key encrypted under the LMK (opaque to the gateway; layout in
 * docs/hsm-protocol.md, "SM2 private keys under the LMK"). A distinct type from the RSA
 * {@link LmkPrivateKey} so that one is never passed where the other is meant; the HSM also tells
 * them apart (version byte and LMK variants). {@link #toString()} prints a fingerprint only.
 */
public final class LmkSm2PrivateKey {
    private final byte[] blob;

    private LmkSm2PrivateKey(byte[] blob) {
        this.blob = blob;
    }

    public static LmkSm2PrivateKey of(byte[] blob) {
        Objects.requireNonNull(blob, "blob");
        if (blob.length == 0 || blob.length > LmkPrivateKey.MAX_LENGTH) {
            throw new IllegalArgumentException("private key blob length must be 1.." + LmkPrivateKey.MAX_LENGTH);
        }
        return new LmkSm2PrivateKey(blob.clone());
    }

    public static LmkSm2PrivateKey fromBase64(String b64) {
        return of(Base64.getDecoder().decode(b64));
    }

    public byte[] bytes() {
        return blob.clone();
    }

    public String toBase64() {
        return Base64.getEncoder().encodeToString(blob);
    }

    public String fingerprint() {
        return Fingerprints.of(blob);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LmkSm2PrivateKey && Arrays.equals(((LmkSm2PrivateKey) o).blob, blob);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(blob);
    }

    @Override
    public String toString() {
        return "LmkSm2PrivateKey[" + blob.length + " bytes fp=" + fingerprint() + "]";
    }
}
