package dev.posgate.iso8583.pos;

import org.jpos.iso.IFB_BITMAP;
import org.jpos.iso.ISOBasePackager;
import org.jpos.iso.ISOBinaryField;
import org.jpos.iso.ISOBitMap;
import org.jpos.iso.ISOComponent;
import org.jpos.iso.ISOException;
import org.jpos.iso.ISOField;
import org.jpos.iso.ISOFieldPackager;
import org.jpos.iso.ISOMsg;

import java.io.InputStream;
import java.util.BitSet;

import static dev.posgate.iso8583.pos.PosFormatException.Reason.BAD_VALUE;
import static dev.posgate.iso8583.pos.PosFormatException.Reason.SECONDARY_BITMAP;
import static dev.posgate.iso8583.pos.PosFormatException.Reason.TRAILING_BYTES;
import static dev.posgate.iso8583.pos.PosFormatException.Reason.TRUNCATED;
import static dev.posgate.iso8583.pos.PosFormatException.Reason.UNKNOWN_FIELD;
import static dev.posgate.iso8583.pos.PosFieldPackager.Kind.N;
import static dev.posgate.iso8583.pos.PosFieldPackager.Kind.Z;

/**
 * The POS ISO8583 packager of protocol.md section 2 (China UnionPay POS style), covering the ISO part of
 * the body: {@code MTI (n4, 2 bytes BCD) | primary bitmap (8 bytes) | fields}. TPDU and application header
 * are handled by {@link PosMessage}.
 *
 * <p>A programmatic {@link ISOBasePackager}: the field table is stock jPOS field packagers wrapped in
 * {@link PosFieldPackager} for strict validation; {@code pack}/{@code unpack} are overridden with a tight
 * loop that
 * <ul>
 *   <li>refuses bit 1 (secondary bitmap) and any field the table does not define, both ways;</li>
 *   <li>checks every length and nibble against the bounds of the message before jPOS reads it;</li>
 *   <li>refuses trailing bytes after the last field;</li>
 *   <li>throws only {@link PosFormatException} (unchecked), with a reason usable as a metric label;</li>
 *   <li>skips jPOS's per-call {@code LogEvent} and the intermediate {@code ArrayList}, and can reserve
 *       head room in the output for the TPDU, header and frame length (one copy per field, no re-copy).</li>
 * </ul>
 * Stateless and thread-safe: use {@link #INSTANCE}.
 */
public final class PosPackager extends ISOBasePackager {
    /** The single, shared, thread-safe instance. */
    public static final PosPackager INSTANCE = new PosPackager();

    /** The highest field number: only the primary bitmap is used. */
    public static final int MAX_FIELD = 64;
    /** Encoded length of the MTI. */
    public static final int MTI_LENGTH = 2;
    /** Encoded length of the (primary only) bitmap. */
    public static final int BITMAP_LENGTH = 8;

    private final PosFieldPackager[] table = new PosFieldPackager[MAX_FIELD + 1];
    private final PosFieldPackager mti = PosFieldPackager.numeric(0, 4, "MESSAGE TYPE INDICATOR");
    private final IFB_BITMAP bitmap = new IFB_BITMAP(BITMAP_LENGTH, "BIT MAP");

    public PosPackager() {
        // UnionPay POS field table (docs/protocol-choices.md, "Real terminals"): every field 2-64 has a
        // format, so a field the gateway does not use is kept instead of refused. Fields protocol.md
        // section 2 does not name follow ISO 8583:1987 in the packed (BCD/binary) style of the rest.
        def(PosFieldPackager.llnum(2, N, 19, "PRIMARY ACCOUNT NUMBER"));
        def(PosFieldPackager.numeric(3, 6, "PROCESSING CODE"));
        def(PosFieldPackager.numeric(4, 12, "AMOUNT, TRANSACTION"));
        def(PosFieldPackager.numeric(5, 12, "AMOUNT, SETTLEMENT"));
        def(PosFieldPackager.numeric(6, 12, "AMOUNT, CARDHOLDER BILLING"));
        def(PosFieldPackager.numeric(7, 10, "TRANSMISSION DATE AND TIME"));
        def(PosFieldPackager.numeric(8, 8, "AMOUNT, CARDHOLDER BILLING FEE"));
        def(PosFieldPackager.numeric(9, 8, "CONVERSION RATE, SETTLEMENT"));
        def(PosFieldPackager.numeric(10, 8, "CONVERSION RATE, CARDHOLDER BILLING"));
        def(PosFieldPackager.numeric(11, 6, "SYSTEM TRACE AUDIT NUMBER"));
        def(PosFieldPackager.numeric(12, 6, "TIME, LOCAL TRANSACTION"));
        def(PosFieldPackager.numeric(13, 4, "DATE, LOCAL TRANSACTION"));
        def(PosFieldPackager.numeric(14, 4, "DATE, EXPIRATION"));
        def(PosFieldPackager.numeric(15, 4, "DATE, SETTLEMENT"));
        def(PosFieldPackager.numeric(16, 4, "DATE, CONVERSION"));
        def(PosFieldPackager.numeric(17, 4, "DATE, CAPTURE"));
        def(PosFieldPackager.numeric(18, 4, "MERCHANT TYPE"));
        def(PosFieldPackager.numeric(19, 3, "ACQUIRING INSTITUTION COUNTRY CODE"));
        def(PosFieldPackager.numeric(20, 3, "PAN EXTENDED COUNTRY CODE"));
        def(PosFieldPackager.numeric(21, 3, "FORWARDING INSTITUTION COUNTRY CODE"));
        def(PosFieldPackager.numericLeft(22, 3, "POINT OF SERVICE ENTRY MODE"));
        def(PosFieldPackager.numeric(23, 3, "CARD SEQUENCE NUMBER"));
        def(PosFieldPackager.numeric(24, 3, "NETWORK INTERNATIONAL IDENTIFIER"));
        def(PosFieldPackager.numeric(25, 2, "POINT OF SERVICE CONDITION CODE"));
        def(PosFieldPackager.numeric(26, 2, "POINT OF SERVICE PIN CAPTURE CODE"));
        def(PosFieldPackager.numeric(27, 1, "AUTHORIZATION IDENTIFICATION RESP LEN"));
        // x+n8: a C/D byte and 8 BCD digits, kept as the 5 bytes they are
        def(PosFieldPackager.binary(28, 5, "AMOUNT, TRANSACTION FEE"));
        def(PosFieldPackager.binary(29, 5, "AMOUNT, SETTLEMENT FEE"));
        def(PosFieldPackager.binary(30, 5, "AMOUNT, TRANSACTION PROCESSING FEE"));
        def(PosFieldPackager.binary(31, 5, "AMOUNT, SETTLEMENT PROCESSING FEE"));
        def(PosFieldPackager.llnum(32, N, 11, "ACQUIRING INSTITUTION IDENT CODE"));
        def(PosFieldPackager.llnum(33, N, 11, "FORWARDING INSTITUTION IDENT CODE"));
        def(PosFieldPackager.llchar(34, 28, "PAN EXTENDED"));
        def(PosFieldPackager.llnum(35, Z, 37, "TRACK 2 DATA"));
        def(PosFieldPackager.lllnum(36, Z, 104, "TRACK 3 DATA"));
        def(PosFieldPackager.chars(37, 12, "RETRIEVAL REFERENCE NUMBER"));
        def(PosFieldPackager.chars(38, 6, "AUTHORIZATION IDENTIFICATION RESPONSE"));
        def(PosFieldPackager.chars(39, 2, "RESPONSE CODE"));
        def(PosFieldPackager.chars(40, 3, "SERVICE RESTRICTION CODE"));
        def(PosFieldPackager.chars(41, 8, "CARD ACCEPTOR TERMINAL IDENTIFICACION"));
        def(PosFieldPackager.chars(42, 15, "CARD ACCEPTOR IDENTIFICATION CODE"));
        def(PosFieldPackager.chars(43, 40, "CARD ACCEPTOR NAME/LOCATION (GBK)"));
        def(PosFieldPackager.llchar(44, 25, "ADDITIONAL RESPONSE DATA"));
        def(PosFieldPackager.llchar(45, 76, "TRACK 1 DATA"));
        def(PosFieldPackager.lllchar(46, 999, "TERMINAL HARDWARE/SOFTWARE INFORMATION"));
        def(PosFieldPackager.lllchar(47, 999, "ADDITIONAL DATA - NATIONAL"));
        def(PosFieldPackager.lllnum(48, N, 322, "ADDITIONAL DATA"));
        def(PosFieldPackager.chars(49, 3, "CURRENCY CODE, TRANSACTION"));
        def(PosFieldPackager.chars(50, 3, "CURRENCY CODE, SETTLEMENT"));
        def(PosFieldPackager.chars(51, 3, "CURRENCY CODE, CARDHOLDER BILLING"));
        def(PosFieldPackager.binary(52, 8, "PIN DATA"));
        def(PosFieldPackager.numeric(53, 16, "SECURITY RELATED CONTROL INFORMATION"));
        def(PosFieldPackager.lllchar(54, 20, "ADDITIONAL AMOUNTS"));
        def(PosFieldPackager.lllbinary(55, 255, "ICC DATA"));
        def(PosFieldPackager.lllchar(56, 999, "RESERVED PRIVATE 56"));
        def(PosFieldPackager.lllchar(57, 999, "RESERVED PRIVATE 57"));
        def(PosFieldPackager.lllchar(58, 999, "RESERVED PRIVATE 58"));
        def(PosFieldPackager.lllchar(59, 600, "TERMINAL INFORMATION"));
        def(PosFieldPackager.lllnum(60, N, 17, "RESERVED PRIVATE 60"));
        def(PosFieldPackager.lllnum(61, N, 29, "ORIGINAL MESSAGE DATA"));
        def(PosFieldPackager.lllbinary(62, 512, "RESERVED PRIVATE 62"));
        def(PosFieldPackager.lllchar(63, 163, "RESERVED PRIVATE 63"));
        def(PosFieldPackager.binary(64, 8, "MESSAGE AUTHENTICATION CODE"));

        ISOFieldPackager[] fld = new ISOFieldPackager[MAX_FIELD + 1];
        fld[0] = mti;
        fld[1] = bitmap;
        System.arraycopy(table, 2, fld, 2, MAX_FIELD - 1);
        setFieldPackager(fld);
    }

    private void def(PosFieldPackager f) {
        table[f.number()] = f;
    }

    /** The definition of field {@code no} (0 = MTI), or {@code null} when protocol.md does not define it. */
    public PosFieldPackager field(int no) {
        if (no == 0) {
            return mti;
        }
        return no >= 2 && no <= MAX_FIELD ? table[no] : null;
    }

    /** True when protocol.md defines field {@code no} (2..64). */
    public boolean isDefined(int no) {
        return no >= 2 && no <= MAX_FIELD && table[no] != null;
    }

    @Override
    protected int getMaxValidField() {
        return MAX_FIELD;
    }

    // ------------------------------------------------------------------------------------------ pack

    @Override
    public byte[] pack(ISOComponent m) {
        if (!(m instanceof ISOMsg)) {
            throw new IllegalArgumentException("PosPackager packs an ISOMsg");
        }
        return pack((ISOMsg) m, 0);
    }

    /**
     * Packs {@code MTI | bitmap | fields} into a new array, leaving {@code headroom} zero bytes in front
     * (for TPDU, application header and frame length) so that the caller never copies the message again.
     * The ISOMsg's values are copied into a field array and packed by {@link #pack(Object[], int)}.
     */
    public byte[] pack(ISOMsg m, int headroom) {
        return pack(fieldsOf(m), headroom);
    }

    /** The values of {@code m} as a field array (index = field number, 1 kept so that pack refuses it). */
    private static Object[] fieldsOf(ISOMsg m) {
        int maxField = m.getMaxField();
        if (maxField > MAX_FIELD) {
            throw new PosFormatException(BAD_VALUE, maxField, "only the primary bitmap (fields 2..64) is used");
        }
        Object[] values = new Object[MAX_FIELD + 1];
        for (int i = 0; i <= maxField; i++) {
            ISOComponent c = m.getComponent(i);
            if (c != null) {
                try {
                    values[i] = c.getValue();
                } catch (ISOException e) {
                    throw new PosFormatException(BAD_VALUE, i, "no value", e);
                }
            }
        }
        return values;
    }

    // ---------------------------------------------------------------------------------------- unpack

    @Override
    public int unpack(ISOComponent m, byte[] b) {
        if (!(m instanceof ISOMsg)) {
            throw new IllegalArgumentException("PosPackager unpacks into an ISOMsg");
        }
        return unpack((ISOMsg) m, b, 0, b.length);
    }

    /**
     * Unpacks {@code b[off .. end)}, which must hold exactly one message ({@code MTI | bitmap | fields}),
     * into {@code m}: {@link #unpack(Object[], byte[], int, int)}, then the values are copied into
     * {@code m} (on a failure too: what parsed, as the exception's {@code partial()} would hold it).
     *
     * @return bytes consumed, always {@code end - off}
     */
    public int unpack(ISOMsg m, byte[] b, int off, int end) {
        Object[] values = new Object[MAX_FIELD + 1];
        try {
            unpack(values, b, off, end);
        } catch (PosFormatException e) {
            copyInto(m, values, b, off, end);
            throw e.partialFields() != null ? e.attributed(m) : e;
        }
        copyInto(m, values, b, off, end);
        return end - off;
    }

    /**
     * Puts the parsed {@code values} of {@code b[off .. end)} into {@code m}: the MTI, the bitmap as
     * announced (jPOS keeps it as field -1) once it is readable, the fields.
     */
    private static void copyInto(ISOMsg m, Object[] values, byte[] b, int off, int end) {
        if (values[0] == null) {
            return;
        }
        put(m, new ISOField(0, (String) values[0]));
        long bits;
        try {
            bits = readBitmap(b, off + MTI_LENGTH, end);
        } catch (PosFormatException unreadable) { // the unpack failed there: nothing after the MTI parsed
            return;
        }
        BitSet bs = new BitSet(MAX_FIELD + 1);
        for (long rest = bits; rest != 0; rest &= rest - 1) {
            bs.set(MAX_FIELD - Long.numberOfTrailingZeros(rest));
        }
        put(m, new ISOBitMap(-1, bs));
        for (int i = 2; i <= MAX_FIELD; i++) {
            Object v = values[i];
            if (v != null) {
                put(m, v instanceof byte[] ? new ISOBinaryField(i, (byte[]) v) : new ISOField(i, (String) v));
            }
        }
    }

    private static void put(ISOMsg m, ISOComponent c) {
        try {
            m.set(c);
        } catch (ISOException e) { // ISOMsg.set(ISOComponent) only throws for a null key
            throw new IllegalStateException(e);
        }
    }

    /** The fields a format-error answer echoes (protocol.md 2.1): recovered after a bad field when possible. */
    private static final long ECHOED = (1L << (MAX_FIELD - 11)) | (1L << (MAX_FIELD - 41)) | (1L << (MAX_FIELD - 42));

    // ---------------------------------------------------------------------- field array (PosMessage)

    /**
     * Packs {@code MTI | bitmap | fields} from {@code values} (index = field number, 0 = MTI, 1 refused:
     * String for n/z/ans, byte[] for b, {@code null} when absent) into a new array with {@code headroom}
     * zero bytes in front. Every value is checked again; the bytes are those of the jPOS field packagers
     * (PosFieldCodecTest), written in place (no per-field array).
     */
    public byte[] pack(Object[] values, int headroom) {
        if (headroom < 0) {
            throw new IllegalArgumentException("headroom " + headroom);
        }
        Object mtiValue = values[0];
        if (mtiValue == null) {
            throw new PosFormatException(BAD_VALUE, 0, "MTI missing");
        }
        if (values[1] != null) {
            throw new PosFormatException(BAD_VALUE, 1, "field 1 (secondary bitmap) is not used");
        }
        if (!(mtiValue instanceof String) || ((String) mtiValue).length() != 4) {
            throw new PosFormatException(BAD_VALUE, 0, "MTI must be 4 digits: " + mtiValue);
        }
        mti.checkValue(mtiValue);
        long bits = 0;
        int total = MTI_LENGTH + BITMAP_LENGTH;
        for (int i = 2; i <= MAX_FIELD; i++) {
            Object v = values[i];
            if (v == null) {
                continue;
            }
            PosFieldPackager f = table[i];
            if (f == null) {
                throw new PosFormatException(BAD_VALUE, i, "field not defined by the protocol");
            }
            f.checkValue(v);
            total += f.packedLength(v);
            bits |= 1L << (MAX_FIELD - i);
        }
        byte[] out = new byte[headroom + total];
        int p = mti.packInto(mtiValue, out, headroom);
        for (int i = 0; i < BITMAP_LENGTH; i++) {
            out[p++] = (byte) (bits >>> (56 - 8 * i));
        }
        for (int i = 2; i <= MAX_FIELD; i++) {
            if (values[i] != null) {
                p = table[i].packInto(values[i], out, p);
            }
        }
        if (p != out.length) {
            throw new IllegalStateException("packed " + (p - headroom) + " bytes, expected " + total);
        }
        return out;
    }

    /**
     * Unpacks {@code b[off .. end)}, which must hold exactly one message, into {@code values} (see
     * {@link #pack(Object[], int)}; {@code values.length > MAX_FIELD}, all {@code null}). An attributable
     * exception carries {@code values} as parsed so far.
     */
    public void unpack(Object[] values, byte[] b, int off, int end) {
        if (off < 0 || end > b.length || off > end) {
            throw new IndexOutOfBoundsException("off " + off + " end " + end + " length " + b.length);
        }
        int p = off;
        int n = mti.validate(b, p, end);
        values[0] = mti.decode(b, p);
        p += n;

        long bits;
        try {
            bits = readBitmap(b, p, end);
        } catch (PosFormatException e) {
            // bit 1 set: the bitmap is there and the MTI is known, so the sender can be answered
            throw e.reason() == SECONDARY_BITMAP ? e.attributed(values) : e;
        }
        p += BITMAP_LENGTH;

        int i = 0;
        for (long rest = bits; rest != 0; rest &= ~(Long.MIN_VALUE >>> (i - 1))) {
            i = Long.numberOfLeadingZeros(rest) + 1; // the MSB is field 1: ascending field order
            PosFieldPackager f = table[i];
            if (f == null) { // every field 2-64 is defined: kept for a narrower table
                throw new PosFormatException(UNKNOWN_FIELD, i, "the bitmap announces a field the protocol does not define")
                        .attributed(values);
            }
            try {
                n = f.validate(b, p, end);
            } catch (PosFormatException e) {
                salvage(values, b, p, end, bits, i);
                throw e.attributed(values);
            }
            values[i] = f.decode(b, p);
            p += n;
        }
        if (p != end) {
            throw new PosFormatException(TRAILING_BYTES, -1, (end - p) + " bytes after the last field").attributed(values);
        }
    }

    /**
     * After field {@code failed} at {@code p} did not parse, recovers 11, 41 and 42 if they follow it: skips
     * fields by their length alone while their extent is known (a bad digit does not hide the next field;
     * a bad length prefix or a truncation does, and ends the attempt). Nothing else is added to {@code values}.
     */
    private void salvage(Object[] values, byte[] b, int p, int end, long bits, int failed) {
        long wanted = bits & ECHOED & (-1L >>> failed);
        if (wanted == 0) {
            return;
        }
        try {
            p += table[failed].extent(b, p, end);
            int i = failed;
            for (long rest = bits & (-1L >>> failed); rest != 0 && (wanted & -1L >>> i) != 0;
                 rest &= ~(Long.MIN_VALUE >>> (i - 1))) {
                i = Long.numberOfLeadingZeros(rest) + 1;
                PosFieldPackager f = table[i];
                if ((ECHOED & (1L << (MAX_FIELD - i))) != 0) {
                    int n = f.validate(b, p, end);
                    values[i] = f.decode(b, p);
                    p += n;
                } else {
                    p += f.extent(b, p, end);
                }
            }
        } catch (PosFormatException stop) {
            // the rest of the message cannot be located: answer with what was recovered
        }
    }

    /**
     * Walks the message {@code b[off .. end)} ({@code MTI | bitmap | fields}) validating every field, and
     * returns the offset of field {@code fieldNo}, or -1 when the bitmap does not announce it. Nothing is
     * materialised (no strings, no ISOMsg). Does not check for trailing bytes.
     */
    public int offsetOf(byte[] b, int off, int end, int fieldNo) {
        if (fieldNo < 2 || fieldNo > MAX_FIELD) {
            throw new IllegalArgumentException("field " + fieldNo);
        }
        int p = off + mti.validate(b, off, end);
        long bits = readBitmap(b, p, end);
        p += BITMAP_LENGTH;
        if ((bits & (1L << (MAX_FIELD - fieldNo))) == 0) {
            return -1;
        }
        int i = 0;
        for (long rest = bits; rest != 0; rest &= ~(Long.MIN_VALUE >>> (i - 1))) {
            i = Long.numberOfLeadingZeros(rest) + 1;
            if (i == fieldNo) {
                return p;
            }
            PosFieldPackager f = table[i];
            if (f == null) {
                throw new PosFormatException(UNKNOWN_FIELD, i, "the bitmap announces a field the protocol does not define");
            }
            p += f.validate(b, p, end);
        }
        throw new AssertionError("unreachable");
    }

    /** Reads the primary bitmap at {@code b[p]}; bit 63 of the result (the MSB) is field 1. */
    static long readBitmap(byte[] b, int p, int end) {
        if (end - p < BITMAP_LENGTH) {
            throw new PosFormatException(TRUNCATED, 1, "bitmap needs 8 bytes, " + Math.max(0, end - p) + " left");
        }
        if ((b[p] & 0x80) != 0) {
            throw new PosFormatException(SECONDARY_BITMAP, 1, "bit 1 set: only the primary bitmap is used");
        }
        long bits = 0;
        for (int i = 0; i < BITMAP_LENGTH; i++) {
            bits = (bits << 8) | (b[p + i] & 0xFF);
        }
        return bits;
    }

    /** Stream unpacking is not offered: frames are length-delimited and unpacked from arrays. */
    @Override
    public void unpack(ISOComponent m, InputStream in) throws ISOException {
        throw new ISOException("PosPackager unpacks from byte arrays only");
    }

    @Override
    public String getDescription() {
        return "posgate POS ISO8583 packager (protocol.md section 2)";
    }
}
