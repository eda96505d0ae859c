package dev.posgate.iso8583.frame;

import java.util.Objects;

/** Writes the frame layer of protocol.md section 1: a 2-byte big-endian LEN before the body. */
public final class FrameEncoder {
    private static final byte[] KEEP_ALIVE = {0, 0};

    private FrameEncoder() {
    }

    /** {@code LEN | body} in one new array; refuses bodies longer than 65535 bytes. */
    public static byte[] encode(byte[] body) {
        return encode(body, 0, body.length);
    }

    /** {@code LEN | body[off .. off+len)} in one new array; refuses bodies longer than 65535 bytes. */
    public static byte[] encode(byte[] body, int off, int len) {
        Objects.checkFromIndexSize(off, len, body.length);
        checkLength(len);
        byte[] out = new byte[2 + len];
        writeLength(out, 0, len);
        System.arraycopy(body, off, out, 2, len);
        return out;
    }

    /** Writes the 2-byte LEN for a body of {@code len} bytes at {@code dst[off]}. */
    public static void writeLength(byte[] dst, int off, int len) {
        checkLength(len);
        dst[off] = (byte) (len >>> 8);
        dst[off + 1] = (byte) len;
    }

    /** A keep-alive frame (LEN = 0): {@code 00 00}. A fresh array each call. */
    public static byte[] keepAlive() {
        return KEEP_ALIVE.clone();
    }

    private static void checkLength(int len) {
        if (len < 0 || len > FrameLimits.MAX_LEN) {
            throw new IllegalArgumentException("frame body of " + len + " bytes does not fit the 16-bit LEN");
        }
    }
}
