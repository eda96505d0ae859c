package dev.posgate.protocol.tms.handshake;

import dev.posgate.iso8583.tlv.Tags;
import dev.posgate.iso8583.tlv.Tlv;
import dev.posgate.iso8583.tms.TmsMessage;
import java.util.List;

/** H1: the terminal introduces itself and sends T_DATA. */
public record H1Request(String vendor, String model, String serial, int protocolVersion, StampedRandom tData) {

    public List<Tlv> toTlvs() {
        return List.of(
                Tlv.ofAscii(Tags.VENDOR_ID, vendor),
                Tlv.ofAscii(Tags.TERMINAL_MODEL_ID, model),
                Tlv.ofAscii(Tags.SERIAL_NUMBER, serial),
                Tlv.ofByte(Tags.TMS_PROTOCOL_VERSION, protocolVersion),
                Tlv.of(Tags.T_DATA, tData.encode()));
    }

    /** Reads the mandatory tags; a missing or malformed one is a TLV format error ({@code 30}). */
    public static H1Request from(TmsMessage m) {
        return new H1Request(
                Texts.ans(m.require(Tags.VENDOR_ID), 16),
                Texts.ans(m.require(Tags.TERMINAL_MODEL_ID), 16),
                Texts.ans(m.require(Tags.SERIAL_NUMBER), 32),
                m.require(Tags.TMS_PROTOCOL_VERSION).asByte(),
                StampedRandom.parse(Tags.T_DATA, m.require(Tags.T_DATA).valueUnsafe()));
    }
}
