package dev.posgate.iso8583.tlv;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.posgate.iso8583.tlv.TlvFormatException.Reason.INDEFINITE_LENGTH;
import static dev.posgate.iso8583.tlv.TlvFormatException.Reason.LENGTH_TOO_LONG;
import static dev.posgate.iso8583.tlv.TlvFormatException.Reason.MISSING_TAG;
import static dev.posgate.iso8583.tlv.TlvFormatException.Reason.TAG_TOO_LONG;
import static dev.posgate.iso8583.tlv.TlvFormatException.Reason.TOO_DEEP;
import static dev.posgate.iso8583.tlv.TlvFormatException.Reason.TRUNCATED;

/**
 * BER-TLV codec with the EMV rules of protocol.md section 3.
 *
 * <ul>
 *   <li>Tags of one or two bytes: a first byte whose low five bits are {@code 11111} announces a second
 *       byte; a second byte with its high bit set would announce a third, which is refused
 *       ({@link TlvFormatException.Reason#TAG_TOO_LONG}).</li>
 *   <li>Definite lengths only: short form {@code 00..7F}, long form {@code 81 xx} and {@code 82 xx xx}
 *       (non-minimal long forms such as {@code 81 05} are accepted). {@code 80} (indefinite) and
 *       {@code 83..FF} are refused.</li>
 *   <li>Constructed objects are decoded into children. An object is constructed when bit 6 ({@code 0x20})
 *       of its first tag byte is set (BER) <em>or</em> its tag is one the protocol declares constructed
 *       although its private-class tag byte {@code DF} has that bit clear: {@link Tags#PACKAGE_LIST},
 *       {@link Tags#PACKAGE_ENTRY}, {@link Tags#KEY_MESSAGE_ENTRY} (see {@link Tags#isConstructed}).</li>
 *   <li>Nesting is limited to {@link #MAX_DEPTH} levels of objects (top level = 1).</li>
 *   <li>Every length is checked against the remaining bytes of its enclosing object before use.</li>
 *   <li>Unknown tags are kept, in order; lookups ignore what they do not ask for.</li>
 * </ul>
 */
public final class BerTlv {
    /** Maximum nesting: top-level objects are level 1, their children level 2, ... */
    public static final int MAX_DEPTH = 4;
    /** Largest encodable length (long form {@code 82}). */
    public static final int MAX_LENGTH = 0xFFFF;

    private BerTlv() {
    }

    // ---------------------------------------------------------------------------------------- decode

    /** Decodes a sequence of objects filling all of {@code b}. */
    public static List<Tlv> decode(byte[] b) {
        return decode(b, 0, b.length);
    }

    /** Decodes a sequence of objects filling exactly {@code b[off .. off+len)}. */
    public static List<Tlv> decode(byte[] b, int off, int len) {
        if (off < 0 || len < 0 || off > b.length - len) {
            throw new IndexOutOfBoundsException("off " + off + " len " + len + " length " + b.length);
        }
        return decodeLevel(b, off, off + len, 1, true);
    }

    /**
     * Decodes EMV/PBOC ICC data (ISO8583 field 55): the same rules, except that only the BER
     * constructed bit makes an object constructed. The protocol's private tags {@code DF30/DF31/DF40}
     * are primitive here ({@code DF31} is the issuer script result in field 55).
     */
    public static List<Tlv> decodeEmv(byte[] b) {
        return decodeLevel(b, 0, b.length, 1, false);
    }

    private static List<Tlv> decodeLevel(byte[] b, int p, int end, int depth, boolean protocolTags) {
        List<Tlv> out = new ArrayList<>();
        while (p < end) {
            int tag = b[p++] & 0xFF;
            if ((tag & 0x1F) == 0x1F) {
                if (p >= end) {
                    throw new TlvFormatException(TRUNCATED, -1,
                            String.format("tag %02X announces a second byte past the end", tag));
                }
                int t2 = b[p++] & 0xFF;
                if ((t2 & 0x80) != 0) {
                    throw new TlvFormatException(TAG_TOO_LONG, -1,
                            String.format("tag %02X%02X.. has more than two bytes", tag, t2));
                }
                tag = (tag << 8) | t2;
            }
            if (p >= end) {
                throw new TlvFormatException(TRUNCATED, tag, "no length byte");
            }
            int len = b[p++] & 0xFF;
            if (len >= 0x80) {
                int n = len & 0x7F;
                if (n == 0) {
                    throw new TlvFormatException(INDEFINITE_LENGTH, tag, "indefinite length (80) is not allowed");
                }
                if (n > 2) {
                    throw new TlvFormatException(LENGTH_TOO_LONG, tag,
                            String.format("length form %02X: at most two length bytes (82)", len));
                }
                if (end - p < n) {
                    throw new TlvFormatException(TRUNCATED, tag, "length bytes past the end");
                }
                len = 0;
                for (int i = 0; i < n; i++) {
                    len = (len << 8) | (b[p++] & 0xFF);
                }
            }
            if (end - p < len) {
                throw new TlvFormatException(TRUNCATED, tag,
                        "length " + len + " beyond the " + (end - p) + " remaining bytes");
            }
            if (protocolTags ? Tags.isConstructed(tag) : Tags.isBerConstructed(tag)) {
                if (depth >= MAX_DEPTH) {
                    throw new TlvFormatException(TOO_DEEP, tag, "nesting deeper than " + MAX_DEPTH + " levels");
                }
                out.add(Tlv.constructedOwning(tag, decodeLevel(b, p, p + len, depth + 1, protocolTags)));
            } else {
                out.add(Tlv.primitiveOwning(tag, Arrays.copyOfRange(b, p, p + len)));
            }
            p += len;
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------- encode

    /** Encodes the objects in order into one new array (sized exactly, no intermediate copies). */
    public static byte[] encode(List<Tlv> tlvs) {
        byte[] out = new byte[contentLength(tlvs)];
        int p = write(tlvs, out, 0);
        if (p != out.length) {
            throw new IllegalStateException("size mismatch " + p + "/" + out.length);
        }
        return out;
    }

    /** Encodes one object. */
    public static byte[] encode(Tlv tlv) {
        return encode(List.of(tlv));
    }

    /** Encoded size of the objects. */
    public static int contentLength(List<Tlv> tlvs) {
        int n = 0;
        for (Tlv t : tlvs) {
            int len = t.length();
            n += tagLength(t.tag()) + lengthLength(t.tag(), len) + len;
        }
        return n;
    }

    /** Writes the objects at {@code dst[off]}; returns the offset after them. */
    public static int write(List<Tlv> tlvs, byte[] dst, int off) {
        int p = off;
        for (Tlv t : tlvs) {
            int tag = t.tag();
            if (tag > 0xFF) {
                dst[p++] = (byte) (tag >>> 8);
            }
            dst[p++] = (byte) tag;
            int len = t.length();
            if (len < 0x80) {
                dst[p++] = (byte) len;
            } else if (len <= 0xFF) {
                dst[p++] = (byte) 0x81;
                dst[p++] = (byte) len;
            } else {
                dst[p++] = (byte) 0x82;
                dst[p++] = (byte) (len >>> 8);
                dst[p++] = (byte) len;
            }
            if (t.isConstructed()) {
                p = write(t.children(), dst, p);
            } else {
                byte[] v = t.valueUnsafe();
                System.arraycopy(v, 0, dst, p, v.length);
                p += v.length;
            }
        }
        return p;
    }

    private static int tagLength(int tag) {
        return tag > 0xFF ? 2 : 1;
    }

    private static int lengthLength(int tag, int len) {
        if (len < 0x80) {
            return 1;
        }
        if (len <= 0xFF) {
            return 2;
        }
        if (len <= MAX_LENGTH) {
            return 3;
        }
        throw new IllegalArgumentException(String.format("tag %X: value of %d bytes exceeds the 82 form", tag, len));
    }

    /** Refuses tags this codec cannot represent (see the class comment). */
    static void checkTag(int tag) {
        if (tag < 0 || tag > 0xFFFF) {
            throw new IllegalArgumentException(String.format("tag %X: one or two bytes only", tag));
        }
        if (tag <= 0xFF) {
            if ((tag & 0x1F) == 0x1F) {
                throw new IllegalArgumentException(String.format("tag %02X announces a second byte", tag));
            }
        } else if (((tag >>> 8) & 0x1F) != 0x1F || (tag & 0x80) != 0) {
            throw new IllegalArgumentException(String.format("tag %04X is not a valid two-byte tag", tag));
        }
    }

    // ---------------------------------------------------------------------------------------- lookup

    /** The first object with {@code tag} at this level, or {@code null}. */
    public static Tlv find(List<Tlv> tlvs, int tag) {
        for (Tlv t : tlvs) {
            if (t.tag() == tag) {
                return t;
            }
        }
        return null;
    }

    /** The first object with {@code tag} at this level; {@link TlvFormatException.Reason#MISSING_TAG} if absent. */
    public static Tlv require(List<Tlv> tlvs, int tag) {
        Tlv t = find(tlvs, tag);
        if (t == null) {
            throw new TlvFormatException(MISSING_TAG, tag, "mandatory tag " + Tags.name(tag) + " is absent");
        }
        return t;
    }

    /** Every object with {@code tag} at this level, in order. */
    public static List<Tlv> findAll(List<Tlv> tlvs, int tag) {
        List<Tlv> out = new ArrayList<>(2);
        for (Tlv t : tlvs) {
            if (t.tag() == tag) {
                out.add(t);
            }
        }
        return out;
    }
}
