package dev.posgate.iso8583.tlv;

import dev.posgate.iso8583.FormatException;

/** BER-TLV bytes that break the EMV rules of protocol.md section 3, or a missing mandatory tag. */
public final class TlvFormatException extends FormatException {
    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** The buffer ends inside a tag, a length or a value. */
        TRUNCATED,
        /** A tag of three or more bytes (the second tag byte has its high bit set). */
        TAG_TOO_LONG,
        /** The indefinite length form {@code 0x80}. */
        INDEFINITE_LENGTH,
        /** A long-form length of more than two bytes ({@code 0x83} and above). */
        LENGTH_TOO_LONG,
        /** Constructed objects nested deeper than {@link BerTlv#MAX_DEPTH}. */
        TOO_DEEP,
        /** A mandatory tag is absent (the gateway answers {@code 30}). */
        MISSING_TAG,
        /** A value does not have the size or content its tag requires. */
        BAD_VALUE
    }

    private final Reason reason;
    private final int tag;

    public TlvFormatException(Reason reason, int tag, String message) {
        super(reason + (tag >= 0 ? String.format(" tag %X", tag) : "") + ": " + message, null);
        this.reason = reason;
        this.tag = tag;
    }

    @Override
    public Reason reason() {
        return reason;
    }

    /** The tag concerned, or -1. */
    public int tag() {
        return tag;
    }
}
