package dev.posgate.iso8583.pos;

/**
 * Field 60 ("reserved private", LLLVAR n..17) split into its sub-fields: 60.1 transaction type code n2,
 * 60.2 batch number n6, 60.3 network management information code n3, and whatever digits follow
 * (UnionPay's 60.4 terminal read capability n1, 60.5 IC condition code n1, 60.6 partial-approval flag n1,
 * 60.7 account type n3: at most 6 digits, kept verbatim in {@code extension} and echoed).
 *
 * <p>60.1 and 60.2 are mandatory; real terminals omit 60.3 in financial messages (protocol.md 2.1), which
 * then reads as {@code 000} while {@link #format()} gives back the 8 digits received
 * ({@code networkMgmtCodePresent} false). 9 or 10 digits (a cut 60.3) are refused.
 */
public record Field60(String typeCode, String batch, String networkMgmtCode, String extension,
                      boolean networkMgmtCodePresent) {
    private static final int WITHOUT_60_3 = 8;
    private static final int MIN = 11;
    private static final int MAX = 17;
    /** 60.3 when absent. */
    public static final String NO_NETWORK_MGMT_CODE = "000";

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
        if (!networkMgmtCodePresent && (!NO_NETWORK_MGMT_CODE.equals(networkMgmtCode) || !extension.isEmpty())) {
            throw new PosFormatException(PosFormatException.Reason.BAD_FIELD_60, 60,
                    "without 60.3 there is no 60.4 and 60.3 reads 000");
        }
    }

    /** 60.1-60.3 and the digits after them. */
    public Field60(String typeCode, String batch, String networkMgmtCode, String extension) {
        this(typeCode, batch, networkMgmtCode, extension, true);
    }

    /** 60.1-60.3 only. */
    public Field60(String typeCode, String batch, String networkMgmtCode) {
        this(typeCode, batch, networkMgmtCode, "", true);
    }

    /** Splits the digits of field 60; {@link PosFormatException.Reason#BAD_FIELD_60} if malformed. */
    public static Field60 parse(String digits) {
        if (digits != null && digits.length() == WITHOUT_60_3 && allDigits(digits)) {
            return new Field60(digits.substring(0, 2), digits.substring(2, 8), NO_NETWORK_MGMT_CODE, "", false);
        }
        if (digits == null || digits.length() < MIN || digits.length() > MAX || !allDigits(digits)) {
            throw new PosFormatException(PosFormatException.Reason.BAD_FIELD_60, 60,
                    "expected 8 or 11..17 digits (60.1 n2, 60.2 n6, [60.3 n3, ...]): " + digits);
        }
        return new Field60(digits.substring(0, 2), digits.substring(2, 8), digits.substring(8, 11),
                digits.substring(11));
    }

    /** The field 60 value: the concatenated digits, as received (no 60.3 when there was none). */
    public String format() {
        return networkMgmtCodePresent ? typeCode + batch + networkMgmtCode + extension : typeCode + batch;
    }

    /** A copy with another batch number (6 digits). */
    public Field60 withBatch(String newBatch) {
        return new Field60(typeCode, newBatch, networkMgmtCode, extension, networkMgmtCodePresent);
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
