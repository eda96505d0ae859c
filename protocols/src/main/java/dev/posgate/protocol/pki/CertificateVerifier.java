package dev.posgate.protocol.pki;

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
 * working certificate), which is all the patents describe. Pure JDK, no I/O: callers run it on a
 * worker thread where it matters.
 */
public final class CertificateVerifier {
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
        try {
            cert.verify(root.getPublicKey());
        } catch (GeneralSecurityException e) {
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
            throw new CertificateRejectedException(MALFORMED, "not an X.509 certificate");
        }
    }

    /** Serial as hex, the form used in logs, the audit trail and the revocation table. */
    public static String serial(X509Certificate cert) {
        return cert.getSerialNumber().toString(16).toUpperCase(java.util.Locale.ROOT);
    }
}
