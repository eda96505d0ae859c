package dev.posgate.iso8583.pos;

/**
 * Field 60 ("reserved private", LLLVAR n..17) split into its sub-fields: 60.1 transaction type code n2,
 * 60.2 batch number n6, 60.3 network management information code n3, and whatever digits follow
 * (CUP's 60.4/60.5..., at most 6, kept verbatim in {@code extension}).
 *
 * <p>Parsing requires at least the 11 digits of 60.1-60.3: every message of protocol.md carries 60.3.
 */
public record Field60(String typeCode, String batch, String networkMgmtCode, String extension) {
    private static final int MIN = 11;
    private static final int MAX = 17;

    public Field60 {
        requireDigits("60.1 type code", typeCode, 2);
        requireDigits("60.2 batch", batch, 6);
        requireDigits("60.3 network management code", networkMgmtCode, 3);
        if (extension == null) {
            extension = "";
        }
        if (extension.length() > MAX - MIN || !allDigits(extension)) {
            throw new PosFormatException(PosFormatException.Reason.BAD_FIELD_60, 60,
                    "extension must be 0..6 digits: " + extension);
        }
    }

    /** 60.1-60.3 only. */
    public Field60(String typeCode, String batch, String networkMgmtCode) {
        this(typeCode, batch, networkMgmtCode, "");
    }

    /** Splits the digits of field 60; {@link PosFormatException.Reason#BAD_FIELD_60} if malformed. */
    public static Field60 parse(String digits) {
        if (digits == null || digits.length() < MIN || digits.length() > MAX || !allDigits(digits)) {
            throw new PosFormatException(PosFormatException.Reason.BAD_FIELD_60, 60,
                    "expected 11..17 digits (60.1 n2, 60.2 n6, 60.3 n3, ...): " + digits);
        }
        return new Field60(digits.substring(0, 2), digits.substring(2, 8), digits.substring(8, 11),
                digits.substring(11));
    }

    /** The field 60 value: the concatenated digits. */
    public String format() {
        return typeCode + batch + networkMgmtCode + extension;
    }

    /** A copy with another batch number (6 digits). */
    public Field60 withBatch(String newBatch) {
        return new Field60(typeCode, newBatch, networkMgmtCode, extension);
    }

    private static void requireDigits(String what, String v, int len) {
        if (v == null || v.length() != len || !allDigits(v)) {
            throw new PosFormatException(PosFormatException.Reason.BAD_FIELD_60, 60,
                    what + " must be " + len + " digits: " + v);
        }
    }

    private static boolean allDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
