package dev.posgate.iso8583.pos;

import java.util.Objects;

/**
 * The 6-byte application header: 12 BCD digits = application type (2), software version (2), terminal
 * status (1), processing requirement (1), software sub-version (6). Any digit values are accepted when
 * parsing (the application type is {@code 60} in practice but is not enforced); nibbles A-F are refused.
 */
public record AppHeader(int appType, int softwareVersion, int terminalStatus, int processingRequirement,
                        int softwareSubVersion) {
    /** Encoded length in bytes. */
    public static final int LENGTH = 6;
    /** The usual application type. */
    public static final int APP_TYPE_POS = 60;

    public AppHeader {
        check("appType", appType, 99);
        check("softwareVersion", softwareVersion, 99);
        check("terminalStatus", terminalStatus, 9);
        check("processingRequirement", processingRequirement, 9);
        check("softwareSubVersion", softwareSubVersion, 999_999);
    }

    private static void check(String what, int v, int max) {
        if (v < 0 || v > max) {
            throw new IllegalArgumentException(what + " must be 0.." + max + ": " + v);
        }
    }

    /** Parses {@code b[off .. off+6)}. */
    public static AppHeader parse(byte[] b, int off) {
        Objects.requireNonNull(b, "b");
        if (off < 0 || b.length - off < LENGTH) {
            throw new PosFormatException(PosFormatException.Reason.BAD_HEADER, -1,
                    "need " + LENGTH + " bytes, have " + Math.max(0, b.length - Math.max(off, 0)));
        }
        int[] d = new int[12];
        for (int i = 0; i < LENGTH; i++) {
            int v = b[off + i] & 0xFF;
            d[2 * i] = v >>> 4;
            d[2 * i + 1] = v & 0x0F;
            if (d[2 * i] > 9 || d[2 * i + 1] > 9) {
                throw new PosFormatException(PosFormatException.Reason.BAD_HEADER, -1,
                        String.format("byte %d (%02X) is not BCD", i, v));
            }
        }
        int sub = 0;
        for (int i = 6; i < 12; i++) {
            sub = sub * 10 + d[i];
        }
        return new AppHeader(d[0] * 10 + d[1], d[2] * 10 + d[3], d[4], d[5], sub);
    }

    /** Parses a 12-digit string, e.g. {@code "602200000001"}. */
    public static AppHeader parse(String digits) {
        if (digits.length() != 12) {
            throw new IllegalArgumentException("application header is 12 digits: " + digits);
        }
        byte[] b = new byte[LENGTH];
        for (int i = 0; i < 12; i++) {
            int d = Character.digit(digits.charAt(i), 10);
            if (d < 0) {
                throw new IllegalArgumentException("not a digit in " + digits);
            }
            b[i >> 1] |= (byte) ((i & 1) == 0 ? d << 4 : d);
        }
        return parse(b, 0);
    }

    /** A copy with the processing-requirement digit replaced (see {@link ProcessingRequirement}). */
    public AppHeader withProcessingRequirement(int digit) {
        return new AppHeader(appType, softwareVersion, terminalStatus, digit, softwareSubVersion);
    }

    public byte[] encode() {
        byte[] b = new byte[LENGTH];
        writeTo(b, 0);
        return b;
    }

    public void writeTo(byte[] dst, int off) {
        dst[off] = bcd(appType);
        dst[off + 1] = bcd(softwareVersion);
        dst[off + 2] = (byte) ((terminalStatus << 4) | processingRequirement);
        dst[off + 3] = bcd(softwareSubVersion / 10_000);
        dst[off + 4] = bcd(softwareSubVersion / 100 % 100);
        dst[off + 5] = bcd(softwareSubVersion % 100);
    }

    private static byte bcd(int twoDigits) {
        return (byte) (((twoDigits / 10) << 4) | (twoDigits % 10));
    }

    /** The 12 digits, e.g. {@code "602200000001"}. */
    public String digits() {
        return String.format("%02d%02d%d%d%06d", appType, softwareVersion, terminalStatus,
                processingRequirement, softwareSubVersion);
    }

    @Override
    public String toString() {
        return "AppHeader[" + digits() + "]";
    }
}
