package dev.posgate.protocol.tms.download;

import dev.posgate.iso8583.tlv.Tags;
import dev.posgate.iso8583.tlv.Tlv;
import dev.posgate.protocol.tms.handshake.Texts;
import java.util.List;

/** D2: up to {@code length} bytes of a package from {@code offset}. */
public record FrameRequest(String name, String version, long offset, int length) {

    public List<Tlv> toTlvs() {
        return List.of(
                Tlv.ofAscii(Tags.PACKAGE_NAME, name),
                Tlv.ofAscii(Tags.PACKAGE_VERSION, version),
                Tlv.ofUnsigned(Tags.OFFSET, offset, 4),
                Tlv.ofUnsigned(Tags.FRAME_LENGTH, length, 2));
    }

    public static FrameRequest from(List<Tlv> tlvs) {
        return new FrameRequest(
                Texts.ans(find(tlvs, Tags.PACKAGE_NAME), 32),
                Texts.ans(find(tlvs, Tags.PACKAGE_VERSION), 16),
                find(tlvs, Tags.OFFSET).asUnsigned(4),
                (int) find(tlvs, Tags.FRAME_LENGTH).asUnsigned(2));
    }

    static Tlv find(List<Tlv> tlvs, int tag) {
        return dev.posgate.iso8583.tlv.BerTlv.require(tlvs, tag);
    }
}
