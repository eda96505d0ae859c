package dev.posgate.iso8583.pos;

import dev.posgate.iso8583.frame.FrameEncoder;
import dev.posgate.iso8583.frame.FrameLimits;
import org.jpos.iso.ISOComponent;
import org.jpos.iso.ISOException;
import org.jpos.iso.ISOMsg;
import org.jpos.iso.ISOUtil;

import java.util.Arrays;
import java.util.Objects;

import static dev.posgate.iso8583.pos.PosFormatException.Reason.BAD_VALUE;

/**
 * A POS ISO8583 message of protocol.md section 2: {@link Tpdu}, {@link AppHeader} and the jPOS
 * {@link ISOMsg} (MTI, fields) packed with {@link PosPackager}.
 *
 * <p>Mutable and not thread-safe (like {@code ISOMsg}); one per request/response. Values are validated
 * when set, so a response that cannot be packed fails where it is built.
 */
public final class PosMessage {
    /** Fields echoed by {@link #reply(int, int...)} when present in the request. */
    private static final int[] ALWAYS_ECHO = {11, 41, 42};
    private static final int TPDU_AND_HEADER = Tpdu.LENGTH + AppHeader.LENGTH;

    private Tpdu tpdu;
    private AppHeader header;
    private final ISOMsg iso;
    /** The body as received, kept until the message is changed: MACs are checked over these bytes. */
    private byte[] received;

    private PosMessage(Tpdu tpdu, AppHeader header, ISOMsg iso) {
        this.tpdu = Objects.requireNonNull(tpdu, "tpdu");
        this.header = Objects.requireNonNull(header, "header");
        this.iso = iso;
        iso.setPackager(PosPackager.INSTANCE);
    }

    /** A new message with no field but the MTI. */
    public static PosMessage create(Tpdu tpdu, AppHeader header, String mti) {
        PosMessage m = new PosMessage(tpdu, header, new ISOMsg());
        m.mti(mti);
        return m;
    }

    /** Parses a frame body ({@code 60 ...}): TPDU, header, then exactly one ISO message, nothing after. */
    public static PosMessage unpack(byte[] body) {
        return unpack(body, 0, body.length);
    }

    /** Parses {@code b[off .. off+len)} as a frame body. */
    public static PosMessage unpack(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len < Tpdu.LENGTH) {
            throw new PosFormatException(PosFormatException.Reason.BAD_TPDU, -1, "body of " + len + " bytes");
        }
        Tpdu tpdu = Tpdu.parse(b, off);
        if (len < TPDU_AND_HEADER) {
            throw new PosFormatException(PosFormatException.Reason.BAD_HEADER, -1, "body of " + len + " bytes");
        }
        AppHeader header = AppHeader.parse(b, off + Tpdu.LENGTH);
        ISOMsg iso = new ISOMsg();
        PosPackager.INSTANCE.unpack(iso, b, off + TPDU_AND_HEADER, off + len);
        PosMessage m = new PosMessage(tpdu, header, iso);
        m.received = off == 0 && len == b.length ? b : Arrays.copyOfRange(b, off, off + len);
        return m;
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
        byte[] out = PosPackager.INSTANCE.pack(iso, TPDU_AND_HEADER);
        tpdu.writeTo(out, 0);
        header.writeTo(out, Tpdu.LENGTH);
        return out;
    }

    /** The whole frame, {@code LEN | body}, in one allocation (what goes on the socket). */
    public byte[] packFrame() {
        byte[] out = PosPackager.INSTANCE.pack(iso, 2 + TPDU_AND_HEADER);
        if (out.length - 2 > FrameLimits.MAX_LEN) {
            throw new PosFormatException(BAD_VALUE, -1, "message of " + (out.length - 2) + " bytes exceeds a frame");
        }
        FrameEncoder.writeLength(out, 0, out.length - 2);
        tpdu.writeTo(out, 2);
        header.writeTo(out, 2 + Tpdu.LENGTH);
        return out;
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

    /** The underlying jPOS message (its packager is {@link PosPackager#INSTANCE}). */
    public ISOMsg iso() {
        return iso;
    }

    public String mti() {
        return iso.getString(0);
    }

    public PosMessage mti(String mti) {
        received = null;
        if (mti == null || mti.length() != 4) {
            throw new PosFormatException(BAD_VALUE, 0, "MTI must be 4 digits: " + mti);
        }
        PosPackager.INSTANCE.field(0).checkValue(mti);
        iso.set(0, mti);
        return this;
    }

    /** True for a request MTI (third digit even: 0200, 0800, ...), false for a response (0210, 0810). */
    public boolean isRequest() {
        return (mti().charAt(2) - '0') % 2 == 0;
    }

    public boolean has(int field) {
        return field > 0 && iso.hasField(field);
    }

    /**
     * The value of {@code field}, or {@code null} when absent: the digits of n/z fields ({@code '='} for
     * the track separator), the characters of an/ans fields, uppercase hex for b fields.
     */
    public String field(int field) {
        Object v = iso.getValue(field);
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
        Object v = iso.getValue(field);
        if (v == null) {
            return null;
        }
        return v instanceof byte[] ? ((byte[]) v).clone()
                : v.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
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
        iso.set(field, value);
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
        iso.set(field, value.clone());
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
            iso.unset(f);
        }
        return this;
    }

    /** Field 60 split into 60.1/60.2/60.3, or {@code null} when absent. */
    public Field60 field60() {
        String v = field(60);
        return v == null ? null : Field60.parse(v);
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
            ISOComponent c = iso.getComponent(f);
            if (c == null || f <= 1) {
                continue;
            }
            try {
                Object v = c.getValue();
                if (v instanceof byte[]) {
                    to.set(f, (byte[]) v);
                } else {
                    to.set(f, (String) v);
                }
            } catch (ISOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    // ------------------------------------------------------------------------------------------ misc

    /**
     * A log-safe rendering: sensitive fields are masked (PAN keeps first 6 and last 4 digits; tracks, PIN
     * block, ICC data, field 62 keys and the MAC show only their length).
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(160).append("PosMessage[").append(mti()).append(' ')
                .append(String.format("tpdu=%04X>%04X", tpdu.destination(), tpdu.source()))
                .append(" header=").append(header.digits());
        for (int i = 2; i <= PosPackager.MAX_FIELD; i++) {
            if (!iso.hasField(i)) {
                continue;
            }
            sb.append(' ').append(i).append('=');
            Object v = iso.getValue(i);
            switch (i) {
                case 2: {
                    String pan = (String) v;
                    sb.append(pan.length() > 10
                            ? pan.substring(0, 6) + "*".repeat(pan.length() - 10) + pan.substring(pan.length() - 4)
                            : "*".repeat(pan.length()));
                    break;
                }
                case 35: case 36: case 52: case 55: case 62: case 64:
                    sb.append('[').append(v instanceof byte[] ? ((byte[]) v).length + "B" : ((String) v).length() + "")
                            .append(" masked]");
                    break;
                default:
                    sb.append(v instanceof byte[] ? ISOUtil.hexString((byte[]) v) : v);
            }
        }
        return sb.append(']').toString();
    }
}
