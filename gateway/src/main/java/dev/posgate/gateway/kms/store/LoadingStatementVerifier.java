package dev.posgate.gateway.kms.store;

import dev.posgate.protocol.pki.CertificateRejectedException;
import dev.posgate.protocol.pki.CertificateRole;
import dev.posgate.protocol.pki.CertificateVerifier;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.util.Store;

/**
 * Checks a signed {@link LoadingStatement}: a CMS SignedData with encapsulated content, exactly
 * one signer, whose certificate chains to the posgate CA as an operator or administrator card,
 * valid now and not revoked; the statement's time within {@link #SKEW} of now (an old signed
 * statement cannot be replayed later). Blocking (RSA, parsing): run on a worker thread. Public
 * for the fuzz test.
 */
public final class LoadingStatementVerifier {
    static final Duration SKEW = Duration.ofMinutes(10);

    /** The verified statement and who signed it (certificate serial in hex and subject). */
    public record Signed(LoadingStatement statement, String signerSerial, String signerSubject, CertificateRole role, byte[] der) {
        /** The card holder: the CN of the subject (one holder's operator and administrator cards differ in OU only). */
        String holder() {
            return LoadingStatementVerifier.holder(signerSubject);
        }
    }

    static String holder(String subject) {
        try {
            for (javax.naming.ldap.Rdn rdn : new javax.naming.ldap.LdapName(subject).getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType())) return String.valueOf(rdn.getValue());
            }
        } catch (javax.naming.InvalidNameException e) {
            return subject;
        }
        return subject;
    }

    private final CertificateVerifier ca;

    public LoadingStatementVerifier(CertificateVerifier ca) {
        this.ca = ca;
    }

    /** The verified statement; {@link AuthorisationRefusedException} (400 or 403) otherwise. */
    public Signed verify(byte[] der, String expectedAction, Instant now) {
        try {
            return verifyParsed(der, expectedAction, now);
        } catch (AuthorisationRefusedException e) {
            throw e;
        } catch (RuntimeException e) {
            // BouncyCastle parses lazily: malformed ASN.1 can surface while signers are walked (see BatchVerifier)
            throw new AuthorisationRefusedException(400, "malformed CMS SignedData");
        }
    }

    private Signed verifyParsed(byte[] der, String expectedAction, Instant now) {
        CMSSignedData cms;
        byte[] content;
        try {
            cms = new CMSSignedData(der);
            if (cms.getSignedContent() == null) throw new AuthorisationRefusedException(400, "detached content");
            content = (byte[]) cms.getSignedContent().getContent();
        } catch (AuthorisationRefusedException e) {
            throw e;
        } catch (Exception e) {
            throw new AuthorisationRefusedException(400, "not a CMS SignedData");
        }
        Collection<SignerInformation> signers = cms.getSignerInfos().getSigners();
        if (signers.size() != 1) throw new AuthorisationRefusedException(403, "exactly one card signs a statement");
        SignerInformation signer = signers.iterator().next();
        @SuppressWarnings("unchecked")
        Store<X509CertificateHolder> certs = cms.getCertificates();
        @SuppressWarnings("unchecked")
        Collection<X509CertificateHolder> matches = certs.getMatches(signer.getSID());
        if (matches.isEmpty()) throw new AuthorisationRefusedException(403, "signer certificate missing");
        X509Certificate cert;
        try {
            cert = new JcaX509CertificateConverter().getCertificate(matches.iterator().next());
            if (!signer.verify(new JcaSimpleSignerInfoVerifierBuilder().build(cert.getPublicKey()))) {
                throw new AuthorisationRefusedException(403, "signature does not verify");
            }
        } catch (AuthorisationRefusedException e) {
            throw e;
        } catch (Exception e) {
            throw new AuthorisationRefusedException(403, "signature does not verify");
        }
        CertificateRole role = cardRole(cert, now);
        LoadingStatement statement;
        try {
            statement = LoadingStatement.parse(content);
        } catch (IllegalArgumentException e) {
            throw new AuthorisationRefusedException(400, e.getMessage());
        }
        if (!expectedAction.equals(statement.action())) {
            throw new AuthorisationRefusedException(400, "statement is for " + statement.action() + ", not " + expectedAction);
        }
        if (Duration.between(statement.time(), now).abs().compareTo(SKEW) > 0) {
            throw new AuthorisationRefusedException(403, "statement time is more than " + SKEW.toMinutes() + " minutes from now");
        }
        return new Signed(statement, CertificateVerifier.serial(cert), cert.getSubjectX500Principal().getName(), role, der);
    }

    /** An operator card, else an administrator card; either may open or approve. */
    private CertificateRole cardRole(X509Certificate cert, Instant now) {
        CertificateRejectedException first;
        try {
            ca.verify(cert, CertificateRole.OPERATOR, now);
            return CertificateRole.OPERATOR;
        } catch (CertificateRejectedException e) {
            first = e;
        }
        try {
            ca.verify(cert, CertificateRole.ADMINISTRATOR, now);
            return CertificateRole.ADMINISTRATOR;
        } catch (CertificateRejectedException e) {
            throw new AuthorisationRefusedException(403, "card refused: " + first.reason());
        }
    }
}
