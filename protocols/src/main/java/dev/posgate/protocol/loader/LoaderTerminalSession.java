package dev.posgate.protocol.loader;

import dev.posgate.crypto.RandomSource;
import dev.posgate.crypto.Rsa;
import dev.posgate.iso8583.tlv.Tags;
import dev.posgate.iso8583.tlv.Tlv;
import dev.posgate.iso8583.tms.TmsCode;
import dev.posgate.iso8583.tms.TmsMessage;
import dev.posgate.protocol.kms.FlowRefusedException;
import dev.posgate.protocol.kms.TerminalFlow;
import dev.posgate.protocol.pki.CertificateRejectedException;
import dev.posgate.protocol.pki.CertificateRole;
import dev.posgate.protocol.pki.CertificateVerifier;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The terminal side of certificate-based key loading (CN103729944A) without I/O. The terminal
 * trusts only its acquirer's root ("terminal privatisation"): a loader certificate from another
 * acquirer, expired or revoked is refused at L1 and nothing is sent. Rnd2 returned inside the
 * loader's private-key block defeats replay.
 */
public final class LoaderTerminalSession extends TerminalFlow<LoaderTerminalSession.Step> {
    enum Step { READY, L1_SENT, L2_SENT, L3_SENT, DONE, FAILED }

    private final String sn;
    private final int keyIndex;
    private final CertificateVerifier acquirerRoot;
    private final TmkSlot slot;
    private final RandomSource random;
    /** Null for a terminal without a device certificate. */
    private final DeviceIdentity device;
    private PublicKey loaderKey;
    private byte[] rnd1;
    private byte[] rnd2;
    private byte[] kcv;

    public LoaderTerminalSession(String sn, int keyIndex, CertificateVerifier acquirerRoot, TmkSlot slot, RandomSource random) {
        this(sn, keyIndex, acquirerRoot, slot, random, null);
    }

    /** A terminal with a device certificate ({@code device} non-null) adds DF2A and DF2B to L2. */
    public LoaderTerminalSession(String sn, int keyIndex, CertificateVerifier acquirerRoot, TmkSlot slot, RandomSource random,
            DeviceIdentity device) {
        super("L-flow", Step.READY, Step.DONE, Step.FAILED);
        this.sn = sn;
        this.keyIndex = keyIndex;
        this.acquirerRoot = acquirerRoot;
        this.slot = slot;
        this.random = random;
        this.device = device;
    }

    public TmsMessage l1() {
        expect(Step.READY);
        advance(Step.L1_SENT);
        return request(TmsCode.L1, List.of(Tlv.ofAscii(Tags.SERIAL_NUMBER, sn)));
    }

    /** The L1 answer: verify AcquireWCRT, then send RSA_Pu(Rnd1 ‖ Rnd2). */
    public TmsMessage onL1(TmsMessage response, Instant now) {
        expect(Step.L1_SENT);
        checkStatus(response);
        try {
            loaderKey = acquirerRoot.verify(response.require(Tags.CERTIFICATE).value(), CertificateRole.KEY_LOADER, now)
                    .getPublicKey();
        } catch (CertificateRejectedException e) {
            throw fail("63", "key loader certificate refused (" + e.reason() + "): " + e.getMessage());
        }
        rnd1 = random.next(16);
        rnd2 = random.next(8);
        byte[] plain = new byte[24];
        System.arraycopy(rnd1, 0, plain, 0, 16);
        System.arraycopy(rnd2, 0, plain, 16, 8);
        byte[] block = Rsa.oaepEncrypt(loaderKey, plain);
        Arrays.fill(plain, (byte) 0);
        advance(Step.L2_SENT);
        List<Tlv> tags = new ArrayList<>(List.of(Tlv.ofAscii(Tags.SERIAL_NUMBER, sn), Tlv.ofByte(Tags.PINPAD_KEY_INDEX, keyIndex),
                Tlv.of(Tags.RSA_PU_RND, block)));
        if (device != null) {
            tags.add(Tlv.of(Tags.DEVICE_CERTIFICATE, device.certificateDer()));
            tags.add(Tlv.of(Tags.DEVICE_SIGNATURE, device.sign(block, sn)));
        }
        return request(TmsCode.L2, tags);
    }

    /** The L2 answer: recover Ctmk ‖ Rnd2 with the loader's public key, check Rnd2, install the TMK. */
    public TmsMessage onL2(TmsMessage response) {
        expect(Step.L2_SENT);
        checkStatus(response);
        byte[] recovered;
        try {
            recovered = Rsa.publicRecoverPkcs1Type1(loaderKey, response.require(Tags.RSA_PRK_CTMK).value());
        } catch (RuntimeException e) {
            throw fail("63", "loader block does not open with the loader's public key");
        }
        if (recovered.length != 24 || !MessageDigest.isEqual(rnd2, Arrays.copyOfRange(recovered, 16, 24))) {
            throw fail("63", "Rnd2 mismatch: replayed or forged loader block");
        }
        kcv = slot.installTmk(keyIndex, rnd1, Arrays.copyOf(recovered, 16));
        Arrays.fill(rnd1, (byte) 0);
        advance(Step.L3_SENT);
        return request(TmsCode.L3, List.of(Tlv.ofAscii(Tags.SERIAL_NUMBER, sn), Tlv.ofByte(Tags.PINPAD_KEY_INDEX, keyIndex),
                Tlv.of(Tags.KCV, kcv)));
    }

    public void onL3(TmsMessage response) {
        expect(Step.L3_SENT);
        checkStatus(response);
        advance(Step.DONE);
    }

    public byte[] kcv() {
        return kcv == null ? null : kcv.clone();
    }
}
