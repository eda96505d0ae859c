package dev.posgate.protocol.tms.handshake;

import dev.posgate.iso8583.tlv.Tlv;
import dev.posgate.iso8583.tlv.TlvFormatException;

/** Validation of the protocol's {@code ans..n} text values. */
public final class Texts {
    private Texts() {}

    /** The value of an {@code ans..max} object: 1..max printable ASCII characters, else {@code BAD_VALUE}. */
    public static String ans(Tlv t, int max) {
        byte[] v = t.valueUnsafe();
        if (v.length == 0 || v.length > max) {
            throw new TlvFormatException(TlvFormatException.Reason.BAD_VALUE, t.tag(), "expected 1.." + max + " characters");
        }
        for (byte b : v) {
            if (b < 0x20 || b > 0x7E) {
                throw new TlvFormatException(TlvFormatException.Reason.BAD_VALUE, t.tag(), "not printable ASCII");
            }
        }
        return t.asAscii();
    }
}
