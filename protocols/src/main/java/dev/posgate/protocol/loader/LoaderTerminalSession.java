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
    /** The SM family: DF07 = 02, an SM2 loader certificate, SM2 block, SM4 TMK (docs/kms.md "L-flow with SM2"). */
    private boolean sm;
    private byte[] loaderPoint;
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

    /** An SM4 terminal's session: L1 and L2 carry DF07 = 02 and the loader must present an SM2 certificate. */
    public LoaderTerminalSession sm() {
        expect(Step.READY);
        sm = true;
        return this;
    }

    public TmsMessage l1() {
        expect(Step.READY);
        advance(Step.L1_SENT);
        if (sm) return request(TmsCode.L1, List.of(Tlv.ofAscii(Tags.SERIAL_NUMBER, sn),
                Tlv.ofByte(Tags.KEY_FAMILY, dev.posgate.protocol.kms.KmsRequests.FAMILY_SM)));
        return request(TmsCode.L1, List.of(Tlv.ofAscii(Tags.SERIAL_NUMBER, sn)));
    }

    /** The L1 answer: verify AcquireWCRT, then send RSA_Pu(Rnd1 ‖ Rnd2). */
    public TmsMessage onL1(TmsMessage response, Instant now) {
        expect(Step.L1_SENT);
        checkStatus(response);
        java.security.cert.X509Certificate cert;
        try {
            cert = acquirerRoot.verify(response.require(Tags.CERTIFICATE).value(), CertificateRole.KEY_LOADER, now);
        } catch (CertificateRejectedException e) {
            throw fail("63", "key loader certificate refused (" + e.reason() + "): " + e.getMessage());
        }
        loaderPoint = CertificateVerifier.sm2PublicKey(cert);
        if (sm != (loaderPoint != null)) throw fail("63", "key loader certificate of the other key family");
        if (!sm) loaderKey = cert.getPublicKey();
        rnd1 = random.next(16);
        rnd2 = random.next(8);
        byte[] plain = new byte[24];
        System.arraycopy(rnd1, 0, plain, 0, 16);
        System.arraycopy(rnd2, 0, plain, 16, 8);
        byte[] block = sm ? dev.posgate.crypto.Sm2.encrypt(loaderPoint, plain) : Rsa.oaepEncrypt(loaderKey, plain);
        Arrays.fill(plain, (byte) 0);
        advance(Step.L2_SENT);
        List<Tlv> tags = new ArrayList<>(List.of(Tlv.ofAscii(Tags.SERIAL_NUMBER, sn), Tlv.ofByte(Tags.PINPAD_KEY_INDEX, keyIndex),
                Tlv.of(Tags.RSA_PU_RND, block)));
        if (sm) tags.add(Tlv.ofByte(Tags.KEY_FAMILY, dev.posgate.protocol.kms.KmsRequests.FAMILY_SM));
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
        if (sm) { // Ctmk ‖ Rnd2 ‖ r ‖ s: the loader's SM3withSM2 signature over Ctmk ‖ Rnd2
            byte[] signed = response.require(Tags.RSA_PRK_CTMK).value();
            if (signed.length != LoaderRequests.SM2_SIGNED_BLOCK) throw fail("63", "loader block of " + signed.length + " bytes");
            recovered = Arrays.copyOf(signed, 24);
            boolean ok;
            try {
                ok = dev.posgate.crypto.Sm2.verify(loaderPoint, recovered, Arrays.copyOfRange(signed, 24, signed.length));
            } catch (RuntimeException e) {
                ok = false;
            }
            if (!ok) throw fail("63", "loader block not signed by the loader's SM2 key");
        } else {
            try {
                recovered = Rsa.publicRecoverPkcs1Type1(loaderKey, response.require(Tags.RSA_PRK_CTMK).value());
            } catch (RuntimeException e) {
                throw fail("63", "loader block does not open with the loader's public key");
            }
        }
        if (recovered.length != 24 || !MessageDigest.isEqual(rnd2, Arrays.copyOfRange(recovered, 16, 24))) {
            throw fail("63", "Rnd2 mismatch: replayed or forged loader block");
        }
        kcv = sm ? slot.installSm4Tmk(keyIndex, rnd1, Arrays.copyOf(recovered, 16))
                : slot.installTmk(keyIndex, rnd1, Arrays.copyOf(recovered, 16));
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
