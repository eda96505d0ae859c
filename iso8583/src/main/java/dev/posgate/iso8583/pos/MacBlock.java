package dev.posgate.iso8583.pos;

import java.util.Arrays;

import static dev.posgate.iso8583.pos.PosFormatException.Reason.NO_MAC;
import static dev.posgate.iso8583.pos.PosFormatException.Reason.TRAILING_BYTES;

/**
 * The MAC block (MAB) of protocol.md section 2: the bytes from the MTI up to, not including, field 64.
 * It therefore excludes the TPDU and application header (the first 11 bytes of the body) and the 8 MAC
 * bytes, and includes the bitmap with bit 64 set.
 *
 * <p>Computed on the packed bytes, never by re-packing: the message is walked field by field (lengths and
 * nibbles validated, nothing materialised), field 64 must be announced and must be the last 8 bytes of the
 * body (it is the highest field of a primary-bitmap message, so nothing can follow it).
 *
 * <p>{@code body} is a frame body: TPDU (5) | application header (6) | MTI | bitmap | fields; the
 * {@link PosDialect} overloads handle a centre dialect without application header.
 */
public final class MacBlock {
    /** Offset of the MTI in a frame body: after TPDU (5) and application header (6). */
    public static final int START = Tpdu.LENGTH + AppHeader.LENGTH;
    /** Length of field 64. */
    public static final int MAC_LENGTH = 8;

    private MacBlock() {
    }

    /** A copy of {@code body[START .. macOffset(body))}. */
    public static byte[] of(byte[] body) {
        return of(body, PosDialect.APP_HEADER);
    }

    /** A copy of the MAC block of a body in {@code dialect}: from the MTI up to field 64. */
    public static byte[] of(byte[] body, PosDialect dialect) {
        return Arrays.copyOfRange(body, dialect.mtiOffset(), macOffset(body, dialect));
    }

    /**
     * Offset of field 64 in {@code body}, which is also the exclusive end of the MAC block (so callers
     * can MAC {@code body[START .. macOffset)} in place). Validates TPDU id, header BCD and every field.
     *
     * @throws PosFormatException {@code NO_MAC} when bit 64 is not set; {@code TRAILING_BYTES} when
     *                            field 64 is not the end of the body; any unpack reason otherwise
     */
    public static int macOffset(byte[] body) {
        return macOffset(body, PosDialect.APP_HEADER);
    }

    /** {@link #macOffset(byte[])} for a body in {@code dialect}. */
    public static int macOffset(byte[] body, PosDialect dialect) {
        Tpdu.parse(body, 0);
        if (dialect == PosDialect.APP_HEADER) {
            AppHeader.parse(body, Tpdu.LENGTH);
        }
        int off = PosPackager.INSTANCE.offsetOf(body, dialect.mtiOffset(), body.length, 64);
        if (off < 0) {
            throw new PosFormatException(NO_MAC, 64, "bit 64 is not set: the message carries no MAC");
        }
        int end = off + PosPackager.INSTANCE.field(64).validate(body, off, body.length);
        if (end != body.length) {
            throw new PosFormatException(TRAILING_BYTES, 64, (body.length - end) + " bytes after field 64");
        }
        return off;
    }

    /** The 8 bytes of field 64 (a copy). */
    public static byte[] mac(byte[] body) {
        return mac(body, PosDialect.APP_HEADER);
    }

    /** The 8 bytes of field 64 of a body in {@code dialect} (a copy). */
    public static byte[] mac(byte[] body, PosDialect dialect) {
        int off = macOffset(body, dialect);
        return Arrays.copyOfRange(body, off, off + MAC_LENGTH);
    }

    /**
     * Overwrites field 64 of a packed body in place (pack with a placeholder MAC, MAC the block, then
     * write the result here: no second pack).
     */
    public static void writeMac(byte[] body, byte[] mac) {
        writeMac(body, mac, PosDialect.APP_HEADER);
    }

    /** {@link #writeMac(byte[], byte[])} for a body in {@code dialect}. */
    public static void writeMac(byte[] body, byte[] mac, PosDialect dialect) {
        if (mac.length != MAC_LENGTH) {
            throw new IllegalArgumentException("a MAC is 8 bytes, got " + mac.length);
        }
        System.arraycopy(mac, 0, body, macOffset(body, dialect), MAC_LENGTH);
    }
}
