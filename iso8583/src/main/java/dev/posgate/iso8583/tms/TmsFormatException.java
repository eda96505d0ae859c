package dev.posgate.iso8583.tms;

import dev.posgate.iso8583.FormatException;

/** A TMS/KMS frame body whose header (or sealed body) does not match protocol.md section 3. */
public final class TmsFormatException extends FormatException {
    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** Fewer than the 12 header bytes. */
        TRUNCATED,
        /** The body does not start with {@code 'T' 'M'}. */
        BAD_MAGIC,
        /** The version byte is not {@code 0x01}. */
        BAD_VERSION,
        /** The transaction code is not two ASCII letters or digits. */
        BAD_CODE,
        /** A flag bit other than bit0 (response) and bit1 (sealed) is set. */
        BAD_FLAGS,
        /** The status is not two ASCII letters or digits. */
        BAD_STATUS,
        /** A sealed body is not IV (8) | ciphertext (n x 8, n >= 1) | MAC (8). */
        BAD_SEALED_BODY
    }

    private final Reason reason;

    public TmsFormatException(Reason reason, String message) {
        super(reason + ": " + message, null);
        this.reason = reason;
    }

    @Override
    public Reason reason() {
        return reason;
    }
}
