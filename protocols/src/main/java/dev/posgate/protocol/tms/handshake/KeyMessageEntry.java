package dev.posgate.protocol.tms.handshake;

import dev.posgate.iso8583.tlv.Tags;
import dev.posgate.iso8583.tlv.Tlv;

/** One DF40 entry of the H2 key message: a key (TMK or DMK) under the DWK, its slot and 4-byte KCV. */
public record KeyMessageEntry(int kind, int index, byte[] keyUnderDwk, byte[] kcv) {
    public static final int KIND_TMK = 1;
    public static final int KIND_DMK = 2;

    public Tlv toTlv() {
        return Tlv.constructed(Tags.KEY_MESSAGE_ENTRY,
                Tlv.ofByte(Tags.KEY_KIND, kind),
                Tlv.ofByte(Tags.PINPAD_KEY_INDEX, index),
                Tlv.of(Tags.KEY_UNDER_DWK, keyUnderDwk),
                Tlv.of(Tags.KCV, kcv));
    }

    public static KeyMessageEntry from(Tlv t) {
        return new KeyMessageEntry(
                t.require(Tags.KEY_KIND).asByte(),
                t.require(Tags.PINPAD_KEY_INDEX).asByte(),
                t.require(Tags.KEY_UNDER_DWK).valueOfLength(16),
                t.require(Tags.KCV).valueOfLength(4));
    }

    @Override
    public String toString() {
        return "KeyMessageEntry[kind=" + kind + " index=" + index + "]";
    }
}
