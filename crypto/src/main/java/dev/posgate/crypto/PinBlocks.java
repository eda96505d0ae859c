package dev.posgate.crypto;

import java.util.Objects;

/**
 * ISO 9564-1 clear PIN blocks, formats 0, 1 and 3 (8 bytes each), and the 16-byte format-0
 * block of SM4 terminals.
 *
 * <pre>
 * format 0 (= ANSI X9.8):  0 L P P P P P/F .. F   XOR  0 0 0 0 A1 .. A12
 * format 1:                1 L P P P P P/X .. X   (X = any 0..F, not PAN-bound)
 * format 3:                3 L P P P P P/R .. R   XOR  0 0 0 0 A1 .. A12   (R = random A..F)
 * SM4 (16 bytes):          0 L P P P P P/F .. F (32 nibbles)  XOR  0 x 20, A1 .. A12
 * </pre>
 * The SM4 block is format 0 widened to the SM4 block length: the PIN field is filled with
 * {@code F} to 32 nibbles and the 12 account digits are right-aligned after 20 zero nibbles
 * (docs/national-crypto.md gives the public sources and the variant it excludes).
 * L is the PIN length (4..12), A1..A12 the rightmost 12 PAN digits excluding the check digit
 * ({@link #pan12}). Encoding validates its inputs (IllegalArgumentException); decoding checks the
 * control nibble, PIN length, PIN digits and fill digits strictly and throws
 * {@link PinBlockException} on any mismatch — a format-0 block decoded with the wrong PAN
 * therefore almost always fails instead of yielding a wrong PIN.
 */
public final class PinBlocks {
    /** ISO 9564-1 PIN block formats supported here. */
    public enum Format {
        ISO_0, ISO_1, ISO_3
    }

    private PinBlocks() {
    }

    /**
     * The 12-digit account number field: rightmost 12 digits of the PAN excluding the check
     * digit, left-padded with {@code 0} when the PAN is shorter than 13 digits.
     *
     * @param pan 8..19 decimal digits (ISO/IEC 7812-1)
     */
    public static String pan12(String pan) {
        checkDigits(pan, 8, 19, "PAN");
        String body = pan.substring(0, pan.length() - 1);
        if (body.length() >= 12) {
            return body.substring(body.length() - 12);
        }
        return "000000000000".substring(body.length()) + body;
    }

    // ---- format 0 ----

    /** ISO format 0 block for {@code pin} (4..12 digits) and {@code pan} (8..19 digits). */
    public static byte[] format0(String pin, String pan) {
        return format0ForAccount(pin, pan12(pan));
    }

    /** ISO format 0 block with the 12-digit account field given directly (HSM CA/CC style). */
    public static byte[] format0ForAccount(String pin, String account12) {
        int[] n = pinField(0, pin);
        for (int i = 2 + pin.length(); i < 16; i++) {
            n[i] = 0xF;
        }
        return xorAccount(pack(n), account12);
    }

    /** The PIN of an ISO format 0 block under {@code pan}. */
    public static String pinFromFormat0(byte[] block, String pan) {
        return pinFromFormat0ForAccount(block, pan12(pan));
    }

    /** The PIN of an ISO format 0 block with the 12-digit account field given directly. */
    public static String pinFromFormat0ForAccount(byte[] block, String account12) {
        checkBlock(block);
        int[] n = unpack(xorAccount(block, account12));
        String pin = readPin(n, 0);
        for (int i = 2 + pin.length(); i < 16; i++) {
            if (n[i] != 0xF) {
                throw new PinBlockException("format 0 fill digit is not F");
            }
        }
        return pin;
    }

    // ---- format 1 ----

    /** ISO format 1 block: fill digits are random hex nibbles from {@code random}. */
    public static byte[] format1(String pin, RandomSource random) {
        Objects.requireNonNull(random, "random");
        int[] n = pinField(1, pin);
        int fill = 14 - pin.length();
        byte[] r = random.next(fill);
        if (r == null || r.length < fill) {
            throw new CryptoException("random source returned too few bytes");
        }
        for (int i = 0; i < fill; i++) {
            n[2 + pin.length() + i] = r[i] & 0x0F;
        }
        return pack(n);
    }

    /** The PIN of an ISO format 1 block (fill digits are not checked: any value is legal). */
    public static String pinFromFormat1(byte[] block) {
        checkBlock(block);
        return readPin(unpack(block), 1);
    }

    // ---- format 3 ----

    /** ISO format 3 block: fill digits are random in A..F, drawn from {@code random}. */
    public static byte[] format3(String pin, String pan, RandomSource random) {
        return format3ForAccount(pin, pan12(pan), random);
    }

    /** ISO format 3 block with the 12-digit account field given directly. */
    public static byte[] format3ForAccount(String pin, String account12, RandomSource random) {
        Objects.requireNonNull(random, "random");
        int[] n = pinField(3, pin);
        int[] fill = randomAtoF(14 - pin.length(), random);
        System.arraycopy(fill, 0, n, 2 + pin.length(), fill.length);
        return xorAccount(pack(n), account12);
    }

    /** The PIN of an ISO format 3 block under {@code pan}; fill digits must be A..F. */
    public static String pinFromFormat3(byte[] block, String pan) {
        return pinFromFormat3ForAccount(block, pan12(pan));
    }

    /** The PIN of an ISO format 3 block with the 12-digit account field given directly. */
    public static String pinFromFormat3ForAccount(byte[] block, String account12) {
        checkBlock(block);
        int[] n = unpack(xorAccount(block, account12));
        String pin = readPin(n, 3);
        for (int i = 2 + pin.length(); i < 16; i++) {
            if (n[i] < 0xA) {
                throw new PinBlockException("format 3 fill digit is not A..F");
            }
        }
        return pin;
    }

    // ---- SM4 16-byte format 0 ----

    /** The 16-byte SM4 PIN block for {@code pin} (4..12 digits) and {@code pan} (8..19 digits). */
    public static byte[] sm4Format0(String pin, String pan) {
        return sm4Format0ForAccount(pin, pan12(pan));
    }

    /** The 16-byte SM4 PIN block with the 12-digit account field given directly. */
    public static byte[] sm4Format0ForAccount(String pin, String account12) {
        int[] n = pinField(0, pin, 32);
        for (int i = 2 + pin.length(); i < 32; i++) {
            n[i] = 0xF;
        }
        return xorAccount(pack(n), account12);
    }

    /** The PIN of a 16-byte SM4 PIN block under {@code pan}. */
    public static String pinFromSm4Format0(byte[] block, String pan) {
        return pinFromSm4Format0ForAccount(block, pan12(pan));
    }

    /** The PIN of a 16-byte SM4 PIN block with the 12-digit account field given directly. */
    public static String pinFromSm4Format0ForAccount(byte[] block, String account12) {
        checkBlock(block, 16);
        int[] n = unpack(xorAccount(block, account12));
        String pin = readPin(n, 0);
        for (int i = 2 + pin.length(); i < 32; i++) {
            if (n[i] != 0xF) {
                throw new PinBlockException("SM4 PIN block fill digit is not F");
            }
        }
        return pin;
    }

    // ---- by format ----

    /**
     * Encodes in {@code format}; {@code account12} is ignored for format 1, {@code random} is
     * ignored for format 0.
     */
    public static byte[] encode(Format format, String pin, String account12, RandomSource random) {
        switch (Objects.requireNonNull(format, "format")) {
            case ISO_0:
                return format0ForAccount(pin, account12);
            case ISO_1:
                return format1(pin, random);
            case ISO_3:
                return format3ForAccount(pin, account12, random);
            default:
                throw new AssertionError(format);
        }
    }

    /** Decodes a block in {@code format}; {@code account12} is ignored for format 1. */
    public static String decode(Format format, byte[] block, String account12) {
        switch (Objects.requireNonNull(format, "format")) {
            case ISO_0:
                return pinFromFormat0ForAccount(block, account12);
            case ISO_1:
                return pinFromFormat1(block);
            case ISO_3:
                return pinFromFormat3ForAccount(block, account12);
            default:
                throw new AssertionError(format);
        }
    }

    // ---- helpers ----

    private static int[] pinField(int control, String pin) {
        return pinField(control, pin, 16);
    }

    private static int[] pinField(int control, String pin, int nibbles) {
        checkDigits(pin, 4, 12, "PIN");
        int[] n = new int[nibbles];
        n[0] = control;
        n[1] = pin.length();
        for (int i = 0; i < pin.length(); i++) {
            n[2 + i] = pin.charAt(i) - '0';
        }
        return n;
    }

    private static String readPin(int[] n, int control) {
        if (n[0] != control) {
            throw new PinBlockException("control field is " + n[0] + ", expected " + control);
        }
        int len = n[1];
        if (len < 4 || len > 12) {
            throw new PinBlockException("PIN length " + len + " outside 4..12");
        }
        char[] pin = new char[len];
        for (int i = 0; i < len; i++) {
            int d = n[2 + i];
            if (d > 9) {
                throw new PinBlockException("PIN digit is not decimal");
            }
            pin[i] = (char) ('0' + d);
        }
        return new String(pin);
    }

    private static int[] randomAtoF(int count, RandomSource random) {
        int[] out = new int[count];
        int got = 0;
        int drawn = 0;
        while (got < count) {
            byte[] r = random.next(count - got);
            if (r == null || r.length == 0) {
                throw new CryptoException("random source returned no bytes");
            }
            for (int i = 0; i < r.length && got < count; i++) {
                int b = r[i] & 0xFF;
                if (b < 252) { // 252 = 42 * 6: unbiased reduction mod 6
                    out[got++] = 0xA + b % 6;
                }
            }
            drawn += r.length;
            if (drawn > 1024 && got < count) {
                throw new CryptoException("random source keeps returning out-of-range bytes");
            }
        }
        return out;
    }

    /** XORs the 12 account digits into the last 6 bytes of the block (8 or 16 bytes). */
    private static byte[] xorAccount(byte[] block, String account12) {
        checkDigits(account12, 12, 12, "account number");
        byte[] out = block.clone();
        int at = block.length - 6;
        for (int i = 0; i < 6; i++) {
            int hi = account12.charAt(2 * i) - '0';
            int lo = account12.charAt(2 * i + 1) - '0';
            out[at + i] ^= (byte) ((hi << 4) | lo);
        }
        return out;
    }

    private static byte[] pack(int[] n) {
        byte[] b = new byte[n.length / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) ((n[2 * i] << 4) | n[2 * i + 1]);
        }
        return b;
    }

    private static int[] unpack(byte[] b) {
        int[] n = new int[b.length * 2];
        for (int i = 0; i < b.length; i++) {
            n[2 * i] = (b[i] >> 4) & 0x0F;
            n[2 * i + 1] = b[i] & 0x0F;
        }
        return n;
    }

    private static void checkBlock(byte[] block) {
        checkBlock(block, 8);
    }

    private static void checkBlock(byte[] block, int length) {
        Objects.requireNonNull(block, "block");
        if (block.length != length) {
            throw new IllegalArgumentException("PIN block must be " + length + " bytes, got " + block.length);
        }
    }

    static void checkDigits(String s, int min, int max, String what) {
        Objects.requireNonNull(s, what);
        if (s.length() < min || s.length() > max) {
            throw new IllegalArgumentException(what + " must be " + (min == max ? min : min + ".." + max)
                    + " digits, got " + s.length());
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException(what + " must contain only digits 0-9");
            }
        }
    }
}
