package dev.posgate.protocol.kms;

import dev.posgate.crypto.RandomSource;
import dev.posgate.iso8583.tlv.Tags;
import dev.posgate.iso8583.tlv.Tlv;
import dev.posgate.iso8583.tms.TmsCode;
import dev.posgate.iso8583.tms.TmsMessage;
import dev.posgate.protocol.pki.CertificateRejectedException;
import dev.posgate.protocol.pki.CertificateRole;
import dev.posgate.protocol.pki.CertificateVerifier;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The terminal side of the K-flow (CN103729940A) without I/O: it builds each request and checks
 * each response; the caller carries the frames. K1 (certificate) is used at the factory; a
 * download is K2 → K3 → K4. Every check that fails throws {@link FlowRefusedException} with the
 * gateway's SRC or {@code 63} for a local security check, and the session is then dead.
 */
public final class KmsTerminalSession extends TerminalFlow<KmsTerminalSession.Step> {
    enum Step { READY, K2_SENT, K3_SENT, K4_SENT, DONE, FAILED }

    private final String sn;
    private final String snPinpad;
    private final int keyIndex;
    private final TransmissionKeyDevice device;
    private final RandomSource random;
    /** The SM family (SM4 terminal): DF07 = 02 on K1/K2, 16-byte randoms and proofs. */
    private final boolean sm;
    private byte[] rnd1;
    private byte[] kcv;

    public KmsTerminalSession(String sn, String snPinpad, int keyIndex, TransmissionKeyDevice device, RandomSource random) {
        this(sn, snPinpad, keyIndex, device, random, false);
    }

    /** {@code sm}: an SM4 terminal's K-flow (docs/kms.md, "K-flow with SM2"). */
    public KmsTerminalSession(String sn, String snPinpad, int keyIndex, TransmissionKeyDevice device, RandomSource random,
            boolean sm) {
        super("K-flow", Step.READY, Step.DONE, Step.FAILED);
        this.sm = sm;
        this.sn = sn;
        this.snPinpad = snPinpad;
        this.keyIndex = keyIndex;
        this.device = device;
        this.random = random;
    }

    /** K1: ask for the KMS working certificate. */
    public TmsMessage k1() {
        return request(TmsCode.K1, List.of(Tlv.ofAscii(Tags.SERIAL_NUMBER, sn)));
    }

    /** K1 for the SM2 KMS certificate (DF07 = 02) when {@code sm}: an SM4 terminal's. */
    public TmsMessage k1(boolean sm) {
        if (!sm) return k1();
        return request(TmsCode.K1, List.of(Tlv.ofAscii(Tags.SERIAL_NUMBER, sn), Tlv.ofByte(Tags.KEY_FAMILY, KmsRequests.FAMILY_SM)));
    }

    /** The K1 answer: the KMS certificate, verified against the root burnt into the terminal. */
    public static X509Certificate onK1(TmsMessage response, CertificateVerifier root, Instant now) {
        requireOk(response);
        try {
            return root.verify(response.require(Tags.CERTIFICATE).value(), CertificateRole.KMS, now);
        } catch (CertificateRejectedException e) {
            throw new FlowRefusedException("63", "KMS certificate refused: " + e.getMessage());
        }
    }

    /** K2: start the download with a fresh Rnd1. */
    public TmsMessage k2() {
        expect(Step.READY);
        rnd1 = random.next(KmsRequests.randomLength(sm));
        List<Tlv> body = new ArrayList<>();
        body.add(Tlv.ofAscii(Tags.SERIAL_NUMBER, sn));
        if (sm) body.add(Tlv.ofByte(Tags.KEY_FAMILY, KmsRequests.FAMILY_SM));
        if (snPinpad != null) body.add(Tlv.ofAscii(Tags.PINPAD_SERIAL_NUMBER, snPinpad));
        body.add(Tlv.ofByte(Tags.PINPAD_KEY_INDEX, keyIndex));
        body.add(Tlv.of(Tags.RND1, rnd1));
        advance(Step.K2_SENT);
        return request(TmsCode.K2, body);
    }

    /** The K2 answer: the KMS proved it holds AUK (DF23 over Rnd1); K3 proves the terminal does (DF24 over Rnd2). */
    public TmsMessage onK2(TmsMessage response) {
        expect(Step.K2_SENT);
        checkStatus(response);
        if (!device.kmsProofMatches(rnd1, response.require(Tags.E_AUK_RND1).valueOfLength(KmsRequests.randomLength(sm)))) {
            throw fail("63", "E_AUK(Rnd1) from the KMS does not match: not our KMS, or a replay");
        }
        byte[] rnd2 = response.require(Tags.RND2).valueOfLength(KmsRequests.randomLength(sm));
        advance(Step.K3_SENT);
        return request(TmsCode.K3, List.of(Tlv.ofAscii(Tags.SERIAL_NUMBER, sn),
                Tlv.of(Tags.E_AUK_RND2, device.terminalProof(rnd2))));
    }

    /** The K3 answer: install Ctmk_tk in the PIN pad, then confirm with its KCV (K4). */
    public TmsMessage onK3(TmsMessage response) {
        expect(Step.K3_SENT);
        checkStatus(response);
        byte[] ctmk = response.require(Tags.TMK_CIPHER).valueOfLength(16);
        kcv = response.require(Tags.KCV).valueOfLength(4);
        if (!device.installTmk(keyIndex, ctmk, kcv)) {
            throw fail("63", "TMK check value mismatch: nothing installed");
        }
        advance(Step.K4_SENT);
        return request(TmsCode.K4, List.of(Tlv.ofAscii(Tags.SERIAL_NUMBER, sn),
                Tlv.ofByte(Tags.PINPAD_KEY_INDEX, keyIndex), Tlv.of(Tags.KCV, kcv)));
    }

    /** The K4 answer: the KMS switched to the new TMK. */
    public void onK4(TmsMessage response) {
        expect(Step.K4_SENT);
        checkStatus(response);
        advance(Step.DONE);
    }

    /** KCV of the TMK installed by this session (after K3). */
    public byte[] kcv() {
        return kcv == null ? null : kcv.clone();
    }
}
