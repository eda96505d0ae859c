package dev.posgate.iso8583.pos;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The 6-byte application header: application type (2 digits), software version (2), terminal status (1),
 * processing requirement (1), software sub-version (6 digits).
 *
 * <p>Kept as the six bytes received: real terminals send application types other than {@code 60}
 * ({@code 61}, vendor values) and non-BCD bytes after the processing-requirement nibble
 * ({@code 60 31 00 31 FF F1}); the gateway reads the processing requirement and echoes every other byte
 * unchanged (protocol.md 2.1). The numeric accessors give the BCD value of a part, or -1 when its
 * nibbles are not all decimal. {@link #NONE} stands for the header of a centre dialect that sends none
 * ({@link PosDialect#NO_APP_HEADER}). Immutable; equal when the bytes are.
 */
public final class AppHeader {
    /** Encoded length in bytes. */
    public static final int LENGTH = 6;
    /** The usual application type. */
    public static final int APP_TYPE_POS = 60;
    /** No application header on the wire (a centre dialect): zero bytes, processing requirement 0. */
    public static final AppHeader NONE = new AppHeader(new byte[LENGTH], false);

    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private final byte[] bytes;
    private final boolean present;

    private AppHeader(byte[] bytes, boolean present) {
        this.bytes = bytes;
        this.present = present;
    }

    /** A header from its decimal parts (each within its digit count). */
    public AppHeader(int appType, int softwareVersion, int terminalStatus, int processingRequirement,
                     int softwareSubVersion) {
        this(new byte[LENGTH], true);
        check("appType", appType, 99);
        check("softwareVersion", softwareVersion, 99);
        check("terminalStatus", terminalStatus, 9);
        check("processingRequirement", processingRequirement, 9);
        check("softwareSubVersion", softwareSubVersion, 999_999);
        bytes[0] = bcd(appType);
        bytes[1] = bcd(softwareVersion);
        bytes[2] = (byte) ((terminalStatus << 4) | processingRequirement);
        bytes[3] = bcd(softwareSubVersion / 10_000);
        bytes[4] = bcd(softwareSubVersion / 100 % 100);
        bytes[5] = bcd(softwareSubVersion % 100);
    }

    private static void check(String what, int v, int max) {
        if (v < 0 || v > max) {
            throw new IllegalArgumentException(what + " must be 0.." + max + ": " + v);
        }
    }

    /** Parses {@code b[off .. off+6)}: any byte values (the header is echoed, not interpreted). */
    public static AppHeader parse(byte[] b, int off) {
        Objects.requireNonNull(b, "b");
        if (off < 0 || b.length - off < LENGTH) {
            throw new PosFormatException(PosFormatException.Reason.BAD_HEADER, -1,
                    "need " + LENGTH + " bytes, have " + Math.max(0, b.length - Math.max(off, 0)));
        }
        return new AppHeader(Arrays.copyOfRange(b, off, off + LENGTH), true);
    }

    /** Parses 12 hex digits, e.g. {@code "602200000001"} or {@code "60310031FFF1"}. */
    public static AppHeader parse(String digits) {
        if (digits.length() != 2 * LENGTH) {
            throw new IllegalArgumentException("application header is 12 digits: " + digits);
        }
        try {
            return parse(HEX.parseHex(digits), 0);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not hex digits: " + digits, e);
        }
    }

    /** False only for {@link #NONE}. */
    public boolean present() {
        return present;
    }

    /** Bytes on the wire: 6, or 0 for {@link #NONE}. */
    public int length() {
        return present ? LENGTH : 0;
    }

    /** Application type ({@code 60}, {@code 61}, ...), or -1 when byte 0 is not BCD. */
    public int appType() {
        return bcdValue(0, 1);
    }

    /** Software version, or -1 when byte 1 is not BCD. */
    public int softwareVersion() {
        return bcdValue(1, 1);
    }

    /** The high nibble of byte 2 (0-15). */
    public int terminalStatus() {
        return (bytes[2] & 0xFF) >>> 4;
    }

    /** The low nibble of byte 2 (0-15; the gateway sets 0-9 in responses, see {@link ProcessingRequirement}). */
    public int processingRequirement() {
        return bytes[2] & 0x0F;
    }

    /** Software sub-version (bytes 3-5), or -1 when not BCD (echoed as bytes either way). */
    public int softwareSubVersion() {
        return bcdValue(3, 3);
    }

    private int bcdValue(int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            int hi = (bytes[i] & 0xFF) >>> 4;
            int lo = bytes[i] & 0x0F;
            if (hi > 9 || lo > 9) {
                return -1;
            }
            v = v * 100 + hi * 10 + lo;
        }
        return v;
    }

    /** A copy with the processing-requirement nibble replaced, every other byte unchanged. */
    public AppHeader withProcessingRequirement(int digit) {
        check("processingRequirement", digit, 9);
        if (!present) {
            return this; // nowhere to carry it
        }
        byte[] b = bytes.clone();
        b[2] = (byte) ((b[2] & 0xF0) | digit);
        return new AppHeader(b, true);
    }

    /** The bytes on the wire (6, or none for {@link #NONE}); a copy. */
    public byte[] encode() {
        return present ? bytes.clone() : new byte[0];
    }

    /** Writes {@link #length()} bytes at {@code dst[off]}. */
    public void writeTo(byte[] dst, int off) {
        if (present) {
            System.arraycopy(bytes, 0, dst, off, LENGTH);
        }
    }

    /** The 12 hex digits, e.g. {@code "602200000001"} (non-BCD nibbles as A-F); empty for {@link #NONE}. */
    public String digits() {
        return present ? HEX.formatHex(bytes) : "";
    }

    private static byte bcd(int twoDigits) {
        return (byte) (((twoDigits / 10) << 4) | (twoDigits % 10));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AppHeader h && present == h.present && Arrays.equals(bytes, h.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes) * 31 + (present ? 1 : 0);
    }

    @Override
    public String toString() {
        return present ? "AppHeader[" + digits() + "]" : "AppHeader[none]";
    }
}
