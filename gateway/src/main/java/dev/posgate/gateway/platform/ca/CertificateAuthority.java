package dev.posgate.gateway.platform.ca;

import dev.posgate.protocol.pki.CertificateRole;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A root CA (the posgate CA, or an acquirer root): X.509 v3, RSA 2048, SHA256withRSA. It issues
 * working certificates whose role is an extended key usage OID ({@link CertificateRole}); key
 * usage is digitalSignature for cards, plus keyEncipherment for the KMS and loader keys, which
 * receive RSA-encrypted blocks. Blocking (RSA): call it on a worker thread.
 */
public final class CertificateAuthority {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final PrivateKey rootKey;
    private final X509Certificate root;

    public CertificateAuthority(PrivateKey rootKey, X509Certificate root) {
        this.rootKey = rootKey;
        this.root = root;
    }

    /** A new self-signed root valid from now for {@code years}. */
    public static CertificateAuthority createRoot(String commonName, int years) {
        KeyPair kp = rsa2048();
        Instant now = Instant.now();
        X500Principal name = new X500Principal("CN=" + commonName + ",O=posgate");
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(), Date.from(now.minusSeconds(300)),
                    Date.from(now.plusSeconds(years * 366L * 86400)), name, kp.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
            return new CertificateAuthority(kp.getPrivate(), sign(b, kp.getPrivate()));
        } catch (Exception e) {
            throw new IllegalStateException("cannot create root " + commonName + ": " + e.getMessage(), e);
        }
    }

    /** A working certificate for {@code publicKey} with {@code role}, valid over [notBefore, notAfter]. */
    public X509Certificate issue(String commonName, PublicKey publicKey, CertificateRole role, Instant notBefore,
            Instant notAfter) {
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(root, serial(), Date.from(notBefore),
                    Date.from(notAfter), new X500Principal("CN=" + commonName + ",OU=" + role + ",O=posgate"), publicKey);
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            int usage = role == CertificateRole.KMS || role == CertificateRole.KEY_LOADER
                    ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment
                    : KeyUsage.digitalSignature | KeyUsage.nonRepudiation;
            b.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
            b.addExtension(Extension.extendedKeyUsage, true,
                    new ExtendedKeyUsage(KeyPurposeId.getInstance(new ASN1ObjectIdentifier(role.oid()))));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(root));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(publicKey));
            return sign(b, rootKey);
        } catch (Exception e) {
            throw new IllegalStateException("cannot issue " + role + " certificate: " + e.getMessage(), e);
        }
    }

    /** {@link #issue} valid from five minutes ago (clock skew) for {@code days}. */
    public X509Certificate issue(String commonName, PublicKey publicKey, CertificateRole role, int days) {
        Instant now = Instant.now();
        return issue(commonName, publicKey, role, now.minusSeconds(300), now.plusSeconds(days * 86400L));
    }

    /**
     * A TLS certificate (no posgate role): serverAuth with {@code names} as DNS/IP subject
     * alternative names for a listener, or clientAuth for a terminal (docs/operations.md, TLS).
     */
    public X509Certificate issueTls(String commonName, PublicKey publicKey, boolean server, List<String> names, int days) {
        Instant now = Instant.now();
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(root, serial(), Date.from(now.minusSeconds(300)),
                    Date.from(now.plusSeconds(days * 86400L)),
                    new X500Principal("CN=" + commonName + ",OU=" + (server ? "TLS server" : "TLS terminal") + ",O=posgate"),
                    publicKey);
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            b.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(server ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth));
            if (!names.isEmpty()) {
                GeneralName[] alt = names.stream()
                        .map(n -> new GeneralName(n.matches("[0-9.]+|.*:.*") ? GeneralName.iPAddress : GeneralName.dNSName, n))
                        .toArray(GeneralName[]::new);
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alt));
            }
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(root));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(publicKey));
            return sign(b, rootKey);
        } catch (Exception e) {
            throw new IllegalStateException("cannot issue TLS certificate: " + e.getMessage(), e);
        }
    }

    public X509Certificate root() {
        return root;
    }

    PrivateKey rootKey() {
        return rootKey;
    }

    public static KeyPair rsa2048() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048, RANDOM);
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(key)));
    }
}
