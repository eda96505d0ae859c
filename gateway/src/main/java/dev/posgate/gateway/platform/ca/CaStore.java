package dev.posgate.gateway.platform.ca;

import dev.posgate.gateway.platform.secrets.SecretFile;
import dev.posgate.protocol.pki.CertificateRole;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/**
 * The development CA on disk (docs/kms.md): {@code root.p12} + {@code root.crt} for the posgate CA,
 * {@code acquirer-<id>.p12} + {@code acquirer-<id>.crt} per acquirer root. Created on first use,
 * like the development LMK. The PKCS#12 files are encrypted under a password generated on first
 * use into {@code keystore.password} (0600, the directory 0700); files from an older version,
 * under the once documented {@link #DEV_PASSWORD}, are re-encrypted under it when first read. A
 * production CA lives offline or in an HSM, not in the gateway's data directory.
 */
public final class CaStore {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(CaStore.class);
    /** Default PIN of cards issued by the CLI; no longer the password of the CA's own keystores. */
    public static final char[] DEV_PASSWORD = "posgate-dev".toCharArray();
    /** The CA keystores' password, generated on first use. */
    public static final String PASSWORD_FILE = "keystore.password";
    private static final String ALIAS = "key";

    private final Path dir;

    public CaStore(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** The password of this directory's CA keystores (generated if missing). Blocking. */
    public char[] password() throws IOException {
        SecretFile.ownerOnlyDirectory(dir);
        return SecretFile.readOrCreate(dir.resolve(PASSWORD_FILE), 24).toCharArray();
    }

    /** The posgate CA (KMS certificates, operator and administrator cards). Blocking. */
    public CertificateAuthority root() throws IOException {
        return loadOrCreate("root", "posgate CA");
    }

    /** The root of one acquirer (its key loaders). Blocking. */
    public CertificateAuthority acquirer(String acquirerId) throws IOException {
        if (!acquirerId.matches("[A-Za-z0-9_-]{1,32}")) throw new IllegalArgumentException("bad acquirer id " + acquirerId);
        return loadOrCreate("acquirer-" + acquirerId, "acquirer " + acquirerId + " root");
    }

    /**
     * The development manufacturer CA: issues terminal device certificates (DF2A, role DEVICE,
     * CN = serial) that the key loader checks in L2. A production manufacturer CA belongs to the
     * terminal vendor; the gateway only trusts its certificate ({@code loader.manufacturer.trust}).
     */
    public CertificateAuthority manufacturer() throws IOException {
        return loadOrCreate("manufacturer", "posgate development manufacturer CA");
    }

    /** Issues a device certificate for serial {@code sn}: a new key pair and its certificate in a PKCS#12 file. */
    public static X509Certificate issueDevice(CertificateAuthority manufacturer, String sn, int days, Path out, char[] pin)
            throws IOException {
        // the serial becomes the CN of an X.500 name: no characters with a meaning there
        if (!sn.matches("[A-Za-z0-9._/-]{1,32}")) throw new IllegalArgumentException("serial must be 1-32 of A-Z a-z 0-9 . _ / -");
        KeyPair kp = CertificateAuthority.rsa2048();
        X509Certificate cert = manufacturer.issue(sn, kp.getPublic(), CertificateRole.DEVICE, days);
        writeP12(out, kp.getPrivate(), cert, pin);
        return cert;
    }

    /** The CA of terminal TLS certificates (listener and client certificates, docs/operations.md). Blocking. */
    public CertificateAuthority terminalTls() throws IOException {
        return loadOrCreate("terminal-tls", "posgate terminal TLS CA");
    }

    private synchronized CertificateAuthority loadOrCreate(String name, String commonName) throws IOException {
        Path p12 = dir.resolve(name + ".p12");
        char[] password = password();
        if (Files.exists(p12)) {
            SecretFile.ownerOnly(p12);
            KeyEntry e;
            try {
                e = readP12(p12, password);
            } catch (IOException underNewPassword) {
                // written by an older version under the documented password: re-encrypt it
                e = readP12(p12, DEV_PASSWORD);
                writeP12(p12, e.key(), e.certificate(), password);
                log.info("{}: re-encrypted under the generated password in {}", p12, PASSWORD_FILE);
            }
            return new CertificateAuthority(e.key(), e.certificate());
        }
        CertificateAuthority ca = CertificateAuthority.createRoot(commonName, 10);
        writeP12(p12, ca.rootKey(), ca.root(), password);
        writeCertificate(dir.resolve(name + ".crt"), ca.root());
        return ca;
    }

    /** Issues a card (operator or administrator): a new key pair and its certificate in a PKCS#12 file. */
    public static X509Certificate issueCard(CertificateAuthority ca, CertificateRole role, String holder, int days,
            Path out, char[] pin) throws IOException {
        KeyPair kp = CertificateAuthority.rsa2048();
        X509Certificate cert = ca.issue(holder, kp.getPublic(), role, days);
        writeP12(out, kp.getPrivate(), cert, pin);
        return cert;
    }

    public record KeyEntry(PrivateKey key, X509Certificate certificate) {}

    public static KeyEntry readP12(Path p12, char[] pin) throws IOException {
        try (InputStream in = Files.newInputStream(p12)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, pin);
            return new KeyEntry((PrivateKey) ks.getKey(ALIAS, pin), (X509Certificate) ks.getCertificate(ALIAS));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read " + p12 + ": " + e.getMessage(), e);
        }
    }

    public static void writeP12(Path p12, PrivateKey key, X509Certificate cert, char[] pin) throws IOException {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(ALIAS, key, pin, new Certificate[] {cert});
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            ks.store(out, pin);
            Path parent = p12.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            SecretFile.write(p12, out.toByteArray()); // owner-only from the first byte
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot write " + p12 + ": " + e.getMessage(), e);
        }
    }

    /** DER certificate file (what is burnt into terminals as HsmRCRT / AcquireRCRT). */
    public static void writeCertificate(Path file, X509Certificate cert) throws IOException {
        try {
            Files.write(file, cert.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    public static X509Certificate readCertificate(Path file) throws IOException {
        try {
            return dev.posgate.protocol.pki.CertificateVerifier.parse(Files.readAllBytes(file)); // RSA or SM2
        } catch (dev.posgate.protocol.pki.CertificateRejectedException e) {
            throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
