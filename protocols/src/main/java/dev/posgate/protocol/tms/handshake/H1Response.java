package dev.posgate.protocol.tms.handshake;

import dev.posgate.iso8583.tlv.Tags;
import dev.posgate.iso8583.tlv.Tlv;
import dev.posgate.iso8583.tms.TmsMessage;
import dev.posgate.protocol.tms.TmsCipher;
import java.util.List;

/**
 * H1 answer: S_DATA, TAC_1 = MAC(DWK, T_DATA), DWK_1 = E_DMK(DWK), mode (DF15: {@code 01}
 * TDES-ECB, {@code 02} SM4-ECB for an SM4 terminal), stage {@code 01}. Mode {@code 03} (TMS protocol
 * version 2, docs/tms.md "Session keys") adds the session TAK (DF18) and DEK (DF19) under the DWK,
 * and TAC_1 is then MAC(TAK, T_DATA).
 */
public record H1Response(StampedRandom sData, byte[] tac, byte[] dwkUnderDmk, TmsCipher cipher, byte[] takUnderDwk,
        byte[] dekUnderDwk) {
    public static final int MODE_TDES_ECB = 0x01;
    public static final int MODE_SM4_ECB = 0x02;
    public static final int MODE_TDES_SESSION_KEYS = 0x03;

    public H1Response {
        if (cipher.sessionKeys() != (takUnderDwk != null && dekUnderDwk != null)) {
            throw new IllegalArgumentException("work-key mode 03 and only it carries the session keys");
        }
    }

    public H1Response(StampedRandom sData, byte[] tac, byte[] dwkUnderDmk) {
        this(sData, tac, dwkUnderDmk, TmsCipher.TDES);
    }

    public H1Response(StampedRandom sData, byte[] tac, byte[] dwkUnderDmk, TmsCipher cipher) {
        this(sData, tac, dwkUnderDmk, cipher, null, null);
    }

    public List<Tlv> toTlvs() {
        List<Tlv> tlvs = new java.util.ArrayList<>(List.of(
                Tlv.of(Tags.S_DATA, sData.encode()),
                Tlv.of(Tags.TAC, tac),
                Tlv.of(Tags.DWK_UNDER_DMK, dwkUnderDmk),
                Tlv.ofByte(Tags.WORK_KEY_MODE, cipher.workKeyMode()),
                Tlv.ofByte(Tags.AUTH_STAGE, AuthStage.TMS_AUTHENTICATED)));
        if (cipher.sessionKeys()) {
            tlvs.add(Tlv.of(Tags.SESSION_MAC_KEY, takUnderDwk));
            tlvs.add(Tlv.of(Tags.SESSION_DATA_KEY, dekUnderDwk));
        }
        return tlvs;
    }

    /** Parses the answer; a missing DF15 is TDES (the seeds' only mode), an unknown one is refused. */
    public static H1Response from(TmsMessage m) {
        Tlv mode = m.find(Tags.WORK_KEY_MODE);
        TmsCipher cipher = mode == null ? TmsCipher.TDES : TmsCipher.ofWorkKeyMode(mode.asByte());
        if (cipher == null) throw new IllegalArgumentException("unknown work-key mode");
        return new H1Response(
                StampedRandom.parse(Tags.S_DATA, m.require(Tags.S_DATA).valueUnsafe()),
                m.require(Tags.TAC).valueOfLength(4),
                m.require(Tags.DWK_UNDER_DMK).valueOfLength(16),
                cipher,
                cipher.sessionKeys() ? m.require(Tags.SESSION_MAC_KEY).valueOfLength(16) : null,
                cipher.sessionKeys() ? m.require(Tags.SESSION_DATA_KEY).valueOfLength(16) : null);
    }
}
