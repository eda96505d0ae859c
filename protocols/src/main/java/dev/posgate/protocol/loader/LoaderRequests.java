package dev.posgate.protocol.loader;

import dev.posgate.iso8583.tlv.Tags;
import dev.posgate.iso8583.tlv.Tlv;
import dev.posgate.iso8583.tms.TmsMessage;
import dev.posgate.protocol.kms.KmsRequests;

/** The L-flow requests as the loader reads them; L3 has the shape of K4. */
public final class LoaderRequests {
    private LoaderRequests() {}

    /** {@code deviceCertificate} and {@code deviceSignature} are both null when the terminal sent neither. */
    public record L2(String sn, int keyIndex, byte[] rsaBlock, byte[] deviceCertificate, byte[] deviceSignature) {
        public boolean hasDeviceProof() {
            return deviceCertificate != null || deviceSignature != null;
        }
    }

    public static String l1(TmsMessage m) {
        return KmsRequests.k1(m).sn();
    }

    public static L2 l2(TmsMessage m) {
        byte[] block = m.require(Tags.RSA_PU_RND).value();
        if (block.length < 128 || block.length > 512) {
            throw new dev.posgate.protocol.kms.FlowRefusedException("30", "RSA block of " + block.length + " bytes");
        }
        return new L2(KmsRequests.k1(m).sn(), m.require(Tags.PINPAD_KEY_INDEX).asByte(), block,
                valueOrNull(m.find(Tags.DEVICE_CERTIFICATE)), valueOrNull(m.find(Tags.DEVICE_SIGNATURE)));
    }

    private static byte[] valueOrNull(Tlv t) {
        return t == null ? null : t.value();
    }

    public static KmsRequests.Installed l3(TmsMessage m) {
        return KmsRequests.installed(m);
    }
}
