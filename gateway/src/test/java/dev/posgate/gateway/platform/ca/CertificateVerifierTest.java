package dev.posgate.gateway.platform.ca;

import static org.junit.jupiter.api.Assertions.*;

import dev.posgate.protocol.pki.CertificateRejectedException;
import dev.posgate.protocol.pki.CertificateRejectedException.Reason;
import dev.posgate.protocol.pki.CertificateRole;
import dev.posgate.protocol.pki.CertificateVerifier;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every reason a certificate is refused, with certificates made by the CA library. */
class CertificateVerifierTest {
    private static final CertificateAuthority CA = CertificateAuthority.createRoot("posgate CA", 1);
    private static final KeyPair KEY = CertificateAuthority.rsa2048();

    private static Reason refusal(CertificateVerifier v, X509Certificate cert, CertificateRole role, Instant at) {
        return assertThrows(CertificateRejectedException.class, () -> v.verify(cert, role, at)).reason();
    }

    @Test
    void acceptsOnlyTheRightRoleFromTheTrustedRootWhileValidAndNotRevoked() throws Exception {
        Instant now = Instant.now();
        X509Certificate loader = CA.issue("loader", KEY.getPublic(), CertificateRole.KEY_LOADER, 30);
        CertificateVerifier v = CertificateVerifier.trusting(CA.root());
        assertSame(loader, v.verify(loader, CertificateRole.KEY_LOADER, now));
        assertEquals(Reason.WRONG_ROLE, refusal(v, loader, CertificateRole.KMS, now));
        assertEquals(Reason.EXPIRED, refusal(v, loader, CertificateRole.KEY_LOADER, now.plusSeconds(31 * 86400L)));
        assertEquals(Reason.NOT_YET_VALID, refusal(v, loader, CertificateRole.KEY_LOADER, now.minusSeconds(3600)));
        assertEquals(Reason.REVOKED, refusal(CertificateVerifier.trusting(CA.root(), Set.of(loader.getSerialNumber())),
                loader, CertificateRole.KEY_LOADER, now));

        // same subject name, other key: the issuer matches by name but the signature does not verify
        CertificateAuthority impostor = CertificateAuthority.createRoot("posgate CA", 1);
        X509Certificate forged = impostor.issue("loader", KEY.getPublic(), CertificateRole.KEY_LOADER, 30);
        assertEquals(Reason.BAD_SIGNATURE, refusal(v, forged, CertificateRole.KEY_LOADER, now));
        X509Certificate foreign = CertificateAuthority.createRoot("acquirer 2", 1)
                .issue("loader", KEY.getPublic(), CertificateRole.KEY_LOADER, 30);
        assertEquals(Reason.NOT_FROM_ROOT, refusal(v, foreign, CertificateRole.KEY_LOADER, now));
        assertEquals(Reason.MALFORMED, assertThrows(CertificateRejectedException.class,
                () -> v.verify(new byte[] {0x30, 0x00}, CertificateRole.KMS, now)).reason());
    }
}
