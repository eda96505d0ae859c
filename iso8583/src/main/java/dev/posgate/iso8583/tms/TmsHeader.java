package dev.posgate.iso8583.tms;

import java.util.Objects;

import static dev.posgate.iso8583.tms.TmsFormatException.Reason.BAD_CODE;
import static dev.posgate.iso8583.tms.TmsFormatException.Reason.BAD_FLAGS;
import static dev.posgate.iso8583.tms.TmsFormatException.Reason.BAD_MAGIC;
import static dev.posgate.iso8583.tms.TmsFormatException.Reason.BAD_STATUS;
import static dev.posgate.iso8583.tms.TmsFormatException.Reason.BAD_VERSION;
import static dev.posgate.iso8583.tms.TmsFormatException.Reason.TRUNCATED;

/**
 * The 12-byte TMS/KMS header: {@code 'T' 'M' | version 0x01 | code (2 ASCII) | flags (1) | seq (4, unsigned
 * big-endian) | status (2 ASCII)}.
 *
 * <p>Parsing is strict: magic, version {@code 01}, code and status of ASCII letters/digits, and no flag bit
 * other than {@link #FLAG_RESPONSE} and {@link #FLAG_SEALED}. An unknown but well-formed code is accepted
 * here ({@link #tmsCode()} is then {@code null}) so that the gateway can answer it with {@code 12}.
 *
 * @param code   transaction code, two ASCII letters/digits ("H1")
 * @param flags  bit0 response, bit1 sealed download-phase body
 * @param seq    sequence number, 0..2^32-1
 * @param status "00" in requests, the SRC in responses
 */
public record TmsHeader(String code, int flags, long seq, String status) {
    public static final int LENGTH = 12;
    public static final int VERSION = 0x01;
    public static final int FLAG_RESPONSE = 0x01;
    public static final int FLAG_SEALED = 0x02;
    public static final String STATUS_REQUEST = "00";

    public TmsHeader {
        if (!isCode(code)) {
            throw new IllegalArgumentException("code must be two ASCII letters/digits: " + code);
        }
        if ((flags & ~(FLAG_RESPONSE | FLAG_SEALED)) != 0) {
            throw new IllegalArgumentException("unknown flag bits: " + Integer.toHexString(flags));
        }
        if (seq < 0 || seq > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("seq is an unsigned 32-bit value: " + seq);
        }
        if (!isCode(status)) {
            throw new IllegalArgumentException("status must be two ASCII letters/digits: " + status);
        }
    }

    /** A request header: flags 0 (or sealed), status "00". */
    public static TmsHeader request(TmsCode code, long seq, boolean sealed) {
        return new TmsHeader(code.name(), sealed ? FLAG_SEALED : 0, seq, STATUS_REQUEST);
    }

    /** Parses {@code b[off .. off+12)}; {@code available} is how many bytes the caller has from {@code off}. */
    public static TmsHeader parse(byte[] b, int off, int available) {
        Objects.checkFromIndexSize(off, available, b.length);
        if (available < LENGTH) {
            throw new TmsFormatException(TRUNCATED, "header needs " + LENGTH + " bytes, have " + available);
        }
        if (b[off] != 'T' || b[off + 1] != 'M') {
            throw new TmsFormatException(BAD_MAGIC, String.format("magic %02X%02X, expected 544D", b[off], b[off + 1]));
        }
        if (b[off + 2] != VERSION) {
            throw new TmsFormatException(BAD_VERSION, String.format("version %02X, expected 01", b[off + 2]));
        }
        String code = ascii2(b, off + 3);
        if (code == null) {
            throw new TmsFormatException(BAD_CODE, String.format("code bytes %02X%02X", b[off + 3], b[off + 4]));
        }
        int flags = b[off + 5] & 0xFF;
        if ((flags & ~(FLAG_RESPONSE | FLAG_SEALED)) != 0) {
            throw new TmsFormatException(BAD_FLAGS, String.format("flags %02X: only bits 0 and 1 are defined", flags));
        }
        long seq = ((long) (b[off + 6] & 0xFF) << 24) | ((b[off + 7] & 0xFF) << 16)
                | ((b[off + 8] & 0xFF) << 8) | (b[off + 9] & 0xFF);
        String status = ascii2(b, off + 10);
        if (status == null) {
            throw new TmsFormatException(BAD_STATUS, String.format("status bytes %02X%02X", b[off + 10], b[off + 11]));
        }
        return new TmsHeader(code, flags, seq, status);
    }

    /** Parses the first 12 bytes of {@code body}. */
    public static TmsHeader parse(byte[] body) {
        return parse(body, 0, body.length);
    }

    private static String ascii2(byte[] b, int p) {
        if (!isAlnum(b[p]) || !isAlnum(b[p + 1])) {
            return null;
        }
        return new String(new char[] {(char) b[p], (char) b[p + 1]});
    }

    private static boolean isAlnum(int c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static boolean isCode(String s) {
        return s != null && s.length() == 2 && isAlnum(s.charAt(0)) && isAlnum(s.charAt(1));
    }

    public boolean isResponse() {
        return (flags & FLAG_RESPONSE) != 0;
    }

    public boolean isSealed() {
        return (flags & FLAG_SEALED) != 0;
    }

    /** The protocol code, or {@code null} for a well-formed code the protocol does not define. */
    public TmsCode tmsCode() {
        return TmsCode.of(code);
    }

    /** The header of the answer: same code and seq, response flag set, sealed flag kept, {@code status}. */
    public TmsHeader response(String status) {
        return new TmsHeader(code, flags | FLAG_RESPONSE, seq, status);
    }

    /** A copy with the sealed flag set or cleared. */
    public TmsHeader withSealed(boolean sealed) {
        return new TmsHeader(code, sealed ? flags | FLAG_SEALED : flags & ~FLAG_SEALED, seq, status);
    }

    public byte[] encode() {
        byte[] b = new byte[LENGTH];
        writeTo(b, 0);
        return b;
    }

    public void writeTo(byte[] dst, int off) {
        dst[off] = 'T';
        dst[off + 1] = 'M';
        dst[off + 2] = VERSION;
        dst[off + 3] = (byte) code.charAt(0);
        dst[off + 4] = (byte) code.charAt(1);
        dst[off + 5] = (byte) flags;
        dst[off + 6] = (byte) (seq >>> 24);
        dst[off + 7] = (byte) (seq >>> 16);
        dst[off + 8] = (byte) (seq >>> 8);
        dst[off + 9] = (byte) seq;
        dst[off + 10] = (byte) status.charAt(0);
        dst[off + 11] = (byte) status.charAt(1);
    }
}
