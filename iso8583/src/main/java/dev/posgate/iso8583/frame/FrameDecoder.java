package dev.posgate.iso8583.frame;

import java.util.Arrays;
import java.util.Objects;

/**
 * Push parser for the frame layer of protocol.md section 1: {@code LEN(2, big-endian) | BODY(LEN)}.
 *
 * <p>Feed it bytes as they arrive, with any segmentation: partial frames, several frames, or both per
 * call. Not thread-safe: one instance per connection, fed from one thread (an event loop).
 *
 * <p>Admission control happens before any body byte is buffered:
 * <ol>
 *   <li>after the two LEN bytes: {@code LEN == 0} is a keep-alive; {@code LEN} greater than the maximum of
 *       every accepted family is {@link FrameError#OVERSIZED} at once (no need to wait for the family
 *       byte);</li>
 *   <li>after the first body byte: an unknown family is {@link FrameError#UNKNOWN_FAMILY}, a family whose
 *       maximum is 0 is {@link FrameError#FAMILY_NOT_ACCEPTED}, {@code LEN} above that family's maximum is
 *       {@link FrameError#OVERSIZED}; otherwise the body is buffered.</li>
 * </ol>
 * The body array grows with the bytes that have arrived, not with the length the peer announced:
 * it starts at {@value #FIRST_CHUNK} bytes (or LEN if smaller) and doubles, capped at LEN, only when
 * the next bytes do not fit. A peer that sends {@code FF FF 'T'} and stops therefore pins
 * {@value #FIRST_CHUNK} bytes, not 64 KiB; a whole frame costs at most one extra copy per doubling.
 * The array handed to the sink is exactly LEN bytes long. So the decoder never holds more than one
 * accepted body, and never more than twice the bytes received (at most LEN) for it.
 * After an error the decoder is dead: further input is ignored.
 */
public final class FrameDecoder {
    private static final int LEN_HI = 0;
    private static final int LEN_LO = 1;
    private static final int FAMILY = 2;
    private static final int BODY = 3;
    private static final int DEAD = 4;
    /** Body bytes allocated when a frame is admitted: enough for most ISO8583 requests at once. */
    public static final int FIRST_CHUNK = 512;

    private final FrameLimits limits;
    private final FrameSink sink;

    private int state = LEN_HI;
    private int len;
    private Family family;
    private byte[] body;
    private int filled;

    public FrameDecoder(FrameLimits limits, FrameSink sink) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** Consumes {@code buf[off .. off+len)}; the decoder does not keep a reference to {@code buf}. */
    public void feed(byte[] buf, int off, int length) {
        Objects.checkFromIndexSize(off, length, buf.length);
        final int end = off + length;
        int p = off;
        while (p < end && state != DEAD) {
            switch (state) {
                case LEN_HI:
                    if (end - p >= 2) { // fast path: both length bytes in this chunk
                        len = ((buf[p] & 0xFF) << 8) | (buf[p + 1] & 0xFF);
                        p += 2;
                        lengthComplete();
                    } else {
                        len = (buf[p++] & 0xFF) << 8;
                        state = LEN_LO;
                    }
                    break;
                case LEN_LO:
                    len |= buf[p++] & 0xFF;
                    lengthComplete();
                    break;
                case FAMILY:
                    familyByte(buf[p++]);
                    break;
                case BODY: {
                    int n = Math.min(end - p, len - filled);
                    ensureCapacity(filled + n);
                    System.arraycopy(buf, p, body, filled, n);
                    p += n;
                    filled += n;
                    if (filled == len) {
                        emit();
                    }
                    break;
                }
                default:
                    throw new IllegalStateException("state " + state);
            }
        }
    }

    /** Convenience for {@code feed(buf, 0, buf.length)}. */
    public void feed(byte[] buf) {
        feed(buf, 0, buf.length);
    }

    /**
     * True while part of a frame has been received (at least one LEN byte) but not the whole frame. The
     * gateway uses it for slow-sender and handshake timeouts.
     */
    public boolean midFrame() {
        return state != LEN_HI && state != DEAD;
    }

    /**
     * Bytes the decoder holds for the frame being received (the capacity of its body buffer); 0
     * between frames. For the gateway's gauge of buffered bytes.
     */
    public int bufferedBytes() {
        return body == null ? 0 : body.length;
    }

    /** True after an error or {@link #close()}: further input is ignored. */
    public boolean isDead() {
        return state == DEAD;
    }

    /**
     * Stops the decoder (e.g. from inside a sink callback when the connection is being closed): the rest
     * of the current {@code feed} and every later one are ignored, and any partial body is released.
     */
    public void close() {
        state = DEAD;
        body = null;
        family = null;
    }

    private void lengthComplete() {
        if (len == 0) {
            state = LEN_HI;
            sink.onKeepAlive();
        } else if (len > limits.maxAny()) {
            fail(FrameError.OVERSIZED);
        } else {
            state = FAMILY;
        }
    }

    private void familyByte(byte b) {
        Family f = Family.of(b);
        if (f == null) {
            fail(FrameError.UNKNOWN_FAMILY);
            return;
        }
        int max = limits.max(f);
        if (max == 0) {
            fail(FrameError.FAMILY_NOT_ACCEPTED);
            return;
        }
        if (len > max) {
            fail(FrameError.OVERSIZED);
            return;
        }
        family = f;
        body = new byte[Math.min(len, FIRST_CHUNK)];
        body[0] = b;
        filled = 1;
        state = BODY;
        if (len == 1) {
            emit();
        }
    }

    private void ensureCapacity(int needed) {
        if (needed <= body.length) return;
        int capacity = (int) Math.min(len, Math.max(needed, 2L * body.length));
        body = Arrays.copyOf(body, capacity);
    }

    private void emit() {
        byte[] b = body;
        Family f = family;
        body = null;
        family = null;
        state = LEN_HI; // reset before the callback, which may close() the decoder
        sink.onFrame(f, b);
    }

    private void fail(FrameError error) {
        close();
        sink.onError(error);
    }
}
