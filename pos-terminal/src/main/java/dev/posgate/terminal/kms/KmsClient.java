package dev.posgate.terminal.kms;

import dev.posgate.crypto.RandomSource;
import dev.posgate.iso8583.tms.TmsMessage;
import dev.posgate.terminal.net.TerminalLink;
import dev.posgate.protocol.kms.KmsTerminalSession;
import dev.posgate.protocol.kms.TransmissionKeyDevice;
import dev.posgate.protocol.pki.CertificateVerifier;
import io.vertx.core.Future;
import java.security.cert.X509Certificate;
import java.time.Instant;

/** Runs the terminal side of the K-flow over a {@link TerminalLink}. */
public final class KmsClient {
    private KmsClient() {}

    /** K1: the KMS certificate, verified against the terminal's root. */
    public static Future<X509Certificate> certificate(TerminalLink link, String sn, CertificateVerifier root) {
        KmsTerminalSession s = new KmsTerminalSession(sn, null, 0, null, RandomSource.secure());
        return link.request(s.k1().pack()).map(b -> KmsTerminalSession.onK1(TmsMessage.unpack(b), root, Instant.now()));
    }

    /** K1 for the SM2 KMS certificate (DF07 = 02) when {@code sm}: an SM4 terminal's. */
    public static Future<X509Certificate> certificate(TerminalLink link, String sn, CertificateVerifier root, boolean sm) {
        KmsTerminalSession s = new KmsTerminalSession(sn, null, 0, null, RandomSource.secure());
        return link.request(s.k1(sm).pack()).map(b -> KmsTerminalSession.onK1(TmsMessage.unpack(b), root, Instant.now()));
    }

    /** K2 → K3 → K4; completes with the KCV of the TMK now in slot {@code keyIndex}. */
    public static Future<byte[]> downloadTmk(TerminalLink link, String sn, String snPinpad, int keyIndex,
            TransmissionKeyDevice device) {
        return downloadTmk(link, sn, snPinpad, keyIndex, device, false);
    }

    /** {@code sm}: an SM4 terminal's K-flow (SM2 TK on file, 16-byte randoms, SM4 TMK). */
    public static Future<byte[]> downloadTmk(TerminalLink link, String sn, String snPinpad, int keyIndex,
            TransmissionKeyDevice device, boolean sm) {
        KmsTerminalSession s = new KmsTerminalSession(sn, snPinpad, keyIndex, device, RandomSource.secure(), sm);
        return link.request(s.k2().pack())
                .compose(b -> link.request(s.onK2(TmsMessage.unpack(b)).pack()))
                .compose(b -> link.request(s.onK3(TmsMessage.unpack(b)).pack()))
                .map(b -> {
                    s.onK4(TmsMessage.unpack(b));
                    return s.kcv();
                });
    }
}
