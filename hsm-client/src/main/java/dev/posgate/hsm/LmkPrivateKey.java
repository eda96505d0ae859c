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

    /**
     * True when this is a payShield key block ({@code 'S'}, version, 4-digit block length, ...):
     * what a payShield with a key-block LMK returns from EI after the length {@code FFFF} (issue 16;
     * ut-codec-payshield test/config/test.js generateRsaKeyPairDecode case 1, aws-samples
     * samples-for-payment-cryptography-service key_import_export/hsm/payshield/commands.py). Such a
     * key is sent back after {@code FFFF} as well. The check is that the 4 digits after {@code 'S'}
     * and the version character give exactly the blob's length (the block length counts from the
     * version character): posgate's own blobs start with {@code 01}, never {@code 'S'}.
     */
    public boolean isKeyBlock() {
        return keyBlockLength(blob, 0) == blob.length;
    }

    /**
     * The total length ({@code 'S'} included) of the key block starting at {@code at}, or -1 when
     * {@code at} does not start one.
     */
    public static int keyBlockLength(byte[] buf, int at) {
        if (at + 6 > buf.length || buf[at] != 'S') return -1;
        int n = 0;
        for (int i = at + 2; i < at + 6; i++) {
            if (buf[i] < '0' || buf[i] > '9') return -1;
            n = n * 10 + (buf[i] - '0');
        }
        return n < 5 ? -1 : n + 1;
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
