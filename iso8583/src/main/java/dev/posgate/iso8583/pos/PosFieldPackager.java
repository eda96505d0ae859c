package dev.posgate.iso8583.pos;

import org.jpos.iso.IFB_BINARY;
import org.jpos.iso.IFB_LLCHAR;
import org.jpos.iso.IFB_LLLBINARY;
import org.jpos.iso.IFB_LLLCHAR;
import org.jpos.iso.IFB_LLLNUM;
import org.jpos.iso.IFB_LLNUM;
import org.jpos.iso.IFB_NUMERIC;
import org.jpos.iso.IF_CHAR;
import org.jpos.iso.ISOComponent;
import org.jpos.iso.ISOException;
import org.jpos.iso.ISOFieldPackager;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static dev.posgate.iso8583.pos.PosFormatException.Reason.BAD_BCD;
import static dev.posgate.iso8583.pos.PosFormatException.Reason.BAD_VALUE;
import static dev.posgate.iso8583.pos.PosFormatException.Reason.FIELD_TOO_LONG;
import static dev.posgate.iso8583.pos.PosFormatException.Reason.TRUNCATED;

/**
 * One field of the POS field table: a stock jPOS field packager ({@code IFB_NUMERIC}, {@code IFB_LLNUM},
 * {@code IFB_LLLNUM}, {@code IF_CHAR}, {@code IFB_LLCHAR}, {@code IFB_LLLCHAR}, {@code IFB_BINARY},
 * {@code IFB_LLLBINARY}) does the encoding, wrapped in the strict checks jPOS does not make:
 * <ul>
 *   <li>unpack: BCD length prefix digits, prefix not above the field maximum, prefix and data within the
 *       message, every nibble of an n field 0-9 (z: any, see {@link Kind#Z}), pad nibble 0 - all before jPOS touches the
 *       bytes, so no {@code ArrayIndexOutOfBoundsException} or silently accepted hex digit can escape;</li>
 *   <li>pack: value type, length and charset (jPOS would BCD-pack "12A4" without complaint).</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class PosFieldPackager extends ISOFieldPackager {

    /** Content type, protocol.md notation. */
    public enum Kind {
        /** BCD digits 0-9. */
        N,
        /**
         * BCD track data: digits and {@code D} (shown as {@code '='}). Any other nibble (A-C, E, F) is
         * accepted too and shown as its hex digit: with track encryption (53.3 = 1) fields 35/36 carry
         * TDES output in the same packed layout, and the packager cannot know 53.3 before reaching them.
         */
        Z,
        /** Characters, one byte each (ISO-8859-1, so any byte round-trips). */
        ANS,
        /** Raw bytes. */
        B
    }

    /** Where the digits of an odd-length BCD field sit. */
    public enum Align {
        /** Right-aligned: a leading {@code 0} pad nibble ("0" + "123" = {@code 01 23}). */
        RIGHT,
        /** Left-aligned: a trailing {@code 0} pad nibble ("123" + "0" = {@code 12 30}). */
        LEFT
    }

    private final int number;
    private final Kind kind;
    /** 0 for fixed length, 2 for LLVAR (1 BCD byte), 3 for LLLVAR (2 BCD bytes). */
    private final int prefixDigits;
    /** Fixed length, or maximum length of a variable field, in digits (n, z) or bytes. */
    private final int length;
    private final Align align;
    private final ISOFieldPackager jpos;

    private PosFieldPackager(int number, Kind kind, int prefixDigits, int length, Align align,
                             String description, ISOFieldPackager jpos) {
        super(length, description);
        this.number = number;
        this.kind = kind;
        this.prefixDigits = prefixDigits;
        this.length = length;
        this.align = align;
        this.jpos = jpos;
    }

    /** Fixed n, right-aligned (leading pad nibble when odd): jPOS {@code IFB_NUMERIC(len, d, true)}. */
    static PosFieldPackager numeric(int no, int len, String d) {
        return new PosFieldPackager(no, Kind.N, 0, len, Align.RIGHT, d, new IFB_NUMERIC(len, d, true));
    }

    /** Fixed n, left-aligned (trailing pad nibble when odd): jPOS {@code IFB_NUMERIC(len, d, false)}. */
    static PosFieldPackager numericLeft(int no, int len, String d) {
        return new PosFieldPackager(no, Kind.N, 0, len, Align.LEFT, d, new IFB_NUMERIC(len, d, false));
    }

    /** LLVAR n or z, BCD, left-aligned: jPOS {@code IFB_LLNUM(max, d, false)}. */
    static PosFieldPackager llnum(int no, Kind kind, int max, String d) {
        return new PosFieldPackager(no, kind, 2, max, Align.LEFT, d, new IFB_LLNUM(max, d, false));
    }

    /** LLLVAR n or z, BCD, left-aligned: jPOS {@code IFB_LLLNUM(max, d, false)}. */
    static PosFieldPackager lllnum(int no, Kind kind, int max, String d) {
        return new PosFieldPackager(no, kind, 3, max, Align.LEFT, d, new IFB_LLLNUM(max, d, false));
    }

    /** Fixed an/ans, right-padded with spaces when packing: jPOS {@code IF_CHAR}. */
    static PosFieldPackager chars(int no, int len, String d) {
        return new PosFieldPackager(no, Kind.ANS, 0, len, Align.LEFT, d, new IF_CHAR(len, d));
    }

    /** LLVAR an/ans, BCD prefix counting bytes: jPOS {@code IFB_LLCHAR}. */
    static PosFieldPackager llchar(int no, int max, String d) {
        return new PosFieldPackager(no, Kind.ANS, 2, max, Align.LEFT, d, new IFB_LLCHAR(max, d));
    }

    /** LLLVAR an/ans, BCD prefix counting bytes: jPOS {@code IFB_LLLCHAR}. */
    static PosFieldPackager lllchar(int no, int max, String d) {
        return new PosFieldPackager(no, Kind.ANS, 3, max, Align.LEFT, d, new IFB_LLLCHAR(max, d));
    }

    /** Fixed b: jPOS {@code IFB_BINARY}. */
    static PosFieldPackager binary(int no, int len, String d) {
        return new PosFieldPackager(no, Kind.B, 0, len, Align.LEFT, d, new IFB_BINARY(len, d));
    }

    /** LLLVAR b, BCD prefix counting bytes: jPOS {@code IFB_LLLBINARY}. */
    static PosFieldPackager lllbinary(int no, int max, String d) {
        return new PosFieldPackager(no, Kind.B, 3, max, Align.LEFT, d, new IFB_LLLBINARY(max, d));
    }

    public int number() {
        return number;
    }

    public Kind kind() {
        return kind;
    }

    /** 0 fixed, 2 LLVAR, 3 LLLVAR. */
    public int prefixDigits() {
        return prefixDigits;
    }

    /** The fixed length, or the maximum of a variable field (digits for n/z, bytes otherwise). */
    @Override
    public int getLength() {
        return length;
    }

    public Align align() {
        return align;
    }

    public boolean isBinary() {
        return kind == Kind.B;
    }

    /** The wrapped stock jPOS packager. */
    public ISOFieldPackager jposPackager() {
        return jpos;
    }

    @Override
    public ISOComponent createComponent(int fieldNumber) {
        return jpos.createComponent(fieldNumber);
    }

    @Override
    public int getMaxPackedLength() {
        return jpos.getMaxPackedLength();
    }

    // ------------------------------------------------------------------------------------------ pack

    @Override
    public byte[] pack(ISOComponent c) {
        Object v;
        try {
            v = c.getValue();
        } catch (ISOException e) {
            throw new PosFormatException(BAD_VALUE, number, "no value", e);
        }
        checkValue(v);
        if (kind == Kind.Z) {
            return packTrack((String) v);
        }
        try {
            return jpos.pack(c);
        } catch (ISOException e) {
            throw new PosFormatException(BAD_VALUE, number, e.getMessage(), e);
        }
    }

    /**
     * Packs a z value (prefix, then left-aligned nibbles, trailing 0 pad): jPOS's {@code str2bcd} maps only
     * 0-9 and '=' correctly, an encrypted track needs every nibble.
     */
    private byte[] packTrack(String s) {
        int n = s.length();
        int prefixBytes = prefixDigits == 2 ? 1 : prefixDigits == 3 ? 2 : 0;
        byte[] out = new byte[prefixBytes + ((n + 1) >>> 1)];
        if (prefixBytes == 2) {
            out[0] = (byte) (n / 100);
            out[1] = (byte) (((n / 10 % 10) << 4) | (n % 10));
        } else if (prefixBytes == 1) {
            out[0] = (byte) (((n / 10) << 4) | (n % 10));
        }
        for (int i = 0; i < n; i++) {
            char ch = s.charAt(i);
            int nib = ch == '=' ? 0x0D : Character.digit(ch, 16);
            out[prefixBytes + (i >> 1)] |= (byte) ((i & 1) == 0 ? nib << 4 : nib);
        }
        return out;
    }

    /** Throws {@link PosFormatException} ({@code BAD_VALUE}) unless {@code v} fits this field. */
    public void checkValue(Object v) {
        if (kind == Kind.B) {
            if (!(v instanceof byte[])) {
                throw new PosFormatException(BAD_VALUE, number, "binary field needs byte[], got " + typeName(v));
            }
            int n = ((byte[]) v).length;
            if (prefixDigits == 0 ? n != length : n > length) {
                throw new PosFormatException(BAD_VALUE, number,
                        n + " bytes, field is " + (prefixDigits == 0 ? "b" : "b..") + length);
            }
            return;
        }
        if (!(v instanceof String)) {
            throw new PosFormatException(BAD_VALUE, number, "field needs a String, got " + typeName(v));
        }
        String s = (String) v;
        if (s.length() > length) {
            throw new PosFormatException(BAD_VALUE, number, s.length() + " characters, max " + length);
        }
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            boolean ok;
            switch (kind) {
                case N: ok = ch >= '0' && ch <= '9'; break;
                case Z: ok = (ch >= '0' && ch <= '9') || ch == '=' || (ch >= 'A' && ch <= 'F' && ch != 'D'); break;
                default: ok = ch <= 0xFF; break;
            }
            if (!ok) {
                throw new PosFormatException(BAD_VALUE, number,
                        "character " + i + " (U+" + String.format("%04X", (int) ch) + ") not allowed in "
                                + kind.name().toLowerCase() + " field");
            }
        }
    }

    private static String typeName(Object v) {
        return v == null ? "null" : v.getClass().getSimpleName();
    }

    // ---------------------------------------------------------------------------------------- unpack

    @Override
    public int unpack(ISOComponent c, byte[] b, int offset) {
        return unpack(c, b, offset, b.length);
    }

    /**
     * Validates, then lets jPOS unpack, the field at {@code b[off..]}, which must end by {@code end}.
     *
     * @return bytes consumed (prefix + data)
     */
    public int unpack(ISOComponent c, byte[] b, int off, int end) {
        int consumed = validate(b, off, end);
        try {
            int n = jpos.unpack(c, b, off);
            if (n != consumed) { // cannot happen with the stock packagers; guard against a jPOS change
                throw new IllegalStateException("field " + number + ": jPOS consumed " + n + ", expected " + consumed);
            }
            return n;
        } catch (ISOException e) {
            throw new PosFormatException(BAD_VALUE, number, e.getMessage(), e);
        }
    }

    /**
     * Checks the field at {@code b[off..end)} without materialising it and returns how many bytes it
     * occupies (prefix + data). Used by unpack and by {@link MacBlock} to walk a message.
     */
    public int validate(byte[] b, int off, int end) {
        int consumed = extent(b, off, end);
        if (bcd()) {
            int prefixBytes = prefixDigits == 2 ? 1 : prefixDigits == 3 ? 2 : 0;
            checkNibbles(b, off + prefixBytes, prefixDigits == 0 ? length : prefixValue(b, off, prefixBytes));
        }
        return consumed;
    }

    /**
     * How many bytes the field at {@code b[off..end)} occupies (prefix + data), checking the length prefix
     * and the bounds but not the content: lets a failed parse skip a field whose content is bad to recover
     * the fields after it (see {@link PosFormatException#partial()}).
     */
    public int extent(byte[] b, int off, int end) {
        int p = off;
        int n;
        if (prefixDigits == 0) {
            n = length;
        } else {
            int prefixBytes = prefixDigits == 2 ? 1 : 2;
            if (end - p < prefixBytes) {
                throw new PosFormatException(TRUNCATED, number,
                        "length prefix needs " + prefixBytes + " bytes at offset " + off + ", " + (end - p) + " left");
            }
            for (int i = 0; i < prefixBytes; i++) {
                int v = b[p + i] & 0xFF;
                if ((v >>> 4) > 9 || (v & 0x0F) > 9) {
                    throw new PosFormatException(BAD_BCD, number,
                            String.format("length prefix byte %02X is not BCD", v));
                }
            }
            n = prefixValue(b, off, prefixBytes);
            p += prefixBytes;
            if (n > length) {
                throw new PosFormatException(FIELD_TOO_LONG, number,
                        "length " + n + " above the maximum " + length);
            }
        }
        int packed = bcd() ? (n + 1) >>> 1 : n;
        if (end - p < packed) {
            throw new PosFormatException(TRUNCATED, number,
                    "needs " + packed + " bytes at offset " + p + ", " + (end - p) + " left");
        }
        return p + packed - off;
    }

    private static int prefixValue(byte[] b, int off, int prefixBytes) {
        int n = 0;
        for (int i = 0; i < prefixBytes; i++) {
            int v = b[off + i] & 0xFF;
            n = n * 100 + (v >>> 4) * 10 + (v & 0x0F);
        }
        return n;
    }

    private void checkNibbles(byte[] b, int p, int digits) {
        int nibbles = (digits + 1) & ~1;
        // index of the pad nibble when the digit count is odd, else -1
        int pad = (digits & 1) == 0 ? -1 : (align == Align.RIGHT ? 0 : nibbles - 1);
        for (int i = 0; i < nibbles; i++) {
            int v = b[p + (i >> 1)] & 0xFF;
            int nib = (i & 1) == 0 ? v >>> 4 : v & 0x0F;
            if (i == pad) {
                if (nib != 0) {
                    throw new PosFormatException(BAD_BCD, number, String.format("pad nibble is %X, expected 0", nib));
                }
            } else if (nib > 9 && kind != Kind.Z) {
                throw new PosFormatException(BAD_BCD, number,
                        String.format("nibble %X at digit %d is not allowed in an %s field", nib,
                                align == Align.RIGHT && pad == 0 ? i - 1 : i, kind.name().toLowerCase()));
            }
        }
    }

    // ------------------------------------------------------------- direct codec (PosMessage's field array)
    //
    // PosMessage keeps its values in an array (String for n/z/ans, byte[] for b) and packs/unpacks them
    // here without an ISOComponent, a per-field byte[] or a TreeMap: the same bytes and values as the
    // wrapped jPOS packager (PosFieldCodecTest compares both over every field), see docs/benchmarks.md
    // "Issue 19: PosMessage on a field array".

    private static final byte[] NIBBLE_CHARS = "0123456789ABC=EF".getBytes(StandardCharsets.ISO_8859_1);

    private int prefixBytes() {
        return prefixDigits == 2 ? 1 : prefixDigits == 3 ? 2 : 0;
    }

    /** Bytes {@code v} (already {@link #checkValue checked}) takes on the wire: prefix + data. */
    int packedLength(Object v) {
        if (prefixDigits == 0) {
            return bcd() ? (length + 1) >>> 1 : length;
        }
        int n = kind == Kind.B ? ((byte[]) v).length : ((String) v).length();
        return prefixBytes() + (bcd() ? (n + 1) >>> 1 : n);
    }

    /**
     * Writes {@code v} (already {@link #checkValue checked}) at {@code out[p]}, exactly as the jPOS packager
     * would (fixed n zero-padded on the left, fixed ans space-padded on the right); {@code out} is zero
     * where the field goes. Returns the offset after the field.
     */
    int packInto(Object v, byte[] out, int p) {
        if (kind == Kind.B) {
            byte[] a = (byte[]) v;
            p = writePrefix(out, p, a.length);
            System.arraycopy(a, 0, out, p, a.length);
            return p + a.length;
        }
        String s = (String) v;
        int n = s.length();
        if (kind == Kind.ANS) {
            p = writePrefix(out, p, n);
            for (int i = 0; i < n; i++) {
                out[p + i] = (byte) s.charAt(i);
            }
            if (prefixDigits != 0) {
                return p + n;
            }
            for (int i = n; i < length; i++) {
                out[p + i] = ' ';
            }
            return p + length;
        }
        int digits = n;
        int lead = 0;
        if (prefixDigits == 0) {
            digits = length;
            lead = length - n;
        } else {
            p = writePrefix(out, p, n);
        }
        int shift = (digits & 1) == 1 && align == Align.RIGHT ? 1 : 0;
        for (int i = lead; i < digits; i++) {
            char ch = s.charAt(i - lead);
            int nib = ch == '=' ? 0x0D : ch <= '9' ? ch - '0' : ch - 'A' + 10;
            int k = i + shift;
            out[p + (k >> 1)] |= (byte) ((k & 1) == 0 ? nib << 4 : nib);
        }
        return p + ((digits + 1) >>> 1);
    }

    private int writePrefix(byte[] out, int p, int n) {
        if (prefixDigits == 3) {
            out[p] = (byte) (n / 100);
            out[p + 1] = (byte) (((n / 10 % 10) << 4) | (n % 10));
            return p + 2;
        }
        if (prefixDigits == 2) {
            out[p] = (byte) (((n / 10) << 4) | (n % 10));
            return p + 1;
        }
        return p;
    }

    /**
     * The value of the field at {@code b[off..]}, which {@link #validate} has accepted: the digits of an
     * n/z field ({@code '='} for a D nibble), the characters of an ans field (a fixed one with its
     * padding, as jPOS's {@code IF_CHAR}), a copy of the bytes of a b field.
     */
    Object decode(byte[] b, int off) {
        int p = off;
        int n = length;
        if (prefixDigits != 0) {
            int pb = prefixBytes();
            n = prefixValue(b, off, pb);
            p += pb;
        }
        switch (kind) {
            case B:
                return Arrays.copyOfRange(b, p, p + n);
            case ANS:
                return new String(b, p, n, StandardCharsets.ISO_8859_1);
            default: {
                int shift = (n & 1) == 1 && align == Align.RIGHT ? 1 : 0;
                byte[] c = new byte[n];
                for (int i = 0; i < n; i++) {
                    int k = i + shift;
                    int v = b[p + (k >> 1)] & 0xFF;
                    c[i] = NIBBLE_CHARS[(k & 1) == 0 ? v >>> 4 : v & 0x0F];
                }
                return new String(c, StandardCharsets.ISO_8859_1);
            }
        }
    }

    /** Stream unpacking is not offered: frames are length-delimited and unpacked from arrays. */
    @Override
    public void unpack(ISOComponent c, InputStream in) throws IOException, ISOException {
        throw new ISOException("PosFieldPackager unpacks from byte arrays only");
    }

    @Override
    public String toString() {
        String t = kind.name().toLowerCase();
        return "field " + number + " " + (prefixDigits == 2 ? "LLVAR " : prefixDigits == 3 ? "LLLVAR " : "")
                + t + (prefixDigits == 0 ? "" : "..") + length + (bcd() && align == Align.LEFT ? " left" : "");
    }

    private boolean bcd() {
        return kind == Kind.N || kind == Kind.Z;
    }
}
