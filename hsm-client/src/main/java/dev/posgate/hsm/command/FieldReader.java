package dev.posgate.hsm.command;

import dev.posgate.hsm.KeyAlgorithm;
import dev.posgate.hsm.KeyScheme;
import dev.posgate.hsm.LmkKey;
import dev.posgate.hsm.LmkPrivateKey;
import dev.posgate.hsm.WrappedKey;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the fields of a host command or reply. Every failure is a {@link FieldException} with
 * error code {@code 15} unless the call names another; nothing else is thrown for bad input.
 */
public final class FieldReader {
    private final byte[] buf;
    private int pos;

    public FieldReader(byte[] buf, int offset) {
        this.buf = buf;
        this.pos = offset;
    }

    public int position() {
        return pos;
    }

    public int remaining() {
        return buf.length - pos;
    }

    public boolean atEnd() {
        return pos >= buf.length;
    }

    /** Fails with {@code 15} unless every byte was consumed. */
    public void expectEnd() {
        if (pos != buf.length) {
            throw new FieldException("15", (buf.length - pos) + " unexpected trailing bytes");
        }
    }

    private void need(int n, String what) {
        if (n < 0 || buf.length - pos < n) {
            throw new FieldException("15", "missing " + what);
        }
    }

    /** The next character without consuming it, or -1 at the end. */
    public int peek() {
        return pos < buf.length ? buf[pos] & 0xFF : -1;
    }

    /** Consumes {@code c} if it is next; returns whether it was. */
    public boolean optional(char c) {
        if (peek() == c) {
            pos++;
            return true;
        }
        return false;
    }

    public char ch(String what) {
        need(1, what);
        return (char) (buf[pos++] & 0xFF);
    }

    public void expect(char c, String what) {
        if (ch(what) != c) {
            throw new FieldException("15", what + ": expected '" + c + "'");
        }
    }

    /** {@code n} printable ASCII characters. */
    public String ascii(int n, String what) {
        need(n, what);
        for (int i = pos; i < pos + n; i++) {
            if (buf[i] < 0x20 || buf[i] > 0x7E) {
                throw new FieldException("15", what + ": non-printable character");
            }
        }
        String s = new String(buf, pos, n, StandardCharsets.US_ASCII);
        pos += n;
        return s;
    }

    /** {@code chars} hex digits (even), decoded to {@code chars / 2} bytes. */
    public byte[] hex(int chars, String what) {
        return hex(chars, what, "15");
    }

    public byte[] hex(int chars, String what, String errorCode) {
        if ((chars & 1) != 0) {
            throw new IllegalArgumentException("odd hex length");
        }
        need(chars, what);
        byte[] out = new byte[chars / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = nibble(buf[pos + 2 * i]);
            int lo = nibble(buf[pos + 2 * i + 1]);
            if ((hi | lo) < 0) {
                throw new FieldException(errorCode, what + ": not hex");
            }
            out[i] = (byte) ((hi << 4) | lo);
        }
        pos += chars;
        return out;
    }

    /** {@code n} raw bytes. */
    public byte[] bytes(int n, String what) {
        need(n, what);
        byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return out;
    }

    /** Everything left. */
    public byte[] rest() {
        byte[] out = Arrays.copyOfRange(buf, pos, buf.length);
        pos = buf.length;
        return out;
    }

    /** A decimal number of exactly {@code width} digits. */
    public int decimal(int width, String what) {
        return decimal(width, what, "15");
    }

    public int decimal(int width, String what, String errorCode) {
        need(width, what);
        int v = 0;
        for (int i = 0; i < width; i++) {
            int c = buf[pos + i];
            if (c < '0' || c > '9') {
                throw new FieldException(errorCode, what + ": not decimal");
            }
            v = v * 10 + (c - '0');
        }
        pos += width;
        return v;
    }

    /** A hex number of exactly {@code width} digits. */
    public int hexNumber(int width, String what, String errorCode) {
        need(width, what);
        int v = 0;
        for (int i = 0; i < width; i++) {
            int n = nibble(buf[pos + i]);
            if (n < 0) {
                throw new FieldException(errorCode, what + ": not hex");
            }
            v = (v << 4) | n;
        }
        pos += width;
        return v;
    }

    /**
     * A TDES key under the LMK: {@code Z}/{@code U}/{@code T} + 16/32/48 hex, or a bare 16-hex
     * single-length key. A tag that is not a TDES LMK scheme (including SM4's {@code P}) gives
     * {@code 26}: an SM4 key is never accepted where a TDES key is expected.
     */
    public LmkKey lmkKey(String what) {
        return lmkKey(what, KeyAlgorithm.TDES);
    }

    /** An SM4 key under the LMK: {@code P} + 32 hex; any other tag gives {@code 26}. */
    public LmkKey sm4LmkKey(String what) {
        return lmkKey(what, KeyAlgorithm.SM4);
    }

    /** A key under the LMK of either algorithm (a key-encrypting key of the SM commands). */
    public LmkKey anyLmkKey(String what) {
        return lmkKey(what, null);
    }

    private LmkKey lmkKey(String what, KeyAlgorithm algorithm) {
        int c = peek();
        if (c < 0) {
            throw new FieldException("15", "missing " + what);
        }
        if (nibble((byte) c) >= 0 && algorithm != KeyAlgorithm.SM4) {
            return LmkKey.of(KeyScheme.Z, hex(16, what));
        }
        KeyScheme s = KeyScheme.ofTag((char) c);
        if (s == null || !s.isLmkScheme() || algorithm != null && s.algorithm() != algorithm) {
            throw new FieldException("26", what + ": invalid key scheme '" + (char) c + "'");
        }
        pos++;
        return LmkKey.of(s, hex(s.keyLength() * 2, what));
    }

    /**
     * A TDES key under a key-encrypting key: {@code Z}/{@code X}/{@code Y} + 16/32/48 hex, or a
     * bare 16-hex single-length key. Other tags (payShield variant export schemes U/T, SM4's P)
     * give {@code 26}.
     */
    public WrappedKey wrappedKey(String what) {
        return wrappedKey(what, KeyAlgorithm.TDES);
    }

    /** An SM4 key under a key-encrypting key: {@code P} + 32 hex; any other tag gives {@code 26}. */
    public WrappedKey sm4WrappedKey(String what) {
        return wrappedKey(what, KeyAlgorithm.SM4);
    }

    private WrappedKey wrappedKey(String what, KeyAlgorithm algorithm) {
        int c = peek();
        if (c < 0) {
            throw new FieldException("15", "missing " + what);
        }
        if (nibble((byte) c) >= 0 && algorithm == KeyAlgorithm.TDES) {
            return WrappedKey.of(KeyScheme.Z, hex(16, what));
        }
        KeyScheme s = KeyScheme.ofTag((char) c);
        if (s == null || !s.isKekScheme() || s.algorithm() != algorithm) {
            throw new FieldException("26", what + ": invalid key scheme '" + (char) c + "'");
        }
        pos++;
        return WrappedKey.of(s, hex(s.keyLength() * 2, what));
    }

    /** A one-character key scheme field. */
    public KeyScheme scheme(String what) {
        char c = ch(what);
        KeyScheme s = KeyScheme.ofTag(c);
        if (s == null) {
            throw new FieldException("26", what + ": invalid key scheme '" + c + "'");
        }
        return s;
    }

    /** {@code 4N} length + that many raw bytes; length 0 is refused. */
    public byte[] lengthPrefixed(String what) {
        int n = decimal(4, what + " length");
        if (n == 0) {
            throw new FieldException("15", what + ": zero length");
        }
        return bytes(n, what);
    }

    /**
     * {@code 4N} length + an LMK-encrypted private key, or {@code FFFF} + a payShield key block
     * ({@code 'S'}, version, 4-digit block length counted from the version: self-delimiting), the
     * form a payShield with a key-block LMK uses (issue 16; {@link LmkPrivateKey#isKeyBlock()}).
     */
    public LmkPrivateKey privateKey(String what) {
        if (remaining() >= 4 && buf[pos] == 'F' && buf[pos + 1] == 'F' && buf[pos + 2] == 'F' && buf[pos + 3] == 'F') {
            pos += 4;
            int n = LmkPrivateKey.keyBlockLength(buf, pos);
            if (n < 0 || n > LmkPrivateKey.MAX_LENGTH) {
                throw new FieldException("15", what + ": FFFF without a key block");
            }
            return LmkPrivateKey.of(bytes(n, what));
        }
        return LmkPrivateKey.of(lengthPrefixed(what));
    }

    /** A DER SEQUENCE (tag {@code 30}, definite length): its complete encoding. */
    public byte[] derSequence(String what) {
        int start = pos;
        need(2, what);
        if ((buf[pos] & 0xFF) != 0x30) {
            throw new FieldException("15", what + ": not a DER SEQUENCE");
        }
        int l = buf[pos + 1] & 0xFF;
        int hdr = 2;
        int contentLength;
        if (l < 0x80) {
            contentLength = l;
        } else {
            int n = l & 0x7F;
            if (n == 0 || n > 3) {
                throw new FieldException("15", what + ": unsupported DER length");
            }
            need(2 + n, what);
            contentLength = 0;
            for (int i = 0; i < n; i++) {
                contentLength = (contentLength << 8) | (buf[pos + 2 + i] & 0xFF);
            }
            hdr = 2 + n;
        }
        need(hdr + contentLength, what);
        pos = start + hdr + contentLength;
        return Arrays.copyOfRange(buf, start, pos);
    }

    static int nibble(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        return -1;
    }
}
