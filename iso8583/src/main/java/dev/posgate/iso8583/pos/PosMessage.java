package dev.posgate.iso8583.pos;

import dev.posgate.iso8583.frame.FrameEncoder;
import dev.posgate.iso8583.frame.FrameLimits;
import org.jpos.iso.ISOBinaryField;
import org.jpos.iso.ISOComponent;
import org.jpos.iso.ISOException;
import org.jpos.iso.ISOField;
import org.jpos.iso.ISOMsg;
import org.jpos.iso.ISOUtil;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

import static dev.posgate.iso8583.pos.PosFormatException.Reason.BAD_VALUE;

/**
 * A POS ISO8583 message of protocol.md section 2: {@link Tpdu}, {@link AppHeader}, the MTI and the
 * fields, packed with {@link PosPackager}. The values are kept in an array indexed by field number
 * (String for n/z/ans, byte[] for b) rather than a jPOS {@link ISOMsg}; {@link #iso()} gives an
 * {@code ISOMsg} view for tests and benchmarks.
 *
 * <p>Mutable and not thread-safe (like {@code ISOMsg}); one per request/response. Values are validated
 * when set, so a response that cannot be packed fails where it is built.
 */
public final class PosMessage {
    /** Fields echoed by {@link #reply(int, int...)} when present in the request. */
    private static final int[] ALWAYS_ECHO = {11, 41, 42};
    /** The charset of Chinese text in an/ans fields (43, 56-59, 63 ...): UnionPay terminals send GBK. */
    public static final Charset GBK = Charset.forName("GBK");

    private Tpdu tpdu;
    private AppHeader header;
    /** Index = field number, 0 = MTI (1, the secondary bitmap, is never used). */
    private final Object[] values;
    /** The {@link #iso()} view once asked for (then kept in step with {@link #values}), else {@code null}. */
    private IsoView iso;
    /** The body as received, kept until the message is changed: MACs are checked over these bytes. */
    private byte[] received;

    private PosMessage(Tpdu tpdu, AppHeader header, Object[] values) {
        this.tpdu = Objects.requireNonNull(tpdu, "tpdu");
        this.header = Objects.requireNonNull(header, "header");
        this.values = values;
    }

    /** A new message with no field but the MTI. */
    public static PosMessage create(Tpdu tpdu, AppHeader header, String mti) {
        PosMessage m = new PosMessage(tpdu, header, new Object[PosPackager.MAX_FIELD + 1]);
        m.mti(mti);
        return m;
    }

    /** Parses a frame body ({@code 60 ...}): TPDU, header, then exactly one ISO message, nothing after. */
    public static PosMessage unpack(byte[] body) {
        return unpack(body, 0, body.length);
    }

    /** Parses {@code b[off .. off+len)} as a frame body. */
    public static PosMessage unpack(byte[] b, int off, int len) {
        return unpack(b, off, len, PosDialect.APP_HEADER);
    }

    /** Parses a frame body in {@code dialect}. */
    public static PosMessage unpack(byte[] body, PosDialect dialect) {
        return unpack(body, 0, body.length, dialect);
    }

    /**
     * Parses {@code b[off .. off+len)} as a frame body in {@code dialect}.
     *
     * @throws PosFormatException when the bytes do not parse; {@link PosFormatException#partial()} holds
     *                            what did when TPDU, header, MTI and bitmap parsed
     */
    public static PosMessage unpack(byte[] b, int off, int len, PosDialect dialect) {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len < Tpdu.LENGTH) {
            throw new PosFormatException(PosFormatException.Reason.BAD_TPDU, -1, "body of " + len + " bytes");
        }
        Tpdu tpdu = Tpdu.parse(b, off);
        int mtiOffset = dialect.mtiOffset();
        if (len < mtiOffset) {
            throw new PosFormatException(PosFormatException.Reason.BAD_HEADER, -1, "body of " + len + " bytes");
        }
        AppHeader header = dialect == PosDialect.APP_HEADER ? AppHeader.parse(b, off + Tpdu.LENGTH) : AppHeader.NONE;
        Object[] values = new Object[PosPackager.MAX_FIELD + 1];
        try {
            PosPackager.INSTANCE.unpack(values, b, off + mtiOffset, off + len);
        } catch (PosFormatException e) {
            if (e.partialFields() != null) {
                e.partial(new PosMessage(tpdu, header, e.partialFields()));
            }
            throw e;
        }
        PosMessage m = new PosMessage(tpdu, header, values);
        m.received = off == 0 && len == b.length ? b : Arrays.copyOfRange(b, off, off + len);
        return m;
    }

    /** How this message's body is laid out: {@link PosDialect#NO_APP_HEADER} when its header is {@link AppHeader#NONE}. */
    public PosDialect dialect() {
        return header.present() ? PosDialect.APP_HEADER : PosDialect.NO_APP_HEADER;
    }

    /**
     * The bytes of this message on the wire: exactly as received when it was unpacked and not
     * changed since (what a MAC must be verified over), its packed form otherwise. Do not modify.
     */
    public byte[] wire() {
        return received != null ? received : pack();
    }

    /** The frame body: TPDU | header | MTI | bitmap | fields, in one allocation. */
    public byte[] pack() {
        byte[] out = packIso(Tpdu.LENGTH + header.length());
        tpdu.writeTo(out, 0);
        header.writeTo(out, Tpdu.LENGTH);
        return out;
    }

    /** The whole frame, {@code LEN | body}, in one allocation (what goes on the socket). */
    public byte[] packFrame() {
        byte[] out = packIso(2 + Tpdu.LENGTH + header.length());
        if (out.length - 2 > FrameLimits.MAX_LEN) {
            throw new PosFormatException(BAD_VALUE, -1, "message of " + (out.length - 2) + " bytes exceeds a frame");
        }
        FrameEncoder.writeLength(out, 0, out.length - 2);
        tpdu.writeTo(out, 2);
        header.writeTo(out, 2 + Tpdu.LENGTH);
        return out;
    }

    /**
     * MTI, bitmap and fields after {@code headroom} bytes: from the field array, or, once {@link #iso()}
     * has been handed out (anything may have been put in it), from that ISOMsg, checked as before.
     */
    private byte[] packIso(int headroom) {
        return iso == null ? PosPackager.INSTANCE.pack(values, headroom) : PosPackager.INSTANCE.pack(iso, headroom);
    }

    /** Sets (or with {@code null} clears) a value already checked, keeping an {@link #iso()} view in step. */
    private void store(int field, Object v) {
        if (field > PosPackager.MAX_FIELD) {
            if (iso != null && v == null) {
                iso.unsetOnly(field);
            }
            return;
        }
        values[field] = v;
        if (iso != null) {
            iso.mirror(field, v);
        }
    }

    // ------------------------------------------------------------------------------------ accessors

    public Tpdu tpdu() {
        return tpdu;
    }

    public PosMessage tpdu(Tpdu newTpdu) {
        received = null;
        this.tpdu = Objects.requireNonNull(newTpdu);
        return this;
    }

    public AppHeader header() {
        return header;
    }

    public PosMessage header(AppHeader newHeader) {
        received = null;
        this.header = Objects.requireNonNull(newHeader);
        return this;
    }

    /** Sets the header's processing-requirement digit (see {@link ProcessingRequirement}). */
    public PosMessage processingRequirement(int digit) {
        received = null;
        this.header = header.withProcessingRequirement(digit);
        return this;
    }

    /**
     * The message as a jPOS {@link ISOMsg} (its packager is {@link PosPackager#INSTANCE}), for tests and
     * benchmarks: built on the first call, then kept in step both ways with this message (a value put into
     * it is seen by {@link #field(int)} and checked by {@link #pack()}, which then packs that ISOMsg). Its
     * {@code clone()} is a plain, detached {@code ISOMsg}.
     */
    public ISOMsg iso() {
        if (iso == null) {
            iso = new IsoView();
        }
        return iso;
    }

    public String mti() {
        Object v = values[0];
        return v == null ? null : v.toString();
    }

    public PosMessage mti(String mti) {
        received = null;
        if (mti == null || mti.length() != 4) {
            throw new PosFormatException(BAD_VALUE, 0, "MTI must be 4 digits: " + mti);
        }
        PosPackager.INSTANCE.field(0).checkValue(mti);
        store(0, mti);
        return this;
    }

    /** True for a request MTI (third digit even: 0200, 0800, ...), false for a response (0210, 0810). */
    public boolean isRequest() {
        return (mti().charAt(2) - '0') % 2 == 0;
    }

    public boolean has(int field) {
        return field > 0 && field <= PosPackager.MAX_FIELD && values[field] != null;
    }

    /**
     * The value of {@code field}, or {@code null} when absent: the digits of n/z fields ({@code '='} for
     * the track separator), the characters of an/ans fields, uppercase hex for b fields.
     */
    public String field(int field) {
        Object v = value(field);
        if (v == null) {
            return null;
        }
        return v instanceof byte[] ? ISOUtil.hexString((byte[]) v) : v.toString();
    }

    /**
     * The raw value of {@code field} (a copy), or {@code null} when absent: the bytes of a b field; for the
     * other fields their characters in ISO-8859-1 (i.e. the wire bytes of an an/ans field).
     */
    public byte[] binary(int field) {
        Object v = value(field);
        if (v == null) {
            return null;
        }
        return v instanceof byte[] ? ((byte[]) v).clone()
                : v.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * An an/ans field decoded as GBK text (43 merchant name, 56-59 private text ...), or {@code null} when
     * absent. The field keeps its bytes: decoding is only for display; {@link #binary(int)} is exact.
     */
    public String gbk(int field) {
        byte[] b = binary(field);
        return b == null ? null : new String(b, GBK);
    }

    /** Sets an an/ans field to {@code text} encoded in GBK (the length limit counts bytes). */
    public PosMessage setGbk(int field, String text) {
        return set(field, text == null ? null : new String(text.getBytes(GBK), StandardCharsets.ISO_8859_1));
    }

    /**
     * Copies {@code fields} that this message has into {@code to}, unchanged (a field the gateway does
     * not interpret, e.g. 59 to the host). Absent fields are left as they are in {@code to}.
     */
    public PosMessage copyTo(PosMessage to, int... fields) {
        copy(to, fields);
        return to;
    }

    /**
     * The PAN: field 2, or else the digits of track 2 (field 35) before the separator; {@code null} when
     * neither is there, or when the track is encrypted (53.3 = 1: its digits are not the card's until the
     * HSM has decrypted it) and field 2 is absent.
     */
    public String pan() {
        String pan = field(2);
        if (pan != null) {
            return pan;
        }
        String track = field(35);
        if (track == null || trackEncrypted()) {
            return null;
        }
        int sep = track.indexOf('=');
        String digits = sep < 0 ? track : track.substring(0, sep);
        if (digits.isEmpty() || digits.length() > 19) {
            return null;
        }
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                return null;
            }
        }
        return digits;
    }

    /** True when field 53 says the tracks (35/36) are encrypted under the TDK (53.3 = {@code 1}). */
    public boolean trackEncrypted() {
        String f53 = field(53);
        return f53 != null && f53.length() >= 3 && f53.charAt(2) == '1';
    }

    /** Field 53 split into 53.1-53.3, or {@code null} when absent. */
    public Field53 field53() {
        String v = field(53);
        return v == null ? null : Field53.parse(v);
    }

    /**
     * The packed nibbles of an n or z field as on the wire, without length prefix (a 0 pad nibble when odd,
     * where the field puts it): what goes to the HSM to decrypt a track. {@code null} when absent.
     */
    public byte[] packedDigits(int field) {
        String v = field(field);
        if (v == null) {
            return null;
        }
        PosFieldPackager f = definition(field);
        if (f.isBinary() || f.kind() == PosFieldPackager.Kind.ANS) {
            throw new PosFormatException(BAD_VALUE, field, "not an n or z field");
        }
        if ((v.length() & 1) == 1 && f.align() == PosFieldPackager.Align.RIGHT) {
            v = "0" + v;
        }
        byte[] out = new byte[(v.length() + 1) >>> 1];
        for (int i = 0; i < v.length(); i++) {
            char ch = v.charAt(i);
            int nib = ch == '=' ? 0x0D : Character.digit(ch, 16);
            out[i >> 1] |= (byte) ((i & 1) == 0 ? nib << 4 : nib);
        }
        return out;
    }

    /**
     * Sets a z field (track 2 or 3) from packed nibbles, e.g. as the HSM decrypted them: the first
     * {@code digits} nibbles of {@code packed}, {@code D} read as the separator.
     */
    public PosMessage setPackedDigits(int field, byte[] packed, int digits) {
        if (digits < 0 || digits > packed.length * 2) {
            throw new PosFormatException(BAD_VALUE, field, digits + " digits in " + packed.length + " bytes");
        }
        char[] c = new char[digits];
        for (int i = 0; i < digits; i++) {
            int v = packed[i >> 1] & 0xFF;
            int nib = (i & 1) == 0 ? v >>> 4 : v & 0x0F;
            c[i] = nib == 0x0D ? '=' : Character.toUpperCase(Character.forDigit(nib, 16));
        }
        return set(field, new String(c));
    }

    /** Sets an n, z or an/ans field; {@code null} unsets it. */
    public PosMessage set(int field, String value) {
        received = null;
        if (value == null) {
            return unset(field);
        }
        PosFieldPackager f = definition(field);
        if (f.isBinary()) {
            throw new PosFormatException(BAD_VALUE, field, "binary field: use set(int, byte[])");
        }
        f.checkValue(value);
        store(field, value);
        return this;
    }

    /** Sets a b field (the array is copied); {@code null} unsets it. */
    public PosMessage set(int field, byte[] value) {
        received = null;
        if (value == null) {
            return unset(field);
        }
        PosFieldPackager f = definition(field);
        if (!f.isBinary()) {
            throw new PosFormatException(BAD_VALUE, field, "not a binary field: use set(int, String)");
        }
        f.checkValue(value);
        store(field, value.clone());
        return this;
    }

    /** Sets field 60 from its sub-fields. */
    public PosMessage set(Field60 field60) {
        return set(60, field60.format());
    }

    public PosMessage unset(int... fields) {
        received = null;
        for (int f : fields) {
            if (f <= 0) {
                throw new IllegalArgumentException("cannot unset field " + f);
            }
            store(f, null);
        }
        return this;
    }

    /** Field 60 split into 60.1/60.2/60.3, or {@code null} when absent. */
    public Field60 field60() {
        String v = field(60);
        return v == null ? null : Field60.parse(v);
    }

    private Object value(int field) {
        return field >= 0 && field <= PosPackager.MAX_FIELD ? values[field] : null;
    }

    private static PosFieldPackager definition(int field) {
        PosFieldPackager f = PosPackager.INSTANCE.isDefined(field) ? PosPackager.INSTANCE.field(field) : null;
        if (f == null) {
            throw new PosFormatException(BAD_VALUE, field, "field not defined by the protocol");
        }
        return f;
    }

    // ---------------------------------------------------------------------------------------- replies

    /**
     * A response skeleton for this request: MTI + 10 (0800 → 0810), TPDU with destination and source
     * swapped, the request's application header with the given processing requirement, and fields 11, 41,
     * 42 plus {@code alsoEcho} copied when the request has them. Nothing else (no 39, no 64).
     *
     * @throws IllegalStateException when this message is itself a response
     */
    public PosMessage reply(int processingRequirement, int... alsoEcho) {
        if (!isRequest()) {
            throw new IllegalStateException("MTI " + mti() + " is a response, not a request");
        }
        String mti = mti();
        String replyMti = mti.substring(0, 2) + (char) (mti.charAt(2) + 1) + mti.charAt(3);
        PosMessage r = create(tpdu.reply(), header.withProcessingRequirement(processingRequirement), replyMti);
        copy(r, ALWAYS_ECHO);
        copy(r, alsoEcho);
        return r;
    }

    /** Same as {@code request.reply(processingRequirement, alsoEcho)}. */
    public static PosMessage replyTo(PosMessage request, int processingRequirement, int... alsoEcho) {
        return request.reply(processingRequirement, alsoEcho);
    }

    private void copy(PosMessage to, int[] fields) {
        for (int f : fields) {
            Object v = f <= 1 ? null : value(f);
            if (v == null) {
                continue;
            }
            if (v instanceof byte[]) {
                to.set(f, (byte[]) v);
            } else {
                to.set(f, (String) v);
            }
        }
    }

    // ------------------------------------------------------------------------------------------ misc

    /**
     * A log-safe rendering: sensitive fields are masked (PAN keeps first 6 and last 4 digits; extended PAN,
     * tracks 1-3, PIN block, ICC data, field 62 keys and the MAC show only their length).
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(160).append("PosMessage[").append(mti()).append(' ')
                .append(String.format("tpdu=%04X>%04X", tpdu.destination(), tpdu.source()))
                .append(" header=").append(header.digits());
        for (int i = 2; i <= PosPackager.MAX_FIELD; i++) {
            Object v = values[i];
            if (v == null) {
                continue;
            }
            sb.append(' ').append(i).append('=');
            switch (i) {
                case 2: {
                    String pan = (String) v;
                    sb.append(pan.length() > 10
                            ? pan.substring(0, 6) + "*".repeat(pan.length() - 10) + pan.substring(pan.length() - 4)
                            : "*".repeat(pan.length()));
                    break;
                }
                case 34: case 35: case 36: case 45: case 52: case 55: case 62: case 64:
                    sb.append('[').append(v instanceof byte[] ? ((byte[]) v).length + "B" : ((String) v).length() + "")
                            .append(" masked]");
                    break;
                default:
                    sb.append(v instanceof byte[] ? ISOUtil.hexString((byte[]) v) : v);
            }
        }
        return sb.append(']').toString();
    }

    // ---------------------------------------------------------------------------------- ISOMsg view

    /**
     * {@link #iso()}: an ISOMsg holding the same components as {@link #values}. What is set or unset in it
     * goes to {@link #values} too (unchecked, as it went into the ISOMsg this class used to wrap; fields
     * outside 0, 2..64 only into the ISOMsg, where {@link PosPackager#pack(ISOMsg, int)} refuses them).
     */
    private final class IsoView extends ISOMsg {
        IsoView() {
            setPackager(PosPackager.INSTANCE);
            for (int i = 0; i <= PosPackager.MAX_FIELD; i++) {
                if (values[i] != null) {
                    mirror(i, values[i]);
                }
            }
        }

        /** Sets field {@code i} of this ISOMsg only. */
        void mirror(int i, Object v) {
            if (v == null) {
                super.unset(i);
                return;
            }
            try {
                super.set(v instanceof byte[] ? new ISOBinaryField(i, (byte[]) v) : new ISOField(i, (String) v));
            } catch (ISOException e) { // only for a null key
                throw new IllegalStateException(e);
            }
        }

        void unsetOnly(int i) {
            super.unset(i);
        }

        @Override
        public void set(ISOComponent c) throws ISOException {
            super.set(c);
            int i = (Integer) c.getKey();
            if (i == 0 || (i >= 2 && i <= PosPackager.MAX_FIELD)) {
                values[i] = c.getValue();
            }
        }

        @Override
        public void unset(int i) {
            super.unset(i);
            if (i == 0 || (i >= 2 && i <= PosPackager.MAX_FIELD)) {
                values[i] = null;
            }
        }

        /** A plain ISOMsg with the same components, not tied to this message. */
        @Override
        public Object clone() {
            ISOMsg m = new ISOMsg();
            m.setPackager(getPackager());
            for (Object c : getChildren().values()) {
                try {
                    m.set((ISOComponent) c);
                } catch (ISOException e) {
                    throw new IllegalStateException(e);
                }
            }
            return m;
        }
    }
}
