package dev.posgate.hsm;

import dev.posgate.crypto.Sm2;
import java.util.Objects;

/**
 * An SM2 key pair from the HSM (K1): the public key as the uncompressed point {@code 04 ‖ x ‖ y}
 * (65 bytes) and the private key under the LMK.
 */
public record Sm2KeyPair(byte[] publicKey, LmkSm2PrivateKey privateKey) {
    public Sm2KeyPair {
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(privateKey, "privateKey");
        if (!Sm2.isValidPublicKey(publicKey)) {
            throw new IllegalArgumentException("not an SM2 public key point");
        }
        publicKey = publicKey.clone();
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** The public key as X.509 SubjectPublicKeyInfo DER (named curve sm2p256v1), for certificates. */
    public byte[] publicKeySpki() {
        return Sm2.encodePublicKey(publicKey);
    }
}
