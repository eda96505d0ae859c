package dev.posgate.hsm;

import java.util.Objects;

/**
 * An HSM-generated RSA key pair: the public key as X.509 SubjectPublicKeyInfo DER (for the CA
 * to certify) and the private key under the LMK.
 */
public record RsaKeyPair(byte[] publicKeyDer, LmkPrivateKey privateKey) {
    public RsaKeyPair {
        Objects.requireNonNull(publicKeyDer, "publicKeyDer");
        Objects.requireNonNull(privateKey, "privateKey");
        publicKeyDer = publicKeyDer.clone();
    }

    @Override
    public byte[] publicKeyDer() {
        return publicKeyDer.clone();
    }

    @Override
    public String toString() {
        return "RsaKeyPair[public " + publicKeyDer.length + " bytes, " + privateKey + "]";
    }
}
