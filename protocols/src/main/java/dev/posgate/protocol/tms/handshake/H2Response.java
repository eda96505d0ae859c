package dev.posgate.protocol.tms.handshake;

import dev.posgate.iso8583.tlv.BerTlv;
import dev.posgate.iso8583.tlv.Tags;
import dev.posgate.iso8583.tlv.Tlv;
import dev.posgate.iso8583.tms.TmsMessage;
import java.util.ArrayList;
import java.util.List;

/** H2 answer: stage {@code 02} and the key message (zero or more DF40 entries). */
public record H2Response(List<KeyMessageEntry> keys) {

    public List<Tlv> toTlvs() {
        List<Tlv> out = new ArrayList<>();
        out.add(Tlv.ofByte(Tags.AUTH_STAGE, AuthStage.BOTH_AUTHENTICATED));
        for (KeyMessageEntry k : keys) out.add(k.toTlv());
        return out;
    }

    public static H2Response from(TmsMessage m) {
        List<KeyMessageEntry> keys = new ArrayList<>();
        for (Tlv t : BerTlv.findAll(m.tlvs(), Tags.KEY_MESSAGE_ENTRY)) keys.add(KeyMessageEntry.from(t));
        return new H2Response(keys);
    }
}
