package dev.posgate.protocol.posp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * The electronic signature upload (电子签名上送, docs/posp.md "Electronic signature upload"), both
 * sides, I/O-free. An approved card transaction's signature, captured on the terminal's screen and
 * JBIG-compressed (ITU-T T.82), goes to the acquirer in an 0820 with 60.1 {@link #TYPE_CODE} and
 * 60.3 {@link #NETWORK_CODE}, answered 0830:
 * <ul>
 *   <li>11 and 60.2 = the original transaction's STAN and batch; 4, 15, 37 (and 2) as the original;</li>
 *   <li>55 = the slip's data as TLVs with tags {@code FF00}.. (merchant name FF00, transaction type
 *       FF01, operator FF02, date and time FF06, ...: {@link #parseSlip});</li>
 *   <li>62 = the JBIG image, or one part of it: field 62 holds at most {@link #MAX_PART} bytes, so a
 *       larger image is sent in parts, each an 0820 with field 48 = part number n3 + part count n3
 *       ({@link Part}); without 48 the message carries the whole image (part 1 of 1).</li>
 * </ul>
 */
public final class ElectronicSignature {
    /** 60.1 of the upload. */
    public static final String TYPE_CODE = "07";
    /** 60.3 of the upload. */
    public static final String NETWORK_CODE = "800";
    /** Field 62 is LLLVAR b..512 (protocol.md section 2): the largest part of an image one message carries. */
    public static final int MAX_PART = 512;
    /** Most parts one image may be sent in (n3). */
    public static final int MAX_PARTS = 999;
    /** Content type of the stored image (JBIG has no registered media type). */
    public static final String CONTENT_TYPE = "image/x-jbig";
    /** Length of the JBIG bi-level image header (BIH, T.82 section 6.2.2). */
    public static final int BIH_LENGTH = 20;
    /** Slip tags not kept at rest: FF05 card expiry date, FF0B cardholder mobile number. */
    public static final Set<Integer> NOT_KEPT = Set.of(0xFF05, 0xFF0B);
    /** The merchant name, the one slip tag the upload must carry. */
    public static final int MERCHANT_NAME = 0xFF00;

    private ElectronicSignature() {}

    /** Part {@code number} of {@code count} (field 48 n6: number n3 + count n3). */
    public record Part(int number, int count) {
        public static final Part WHOLE = new Part(1, 1);

        public Part {
            if (count < 1 || count > MAX_PARTS || number < 1 || number > count) {
                throw new IllegalArgumentException("part " + number + " of " + count);
            }
        }

        /** Field 48 of a part; null means no field 48 (a whole image). */
        public static Part parse(String field48) {
            if (field48 == null) return WHOLE;
            if (field48.length() != 6 || !field48.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("field 48 of an electronic signature part is n6");
            }
            return new Part(Integer.parseInt(field48.substring(0, 3)), Integer.parseInt(field48.substring(3)));
        }

        public String field48() {
            return String.format("%03d%03d", number, count);
        }

        public boolean last() {
            return number == count;
        }
    }

    /** One slip TLV: a tag (FF00.. are two bytes) and its value. */
    public record SlipItem(int tag, byte[] value) {
        public String hexTag() {
            return Integer.toHexString(tag).toUpperCase(java.util.Locale.ROOT);
        }
    }

    /** {@code image} cut into field 62 parts of at most {@code partSize} (1..{@link #MAX_PART}) bytes each. */
    public static List<byte[]> parts(byte[] image, int partSize) {
        if (partSize < 1 || partSize > MAX_PART) throw new IllegalArgumentException("part size 1.." + MAX_PART);
        List<byte[]> out = new ArrayList<>();
        for (int off = 0; off < image.length; off += partSize) {
            out.add(java.util.Arrays.copyOfRange(image, off, Math.min(image.length, off + partSize)));
        }
        if (out.isEmpty()) throw new IllegalArgumentException("empty image");
        if (out.size() > MAX_PARTS) throw new IllegalArgumentException("more than " + MAX_PARTS + " parts");
        return out;
    }

    /**
     * True when {@code image} starts with a JBIG (T.82) bi-level image header: DL ≤ D, P = 1 plane,
     * the fill byte 0, XD, YD and L0 not 0, MX ≤ 127, MY = 0, the order byte's upper 4 bits and the
     * options byte's top bit 0. A PNG, BMP, JPEG or JBIG2 file fails (their first bytes are not a BIH).
     */
    public static boolean isJbig(byte[] image) {
        if (image == null || image.length <= BIH_LENGTH) return false;
        int dl = image[0] & 0xFF;
        int d = image[1] & 0xFF;
        int planes = image[2] & 0xFF;
        long xd = u32(image, 4);
        long yd = u32(image, 8);
        long l0 = u32(image, 12);
        int mx = image[16] & 0xFF;
        int my = image[17] & 0xFF;
        int order = image[18] & 0xFF;
        int options = image[19] & 0xFF;
        return dl <= d && d < 32 && planes == 1 && image[3] == 0 && xd > 0 && yd > 0 && l0 > 0 && mx <= 127 && my == 0
                && (order & 0xF0) == 0 && (options & 0x80) == 0;
    }

    /** A 20-byte BIH of a {@code width} × {@code height} single-plane image, one stripe of {@code height} lines. */
    public static byte[] bih(int width, int height) {
        byte[] h = new byte[BIH_LENGTH];
        h[0] = 0; // DL
        h[1] = 0; // D
        h[2] = 1; // P
        put32(h, 4, width);
        put32(h, 8, height);
        put32(h, 12, height);
        h[16] = 8; // MX
        h[18] = 0x03; // order: ILEAVE | SMID
        h[19] = 0x48; // options: LRLTWO | TPBON
        return h;
    }

    /**
     * Field 55 of the upload as a list of primitive TLVs (two-byte tags FF00..; BER lengths up to
     * {@code 82 xx xx}). Unlike EMV data, FFxx tags are not templates here, so the values are not
     * parsed further.
     *
     * @throws IllegalArgumentException when it is not TLV, or a tag or length runs past the end
     */
    public static List<SlipItem> parseSlip(byte[] f55) {
        if (f55 == null || f55.length == 0) throw new IllegalArgumentException("no slip data");
        List<SlipItem> out = new ArrayList<>();
        int i = 0;
        while (i < f55.length) {
            int tag = f55[i++] & 0xFF;
            if ((tag & 0x1F) == 0x1F) {
                if (i >= f55.length) throw new IllegalArgumentException("tag cut short");
                int next = f55[i++] & 0xFF;
                if ((next & 0x80) != 0) throw new IllegalArgumentException("tags of more than two bytes");
                tag = (tag << 8) | next;
            }
            if (i >= f55.length) throw new IllegalArgumentException("length missing");
            int len = f55[i++] & 0xFF;
            if (len == 0x81 || len == 0x82) {
                int n = len & 0x7F;
                if (i + n > f55.length) throw new IllegalArgumentException("length cut short");
                len = 0;
                for (int k = 0; k < n; k++) len = (len << 8) | (f55[i++] & 0xFF);
            } else if (len > 0x7F) {
                throw new IllegalArgumentException("length form " + Integer.toHexString(len));
            }
            if (i + len > f55.length) throw new IllegalArgumentException("value runs past the end");
            out.add(new SlipItem(tag, java.util.Arrays.copyOfRange(f55, i, i + len)));
            i += len;
        }
        return Collections.unmodifiableList(out);
    }

    /** The TLV bytes of {@code items}, in order. */
    public static byte[] encodeSlip(List<SlipItem> items) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (SlipItem it : items) {
            if (it.tag() > 0xFF) b.write(it.tag() >> 8);
            b.write(it.tag() & 0xFF);
            int len = it.value().length;
            if (len > 0xFF) {
                b.write(0x82);
                b.write(len >> 8);
                b.write(len & 0xFF);
            } else if (len > 0x7F) {
                b.write(0x81);
                b.write(len);
            } else {
                b.write(len);
            }
            b.writeBytes(it.value());
        }
        return b.toByteArray();
    }

    /** A slip item with a GBK text value (merchant name, transaction type). */
    public static SlipItem text(int tag, String value) {
        return new SlipItem(tag, value.getBytes(java.nio.charset.Charset.forName("GBK")));
    }

    /** What is kept of the slip at rest: every item but {@link #NOT_KEPT}. */
    public static List<SlipItem> kept(List<SlipItem> slip) {
        return slip.stream().filter(i -> !NOT_KEPT.contains(i.tag())).toList();
    }

    /**
     * The signature's characteristic code (签名特征码) printed on the slip and shown on the pad:
     * the settlement date (15, MMDD) and the reference number (37) as ASCII in a 16-byte block,
     * zero-filled, its two halves XORed, as 8 hex digits of 1 or 2 characters each (the published
     * Newland terminal code, docs/posp.md).
     */
    public static String characteristicCode(String settlementDate, String rrn) {
        byte[] data = new byte[16];
        byte[] date = (settlementDate == null || settlementDate.isEmpty() ? "0000" : settlementDate).getBytes(StandardCharsets.US_ASCII);
        byte[] ref = (rrn == null || rrn.isEmpty() ? "000000000000" : rrn).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(date, 0, data, 0, Math.min(4, date.length));
        System.arraycopy(ref, 0, data, 4, Math.min(12, ref.length));
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) out.append(Integer.toHexString((data[i] ^ data[i + 8]) & 0xFF).toUpperCase(java.util.Locale.ROOT));
        return out.toString();
    }

    private static long u32(byte[] b, int off) {
        return ((long) (b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    private static void put32(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
