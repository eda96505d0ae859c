package dev.posgate.protocol.tms.download;

import dev.posgate.iso8583.tlv.Tags;
import dev.posgate.iso8583.tlv.Tlv;
import dev.posgate.protocol.tms.handshake.Texts;
import java.util.List;

/** D3: the outcome of installing one package ({@code 00} installed, anything else failed). */
public record InstallReport(String name, String version, int result) {
    public static final int INSTALLED = 0x00;
    /** Terminal-side code used by posgate's terminal when the SHA-256 does not match. */
    public static final int HASH_MISMATCH = 0x01;

    public boolean installed() {
        return result == INSTALLED;
    }

    public List<Tlv> toTlvs() {
        return List.of(
                Tlv.ofAscii(Tags.PACKAGE_NAME, name),
                Tlv.ofAscii(Tags.PACKAGE_VERSION, version),
                Tlv.ofByte(Tags.INSTALL_RESULT, result));
    }

    public static InstallReport from(List<Tlv> tlvs) {
        return new InstallReport(
                Texts.ans(FrameRequest.find(tlvs, Tags.PACKAGE_NAME), 32),
                Texts.ans(FrameRequest.find(tlvs, Tags.PACKAGE_VERSION), 16),
                FrameRequest.find(tlvs, Tags.INSTALL_RESULT).asByte());
    }
}
