package dev.posgate.protocol.tms.handshake;

import dev.posgate.iso8583.tlv.Tags;
import dev.posgate.iso8583.tlv.Tlv;
import dev.posgate.iso8583.tms.TmsMessage;
import java.util.List;

/** H2: the terminal's verdict on TAC_1 (DF17) and SAC_1 = MAC(DWK, S_DATA). */
public record H2Request(String serial, boolean tacMatched, byte[] sac) {
    public static final int TAC_MATCHED = 0x00;
    public static final int TAC_MISMATCH = 0x01;

    public List<Tlv> toTlvs() {
        return List.of(
                Tlv.ofAscii(Tags.SERIAL_NUMBER, serial),
                Tlv.ofByte(Tags.TERMINAL_AUTH_RESULT, tacMatched ? TAC_MATCHED : TAC_MISMATCH),
                Tlv.of(Tags.SAC, sac));
    }

    public static H2Request from(TmsMessage m) {
        return new H2Request(
                Texts.ans(m.require(Tags.SERIAL_NUMBER), 32),
                m.require(Tags.TERMINAL_AUTH_RESULT).asByte() == TAC_MATCHED,
                m.require(Tags.SAC).valueOfLength(4));
    }
}
