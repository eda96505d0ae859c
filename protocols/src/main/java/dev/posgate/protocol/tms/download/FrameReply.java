package dev.posgate.protocol.tms.download;

import dev.posgate.iso8583.tlv.Tags;
import dev.posgate.iso8583.tlv.Tlv;
import java.util.List;

/** D2 answer: the offset served and the frame bytes (empty at the end of the package). */
public record FrameReply(long offset, byte[] data) {

    public List<Tlv> toTlvs() {
        return List.of(Tlv.ofUnsigned(Tags.OFFSET, offset, 4), Tlv.of(Tags.FRAME_DATA, data));
    }

    public static FrameReply from(List<Tlv> tlvs) {
        return new FrameReply(FrameRequest.find(tlvs, Tags.OFFSET).asUnsigned(4),
                FrameRequest.find(tlvs, Tags.FRAME_DATA).value());
    }
}
