package dev.posgate.iso8583.pos;

import dev.posgate.iso8583.FormatException;
import org.jpos.iso.ISOMsg;

/**
 * A POS ISO8583 message (TPDU, application header, MTI, bitmap or a field) that does not match
 * protocol.md section 2. Every jPOS failure is translated into this one exception; {@link #reason()} is
 * usable as a metric label and {@link #field()} names the offending field (0 = MTI, -1 = not a field).
 *
 * <p>When TPDU, header, MTI and bitmap parsed but a field did not (or bytes trail the last field, or bit 1
 * is set), the message is <em>attributable</em>: {@link #partial()} holds what did parse, so the receiver
 * can answer it ({@code partial().reply(...)}, 39 = 30, no MAC) instead of closing the connection
 * (protocol.md 2.1).
 */
public final class PosFormatException extends FormatException {
    private static final long serialVersionUID = 1L;

    /** Why the bytes (or, for {@link #BAD_VALUE}, a value to pack) were refused. */
    public enum Reason {
        /** The TPDU is shorter than 5 bytes or does not start with {@code 0x60}. */
        BAD_TPDU,
        /** The application header is shorter than 6 bytes or is not 12 BCD digits. */
        BAD_HEADER,
        /** A nibble outside 0-9 in the MTI, an n field or a BCD length prefix; 'D' outside a z field;
         *  a non-zero pad nibble. */
        BAD_BCD,
        /** Bit 1 of the bitmap is set: only the primary bitmap is used by this protocol. */
        SECONDARY_BITMAP,
        /** The bitmap announces a field that protocol.md does not define. */
        UNKNOWN_FIELD,
        /** An LL/LLL length prefix above the field's maximum. */
        FIELD_TOO_LONG,
        /** The message ends before the MTI, the bitmap or a field (prefix or data) is complete. */
        TRUNCATED,
        /** Bytes remain after the last field announced by the bitmap. */
        TRAILING_BYTES,
        /** Field 60 does not hold 60.1 n2, 60.2 n6, 60.3 n3 (and at most 6 more digits). */
        BAD_FIELD_60,
        /** The MAC block was asked for a message without field 64. */
        NO_MAC,
        /** A value given to pack/set does not fit the field's definition (length, charset, type). */
        BAD_VALUE
    }

    private final Reason reason;
    private final int field;
    /** The fields parsed so far (an ISOMsg or a field array), set by {@link PosPackager} when attributable. */
    private transient Object partialIso;
    /** {@link #partialIso} with TPDU and header, set by {@link PosMessage#unpack}. */
    private transient PosMessage partial;

    public PosFormatException(Reason reason, int field, String message) {
        this(reason, field, message, null);
    }

    public PosFormatException(Reason reason, int field, String message, Throwable cause) {
        super(reason + (field >= 0 ? " field " + field : "") + ": " + message, cause);
        this.reason = reason;
        this.field = field;
    }

    @Override
    public Reason reason() {
        return reason;
    }

    /** The field concerned: 0 for the MTI, 1 for the bitmap, 2..64, or -1 when not about a field. */
    public int field() {
        return field;
    }

    /**
     * The message as far as it parsed - TPDU, header, MTI, the fields before the failed one, and 11/41/42
     * when they could still be located after it - or {@code null} when the bytes cannot be attributed
     * (TPDU, header, MTI or bitmap did not parse; or the exception is not about received bytes).
     */
    public PosMessage partial() {
        return partial;
    }

    /** True when {@link #partial()} is available: the sender can be answered with a format error. */
    public boolean attributable() {
        return partial != null;
    }

    PosFormatException attributed(ISOMsg parsed) {
        this.partialIso = parsed;
        return this;
    }

    PosFormatException attributed(Object[] parsed) {
        this.partialIso = parsed;
        return this;
    }

    /** The fields parsed so far when the message was unpacked into a field array, else {@code null}. */
    Object[] partialFields() {
        return partialIso instanceof Object[] ? (Object[]) partialIso : null;
    }

    PosFormatException partial(PosMessage message) {
        this.partial = message;
        return this;
    }
}
