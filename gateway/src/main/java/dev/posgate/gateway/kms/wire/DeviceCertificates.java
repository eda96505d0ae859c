package dev.posgate.gateway.kms.wire;

import dev.posgate.gateway.spi.ResultCode;
import dev.posgate.protocol.kms.FlowRefusedException;
import dev.posgate.protocol.loader.DeviceIdentity;
import dev.posgate.protocol.pki.CertificateRejectedException;
import dev.posgate.protocol.pki.CertificateRole;
import dev.posgate.protocol.pki.CertificateVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Checks a terminal's device proof in L2 (DF2A/DF2B, docs/kms.md): the certificate is issued by
 * one of the trusted manufacturer CAs with the DEVICE role, valid now, its CN is the serial asking,
 * and DF2B verifies under its key over DF27 ‖ SN. Any failure is {@code 63}. Blocking (RSA):
 * the loader runs it on a worker thread.
 */
public final class DeviceCertificates {
    /** Whether L2 needs a device proof ({@code loader.device.certificate}). */
    public enum Profile {
        OPTIONAL, REQUIRED;

        public static Profile of(String setting) {
            return switch (setting.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "optional" -> OPTIONAL;
                case "required" -> REQUIRED;
                default -> throw new IllegalArgumentException("loader.device.certificate must be optional or required, not " + setting);
            };
        }
    }

    private final List<CertificateVerifier> manufacturers;

    public DeviceCertificates(List<X509Certificate> manufacturerCas) {
        this.manufacturers = manufacturerCas.stream().map(CertificateVerifier::trusting).toList();
    }

    /** The manufacturer CAs of a PEM file (one or more certificates). Blocking. */
    public static List<X509Certificate> readPem(Path pem) throws IOException {
        try (InputStream in = Files.newInputStream(pem)) {
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) out.add((X509Certificate) c);
            if (out.isEmpty()) throw new IOException(pem + " holds no certificate");
            return out;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read manufacturer CAs from " + pem + ": " + e.getMessage(), e);
        }
    }

    /** Returns the certificate's serial (hex) for the audit row; throws {@code 63} when the proof fails. */
    String verify(byte[] certificateDer, byte[] signature, byte[] rsaBlock, String sn, Instant now) {
        if (certificateDer == null || signature == null) throw refused("DF2A and DF2B come together");
        X509Certificate cert;
        try {
            cert = CertificateVerifier.parse(certificateDer);
        } catch (CertificateRejectedException e) {
            throw refused("device certificate is not X.509");
        }
        verifyChain(cert, now);
        if (!sn.equals(commonName(cert))) throw refused("device certificate names another serial");
        try {
            Signature s = Signature.getInstance(DeviceIdentity.ALGORITHM);
            s.initVerify(cert.getPublicKey());
            s.update(DeviceIdentity.signedData(rsaBlock, sn));
            if (!s.verify(signature)) throw refused("device signature does not verify");
        } catch (GeneralSecurityException | RuntimeException e) {
            if (e instanceof FlowRefusedException r) throw r;
            throw refused("device signature does not verify");
        }
        return CertificateVerifier.serial(cert);
    }

    private void verifyChain(X509Certificate cert, Instant now) {
        for (CertificateVerifier m : manufacturers) {
            if (!m.root().getSubjectX500Principal().equals(cert.getIssuerX500Principal())) continue;
            try {
                m.verify(cert, CertificateRole.DEVICE, now);
                return;
            } catch (CertificateRejectedException e) {
                throw refused("device certificate refused (" + e.reason() + ")");
            }
        }
        throw refused("device certificate not from a trusted manufacturer CA");
    }

    private static String commonName(X509Certificate cert) {
        try {
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType())) return String.valueOf(rdn.getValue());
            }
        } catch (InvalidNameException e) {
            return null;
        }
        return null;
    }

    private static FlowRefusedException refused(String reason) {
        return new FlowRefusedException(ResultCode.SECURITY_VIOLATION.code(), reason);
    }
}
