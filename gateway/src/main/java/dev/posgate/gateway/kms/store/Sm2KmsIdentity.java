package dev.posgate.gateway.kms.store;

import dev.posgate.hsm.LmkSm2PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;

/**
 * An SM2 identity of the gateway (the KMS of SM4 terminals): its certificate from the SM2 root
 * (SM3withSM2) and its private key under the LMK (K1). Kept in {@code kms_identity} next to the
 * RSA identities, under its own name.
 */
public record Sm2KmsIdentity(X509Certificate certificate, LmkSm2PrivateKey privateKey) {
    public byte[] certificateDer() {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
