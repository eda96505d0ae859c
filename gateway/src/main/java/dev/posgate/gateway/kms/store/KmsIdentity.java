package dev.posgate.gateway.kms.store;

import dev.posgate.hsm.LmkPrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;

/** An RSA identity of the gateway (KMS or remote key loader): its certificate and private key under the LMK. */
public record KmsIdentity(X509Certificate certificate, LmkPrivateKey privateKey) {
    public byte[] certificateDer() {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
