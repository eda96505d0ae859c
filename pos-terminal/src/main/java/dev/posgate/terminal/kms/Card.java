package dev.posgate.terminal.kms;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Collections;

/**
 * An operator or administrator card: its key pair and certificate. In this product a PKCS#12
 * file stands for the card (the private key never leaves it but to sign the batch).
 */
public record Card(PrivateKey privateKey, X509Certificate certificate) {

    public static Card load(Path p12, char[] pin) throws IOException {
        try (InputStream in = Files.newInputStream(p12)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, pin);
            for (String alias : Collections.list(ks.aliases())) {
                if (ks.isKeyEntry(alias)) {
                    return new Card((PrivateKey) ks.getKey(alias, pin), (X509Certificate) ks.getCertificate(alias));
                }
            }
            throw new IOException(p12 + " holds no key entry");
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot open card " + p12 + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "Card[" + certificate.getSubjectX500Principal() + "]";
    }
}
