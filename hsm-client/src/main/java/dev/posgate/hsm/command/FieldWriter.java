package dev.posgate.hsm.command;

import dev.posgate.hsm.LmkKey;
import dev.posgate.hsm.LmkPrivateKey;
import dev.posgate.hsm.WrappedKey;
import java.util.Arrays;

/** Builds a host command or reply: ASCII fields, hex fields and length-prefixed binary fields. */
public final class FieldWriter {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private byte[] buf;
    private int len;

    public FieldWriter() {
        this(64);
    }

    public FieldWriter(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }

    /** Printable ASCII text. */
    public FieldWriter ascii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                throw new IllegalArgumentException("non-printable character in ASCII field");
            }
            buf[len++] = (byte) c;
        }
        return this;
    }

    public FieldWriter ch(char c) {
        ensure(1);
        buf[len++] = (byte) c;
        return this;
    }

    /** Uppercase hex of {@code data}. */
    public FieldWriter hex(byte[] data) {
        ensure(data.length * 2);
        for (byte b : data) {
            buf[len++] = HEX[(b >> 4) & 0xF];
            buf[len++] = HEX[b & 0xF];
        }
        return this;
    }

    /** Raw bytes. */
    public FieldWriter bytes(byte[] data) {
        ensure(data.length);
        System.arraycopy(data, 0, buf, len, data.length);
        len += data.length;
        return this;
    }

    /** Zero-padded decimal of exactly {@code width} digits. */
    public FieldWriter decimal(int value, int width) {
        String s = Integer.toString(value);
        if (value < 0 || s.length() > width) {
            throw new IllegalArgumentException(value + " does not fit " + width + " digits");
        }
        for (int i = s.length(); i < width; i++) {
            ch('0');
        }
        return ascii(s);
    }

    /** Zero-padded uppercase hex number of exactly {@code width} digits. */
    public FieldWriter hexNumber(int value, int width) {
        String s = Integer.toHexString(value).toUpperCase(java.util.Locale.ROOT);
        if (value < 0 || s.length() > width) {
            throw new IllegalArgumentException(value + " does not fit " + width + " hex digits");
        }
        for (int i = s.length(); i < width; i++) {
            ch('0');
        }
        return ascii(s);
    }

    /** Scheme tag + hex cryptogram. */
    public FieldWriter key(LmkKey key) {
        return ch(key.scheme().tag()).hex(key.cryptogram());
    }

    /** Scheme tag + hex cryptogram. */
    public FieldWriter key(WrappedKey key) {
        return ch(key.scheme().tag()).hex(key.cryptogram());
    }

    /** 4-digit decimal length + raw bytes (payShield {@code 4N + nB}). */
    public FieldWriter lengthPrefixed(byte[] data) {
        return decimal(data.length, 4).bytes(data);
    }

    /**
     * 4-digit decimal length + the LMK-encrypted private key; {@code FFFF} + the key block for a
     * payShield key-block private key ({@link LmkPrivateKey#isKeyBlock()}), as payShield takes it.
     */
    public FieldWriter privateKey(LmkPrivateKey key) {
        if (key.isKeyBlock()) {
            return ascii("FFFF").bytes(key.bytes());
        }
        return lengthPrefixed(key.bytes());
    }

    public int length() {
        return len;
    }

    public byte[] toBytes() {
        return Arrays.copyOf(buf, len);
    }
}
