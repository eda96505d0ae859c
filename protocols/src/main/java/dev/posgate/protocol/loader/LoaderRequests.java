package dev.posgate.protocol.loader;

import dev.posgate.iso8583.tlv.Tags;
import dev.posgate.iso8583.tlv.Tlv;
import dev.posgate.iso8583.tms.TmsMessage;
import dev.posgate.protocol.kms.KmsRequests;

/** The L-flow requests as the loader reads them; L3 has the shape of K4. */
public final class LoaderRequests {
    private LoaderRequests() {}

    /** {@code deviceCertificate} and {@code deviceSignature} are both null when the terminal sent neither. */
    /** {@code sm}: DF07 = 02, {@code rsaBlock} is then SM2(Pk, Rnd1 ‖ Rnd2), C1C3C2 of 121 bytes. */
    public record L2(String sn, int keyIndex, byte[] rsaBlock, byte[] deviceCertificate, byte[] deviceSignature, boolean sm) {
        public L2(String sn, int keyIndex, byte[] rsaBlock, byte[] deviceCertificate, byte[] deviceSignature) {
            this(sn, keyIndex, rsaBlock, deviceCertificate, deviceSignature, false);
        }

        public boolean hasDeviceProof() {
            return deviceCertificate != null || deviceSignature != null;
        }
    }

    /** SM2(Pk, Rnd1 (16) ‖ Rnd2 (8)): C1 (65) ‖ C3 (32) ‖ C2 (24). */
    public static final int SM2_BLOCK = 65 + 32 + 24;
    /** The SM family's DF28: Ctmk (16) ‖ Rnd2 (8) ‖ SM3withSM2 signature r ‖ s (64). */
    public static final int SM2_SIGNED_BLOCK = 16 + 8 + 64;

    public static String l1(TmsMessage m) {
        return KmsRequests.k1(m).sn();
    }

    public static L2 l2(TmsMessage m) {
        byte[] block = m.require(Tags.RSA_PU_RND).value();
        boolean sm = KmsRequests.smFamily(m);
        if (sm ? block.length != SM2_BLOCK : block.length < 128 || block.length > 512) {
            throw new dev.posgate.protocol.kms.FlowRefusedException("30", (sm ? "SM2" : "RSA") + " block of " + block.length + " bytes");
        }
        return new L2(KmsRequests.k1(m).sn(), m.require(Tags.PINPAD_KEY_INDEX).asByte(), block,
                valueOrNull(m.find(Tags.DEVICE_CERTIFICATE)), valueOrNull(m.find(Tags.DEVICE_SIGNATURE)), sm);
    }

    private static byte[] valueOrNull(Tlv t) {
        return t == null ? null : t.value();
    }

    public static KmsRequests.Installed l3(TmsMessage m) {
        return KmsRequests.installed(m);
    }
}
