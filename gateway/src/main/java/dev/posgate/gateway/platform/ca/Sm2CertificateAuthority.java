package dev.posgate.gateway.platform.ca;

import dev.posgate.crypto.Sm2;
import dev.posgate.gateway.platform.secrets.SecretFile;
import dev.posgate.hsm.Hsm;
import dev.posgate.hsm.LmkSm2PrivateKey;
import dev.posgate.hsm.RsaKeyUsage;
import dev.posgate.protocol.pki.CertificateRejectedException;
import dev.posgate.protocol.pki.CertificateRole;
import dev.posgate.protocol.pki.CertificateVerifier;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.bc.BcX509ExtensionUtils;
import org.bouncycastle.operator.ContentSigner;

/**
 * The SM2 root of the development CA (docs/national-crypto.md, "SM2 certificates"), next to the
 * RSA one: certificates with SM2 keys (SubjectPublicKeyInfo id-ecPublicKey + sm2p256v1) signed
 * SM3withSM2 (OID 1.2.156.10197.1.501, GM/T 0006/0015), the signature made by the HSM (K3, the
 * default user id {@code 1234567812345678} of GM/T 0009) with the root's private key under the
 * LMK (K1). The gateway never holds the root key in clear: on disk it is the LMK-encrypted blob.
 *
 * <p>Issuing is asynchronous (an HSM round trip): the TBSCertificate is built with BouncyCastle's
 * X.509 builder, its DER is signed by K3, and the certificate is assembled as
 * {@code SEQUENCE { tbs, sm2sign-with-sm3, BIT STRING SM2Signature }}. The returned future
 * completes where the HSM future completes (the caller's context).
 */
public final class Sm2CertificateAuthority {
    /** SM3withSM2 (GM/T 0006-2012): 1.2.156.10197.1.501. */
    public static final String SIGNATURE_OID = GMObjectIdentifiers.sm2sign_with_sm3.getId();
    /** Parameters absent, as GM/T 0015 and BouncyCastle's own SM3withSM2 signer write them. */
    static final AlgorithmIdentifier SM3_WITH_SM2 = new AlgorithmIdentifier(GMObjectIdentifiers.sm2sign_with_sm3);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Hsm hsm;
    private final LmkSm2PrivateKey rootKey;
    private final X509Certificate root;

    public Sm2CertificateAuthority(Hsm hsm, LmkSm2PrivateKey rootKey, X509Certificate root) {
        this.hsm = hsm;
        this.rootKey = rootKey;
        this.root = root;
    }

    public X509Certificate root() {
        return root;
    }

    /**
     * Loads {@code <name>.key} (the LMK-encrypted private key, base64) and {@code <name>.crt}
     * (DER) from {@code dir}, or creates them: K1 generates the pair, K3 self-signs the root.
     */
    public static Future<Sm2CertificateAuthority> loadOrCreate(Vertx vertx, Hsm hsm, Path dir, String name, String commonName,
            int years) {
        Path keyFile = dir.resolve(name + ".key");
        Path crtFile = dir.resolve(name + ".crt");
        return vertx.executeBlocking(() -> {
            if (!Files.exists(keyFile) || !Files.exists(crtFile)) return null;
            SecretFile.ownerOnly(keyFile);
            return new Sm2CertificateAuthority(hsm,
                    LmkSm2PrivateKey.fromBase64(Files.readString(keyFile, StandardCharsets.US_ASCII).trim()),
                    parse(Files.readAllBytes(crtFile)));
        }).compose(loaded -> loaded != null ? Future.succeededFuture(loaded)
                : hsm.generateSm2KeyPair(RsaKeyUsage.SIGNATURE)
                        .compose(pair -> createRoot(hsm, pair.privateKey(), pair.publicKey(), commonName, years))
                        .compose(ca -> vertx.executeBlocking(() -> {
                            SecretFile.ownerOnlyDirectory(dir);
                            synchronized (Sm2CertificateAuthority.class) {
                                if (Files.exists(keyFile) && Files.exists(crtFile)) { // another start got there first
                                    return new Sm2CertificateAuthority(hsm,
                                            LmkSm2PrivateKey.fromBase64(Files.readString(keyFile, StandardCharsets.US_ASCII).trim()),
                                            parse(Files.readAllBytes(crtFile)));
                                }
                                SecretFile.write(keyFile, ca.rootKey.toBase64().getBytes(StandardCharsets.US_ASCII));
                                Files.write(crtFile, ca.root.getEncoded());
                                return ca;
                            }
                        })));
    }

    /** A self-signed SM2 root for the HSM key {@code rootKey} with public point {@code publicKey}. */
    public static Future<Sm2CertificateAuthority> createRoot(Hsm hsm, LmkSm2PrivateKey rootKey, byte[] publicKey,
            String commonName, int years) {
        Instant now = Instant.now();
        X500Name name = x500("CN=" + commonName + ",O=posgate");
        SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(Sm2.encodePublicKey(publicKey));
        try {
            X509v3CertificateBuilder b = new X509v3CertificateBuilder(name, serial(), Date.from(now.minusSeconds(300)),
                    Date.from(now.plusSeconds(years * 366L * 86400)), name, spki);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, new BcX509ExtensionUtils().createSubjectKeyIdentifier(spki));
            return sign(hsm, rootKey, tbs(b)).map(cert -> new Sm2CertificateAuthority(hsm, rootKey, cert));
        } catch (IOException e) {
            return Future.failedFuture(new IllegalStateException("cannot build SM2 root " + commonName + ": " + e.getMessage(), e));
        }
    }

    /**
     * A working certificate for the SM2 public point {@code publicKey} (65 bytes, {@code 04 ‖ x ‖
     * y}) with {@code role}; key usage as the RSA CA's (keyEncipherment for KMS/loader keys, which
     * receive SM2-encrypted blocks).
     */
    public Future<X509Certificate> issue(String commonName, byte[] publicKey, CertificateRole role, Instant notBefore,
            Instant notAfter) {
        try {
            SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(Sm2.encodePublicKey(publicKey));
            SubjectPublicKeyInfo rootSpki = SubjectPublicKeyInfo.getInstance(root.getPublicKey().getEncoded());
            X509v3CertificateBuilder b = new X509v3CertificateBuilder(X500Name.getInstance(root.getSubjectX500Principal().getEncoded()),
                    serial(), Date.from(notBefore), Date.from(notAfter),
                    x500("CN=" + commonName + ",OU=" + role + ",O=posgate"), spki);
            BcX509ExtensionUtils ext = new BcX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            int usage = role == CertificateRole.KMS || role == CertificateRole.KEY_LOADER
                    ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment
                    : KeyUsage.digitalSignature | KeyUsage.nonRepudiation;
            b.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
            b.addExtension(Extension.extendedKeyUsage, true,
                    new ExtendedKeyUsage(KeyPurposeId.getInstance(new ASN1ObjectIdentifier(role.oid()))));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(rootSpki));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(spki));
            return sign(hsm, rootKey, tbs(b));
        } catch (IOException | RuntimeException e) {
            return Future.failedFuture(new IllegalStateException("cannot issue SM2 " + role + " certificate: " + e.getMessage(), e));
        }
    }

    /** {@link #issue} valid from five minutes ago (clock skew) for {@code days}. */
    public Future<X509Certificate> issue(String commonName, byte[] publicKey, CertificateRole role, int days) {
        Instant now = Instant.now();
        return issue(commonName, publicKey, role, now.minusSeconds(300), now.plusSeconds(days * 86400L));
    }

    /** The TBSCertificate the builder makes (its signer only records the algorithm; K3 signs later). */
    private static TBSCertificate tbs(X509v3CertificateBuilder b) {
        ContentSigner recorder = new ContentSigner() {
            private final ByteArrayOutputStream out = new ByteArrayOutputStream();

            @Override
            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return SM3_WITH_SM2;
            }

            @Override
            public OutputStream getOutputStream() {
                return out;
            }

            @Override
            public byte[] getSignature() {
                return new byte[0];
            }
        };
        return b.build(recorder).toASN1Structure().getTBSCertificate();
    }

    private static Future<X509Certificate> sign(Hsm hsm, LmkSm2PrivateKey key, TBSCertificate tbs) {
        byte[] der;
        try {
            der = tbs.getEncoded("DER");
        } catch (IOException e) {
            return Future.failedFuture(e);
        }
        return hsm.sm2Sign(key, der).map(rs -> {
            try {
                return parse(new DERSequence(new ASN1Encodable[] {tbs, SM3_WITH_SM2, new DERBitString(Sm2.signatureToDer(rs))})
                        .getEncoded("DER"));
            } catch (IOException e) {
                throw new IllegalStateException("cannot assemble SM2 certificate", e);
            }
        });
    }

    static X509Certificate parse(byte[] der) throws IOException {
        try {
            return CertificateVerifier.parse(der); // BouncyCastle's provider for SM2 keys
        } catch (CertificateRejectedException e) {
            throw new IOException("not an X.509 certificate: " + e.getMessage(), e);
        }
    }

    /** The name as the RSA CA writes it (RFC 2253 string through {@link X500Principal}: same DER order). */
    private static X500Name x500(String rfc2253) {
        return X500Name.getInstance(new X500Principal(rfc2253).getEncoded());
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }
}
