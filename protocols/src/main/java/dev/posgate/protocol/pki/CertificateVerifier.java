package dev.posgate.protocol.pki;

import dev.posgate.crypto.Sm2;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import static dev.posgate.protocol.pki.CertificateRejectedException.Reason.*;

/**
 * Checks a working certificate the way both sides need it: issued and signed by the one root
 * this verifier trusts (the posgate CA, or an acquirer root on a terminal), valid at the given
 * time, carrying the expected role, and not revoked. The chain is exactly two levels deep (root →
 * working certificate), which is all the patents describe. RSA (SHA256withRSA) and SM2
 * (SM3withSM2) chains are both accepted, each under a root of its own kind. Pure JDK, no I/O: callers run it on a
 * worker thread where it matters.
 */
public final class CertificateVerifier {
    /** SM3withSM2 (GM/T 0006): the signature algorithm of SM2 certificates. */
    public static final String SM3_WITH_SM2 = "1.2.156.10197.1.501";
    private final X509Certificate root;
    private final Set<BigInteger> revokedSerials;

    private CertificateVerifier(X509Certificate root, Set<BigInteger> revokedSerials) {
        this.root = Objects.requireNonNull(root, "root");
        this.revokedSerials = Set.copyOf(revokedSerials);
    }

    /** Trusts {@code root}; {@code revokedSerials} are serials of certificates it issued that are revoked. */
    public static CertificateVerifier trusting(X509Certificate root, Set<BigInteger> revokedSerials) {
        return new CertificateVerifier(root, revokedSerials);
    }

    public static CertificateVerifier trusting(X509Certificate root) {
        return new CertificateVerifier(root, Set.of());
    }

    public X509Certificate root() {
        return root;
    }

    /** Parses and verifies a DER certificate (tag DF20). */
    public X509Certificate verify(byte[] der, CertificateRole role, Instant at) throws CertificateRejectedException {
        return verify(parse(der), role, at);
    }

    public X509Certificate verify(X509Certificate cert, CertificateRole role, Instant at) throws CertificateRejectedException {
        if (!cert.getIssuerX500Principal().equals(root.getSubjectX500Principal())) {
            throw new CertificateRejectedException(NOT_FROM_ROOT, "issuer " + cert.getIssuerX500Principal() + " is not the trusted root");
        }
        if (!signatureVerifies(cert, root)) {
            throw new CertificateRejectedException(BAD_SIGNATURE, "signature does not verify under the trusted root");
        }
        try {
            root.checkValidity(Date.from(at));
            cert.checkValidity(Date.from(at));
        } catch (CertificateExpiredException e) {
            throw new CertificateRejectedException(EXPIRED, "certificate " + serial(cert) + " expired");
        } catch (CertificateNotYetValidException e) {
            throw new CertificateRejectedException(NOT_YET_VALID, "certificate " + serial(cert) + " not yet valid");
        }
        if (revokedSerials.contains(cert.getSerialNumber())) {
            throw new CertificateRejectedException(REVOKED, "certificate " + serial(cert) + " is revoked");
        }
        if (!roles(cert).contains(role.oid())) {
            throw new CertificateRejectedException(WRONG_ROLE, "certificate " + serial(cert) + " lacks role " + role);
        }
        return cert;
    }

    /**
     * The issuer's signature over the certificate: SM3withSM2 (OID {@value #SM3_WITH_SM2}, the
     * default user id of GM/T 0009, the DER SM2Signature converted to {@code r ‖ s}) verified with
     * the project's SM2 over the TBS bytes, since the JDK has no SM2; any other algorithm by the
     * JDK. An SM2 certificate under an RSA root (or the reverse) does not verify.
     */
    static boolean signatureVerifies(X509Certificate cert, X509Certificate issuer) {
        if (SM3_WITH_SM2.equals(cert.getSigAlgOID())) {
            try {
                byte[] issuerKey = Sm2.decodePublicKey(issuer.getPublicKey().getEncoded());
                return Sm2.verify(issuerKey, cert.getTBSCertificate(), Sm2.signatureFromDer(cert.getSignature()));
            } catch (GeneralSecurityException | RuntimeException e) {
                return false;
            }
        }
        try {
            cert.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** True if the certificate's key is an SM2 key (sm2p256v1), i.e. the national-algorithm profile. */
    public static boolean isSm2(X509Certificate cert) {
        return sm2PublicKey(cert) != null;
    }

    /** The certificate's SM2 public point ({@code 04 ‖ x ‖ y}), or null if its key is not SM2. */
    public static byte[] sm2PublicKey(X509Certificate cert) {
        try {
            return Sm2.decodePublicKey(cert.getPublicKey().getEncoded());
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** BouncyCastle's provider, instantiated on first SM2 certificate, never registered globally. */
    private static final class BouncyCastle {
        static final java.security.Provider PROVIDER = new org.bouncycastle.jce.provider.BouncyCastleProvider();
    }

    private static List<String> roles(X509Certificate cert) {
        try {
            List<String> eku = cert.getExtendedKeyUsage();
            return eku == null ? List.of() : eku;
        } catch (CertificateException e) {
            return List.of();
        }
    }

    public static X509Certificate parse(byte[] der) throws CertificateRejectedException {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | RuntimeException e) {
            // the JDK knows no sm2p256v1 key: an SM2 certificate is parsed by BouncyCastle's provider
            try {
                return (X509Certificate) CertificateFactory.getInstance("X.509", BouncyCastle.PROVIDER)
                        .generateCertificate(new ByteArrayInputStream(der));
            } catch (CertificateException | RuntimeException e2) {
                throw new CertificateRejectedException(MALFORMED, "not an X.509 certificate");
            }
        }
    }

    /** Serial as hex, the form used in logs, the audit trail and the revocation table. */
    public static String serial(X509Certificate cert) {
        return cert.getSerialNumber().toString(16).toUpperCase(java.util.Locale.ROOT);
    }
}
