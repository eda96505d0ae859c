package dev.posgate.protocol.tms.handshake;

import dev.posgate.iso8583.tlv.Tags;
import dev.posgate.iso8583.tlv.Tlv;
import dev.posgate.iso8583.tms.TmsMessage;
import java.util.List;

/** H1 answer: S_DATA, TAC_1 = MAC(DWK, T_DATA), DWK_1 = E_DMK(DWK), mode {@code 01}, stage {@code 01}. */
public record H1Response(StampedRandom sData, byte[] tac, byte[] dwkUnderDmk) {
    public static final int MODE_TDES_ECB = 0x01;

    public List<Tlv> toTlvs() {
        return List.of(
                Tlv.of(Tags.S_DATA, sData.encode()),
                Tlv.of(Tags.TAC, tac),
                Tlv.of(Tags.DWK_UNDER_DMK, dwkUnderDmk),
                Tlv.ofByte(Tags.WORK_KEY_MODE, MODE_TDES_ECB),
                Tlv.ofByte(Tags.AUTH_STAGE, AuthStage.TMS_AUTHENTICATED));
    }

    public static H1Response from(TmsMessage m) {
        return new H1Response(
                StampedRandom.parse(Tags.S_DATA, m.require(Tags.S_DATA).valueUnsafe()),
                m.require(Tags.TAC).valueOfLength(4),
                m.require(Tags.DWK_UNDER_DMK).valueOfLength(16));
    }
}
