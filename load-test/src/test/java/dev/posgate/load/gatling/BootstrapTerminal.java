package dev.posgate.load.gatling;

import dev.posgate.crypto.RandomSource;
import dev.posgate.iso8583.tms.TmsMessage;
import dev.posgate.protocol.kms.KmsTerminalSession;
import dev.posgate.protocol.pki.CertificateVerifier;
import dev.posgate.protocol.posp.KeyAlgorithm;
import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * One virtual terminal of a fleet bootstrap: the K-flow of protocols's I/O-free
 * {@link KmsTerminalSession} with its factory-made {@link KmsDevice} (TK on file at the KMS), then,
 * once K4 confirmed the TMK, a {@link VirtualTerminal} holding that TMK for sign-on and purchases.
 * The only RSA on the event loop is K1's certificate check (one public-key verification).
 */
final class BootstrapTerminal {
    /** The PIN pad slot of the TMK: the gateway's posp.tmk.key.index default. */
    private static final int TMK_INDEX = 1;

    private final int index;
    private final KmsDevice device;
    private final CertificateVerifier root;
    private final KmsTerminalSession kFlow;
    private VirtualTerminal pos;

    /** {@code root}: the RSA root, or for an SM4 device ({@link KmsDevice#sm()}) the SM2 root. */
    BootstrapTerminal(int index, KmsDevice device, CertificateVerifier root, RandomSource random) {
        this.index = index;
        this.device = device;
        this.root = root;
        this.kFlow = new KmsTerminalSession(VirtualTerminal.sn(index), null, TMK_INDEX, device, random, device.sm());
    }

    TmsMessage k1() {
        return kFlow.k1(device.sm());
    }

    /** The KMS certificate must verify against the burnt-in root with the KMS role. */
    void onK1(TmsMessage response) {
        X509Certificate kms = KmsTerminalSession.onK1(response, root, Instant.now());
        if (kms == null) throw new IllegalStateException("no KMS certificate");
    }

    TmsMessage k2() {
        return kFlow.k2();
    }

    /** Checks E_AUK(Rnd1), answers K3. */
    TmsMessage onK2(TmsMessage response) {
        return kFlow.onK2(response);
    }

    /** Installs the TMK after its KCV check, answers K4. */
    TmsMessage onK3(TmsMessage response) {
        return kFlow.onK3(response);
    }

    void onK4(TmsMessage response) {
        kFlow.onK4(response);
        byte[] tmk = device.tmk();
        if (tmk == null) throw new IllegalStateException("K4 passed without a TMK installed");
        pos = new VirtualTerminal(index, tmk, device.sm() ? KeyAlgorithm.SM4 : KeyAlgorithm.TDES);
    }

    /** The POS side, after K4. */
    VirtualTerminal pos() {
        if (pos == null) throw new IllegalStateException(VirtualTerminal.tid(index) + " has no TMK yet");
        return pos;
    }
}
