package dev.posgate.iso8583.frame;

import java.util.Arrays;
import java.util.Objects;

/**
 * The one push parser of the 2-byte big-endian length framing ({@code LEN(2) | BODY(LEN)}) used by
 * every TCP link of the project: terminals (through {@link FrameDecoder}, which adds the family
 * check), the HSM client and the software HSM, the upstream host link and the test servers.
 *
 * <p>Feed it bytes as they arrive, with any segmentation (split and coalesced frames). Not
 * thread-safe: one instance per connection, fed from one thread (an event loop). The module has
 * no Vert.x dependency (the load generator embeds it), so a Vert.x caller feeds
 * {@code buffer.getBytes()}.
 *
 * <p>A LEN above the maximum is refused before any body byte is buffered: by default with
 * {@link FrameError#OVERSIZED} (fatal); with {@link #skipOversized(int)} the first bytes of the
 * body are handed to {@link Handler#onOversized} and the rest is skipped as it arrives, so the stream
 * stays in step (the HSM client fails only the command such a reply answers). An optional
 * {@link Admission} sees LEN and the first body byte before the body is buffered.
 *
 * <p>The body array grows with the bytes that have arrived, not with the length the peer announced:
 * it starts at {@value #FIRST_CHUNK} bytes (or LEN if smaller) and doubles, capped at LEN. A peer
 * that sends {@code FF FF} and one byte therefore pins {@value #FIRST_CHUNK} bytes, not 64 KiB.
 * After an error the decoder is dead: further input is ignored.
 */
public final class LengthFrameDecoder {
    /** Body bytes allocated when a frame is admitted: enough for most ISO8583 requests at once. */
    public static final int FIRST_CHUNK = 512;

    /** What the decoder recognises; callbacks run inside {@link #feed} and may {@link #close()} it. */
    public interface Handler {
        /** A complete frame: exactly LEN ({@code >= 1}) bytes, a fresh array the handler owns. */
        void onFrame(byte[] body);

        /** A frame with LEN = 0 (a keep-alive for terminals); the default ignores it. */
        default void onEmptyFrame() {
        }

        /**
         * With {@link #skipOversized(int)}: the first bytes of a frame of {@code length} bytes over
         * the maximum; the rest of it is skipped.
         */
        default void onOversized(byte[] prefix, int length) {
        }

        /** A fatal error; the decoder is dead afterwards and the caller closes the connection. */
        void onError(FrameError error);
    }

    /** Decides on a frame from its LEN and first body byte, before the body is buffered. */
    @FunctionalInterface
    public interface Admission {
        /** {@code null} to accept the frame, else the (fatal) reason to refuse it. */
        FrameError admit(int length, byte firstByte);
    }

    private enum State { LEN_HI, LEN_LO, FIRST, BODY, PREFIX, SKIP, DEAD }

    private final int maxLength;
    private final Handler handler;
    private Admission admission = (length, first) -> null;
    private int oversizedPrefix = -1;

    private State state = State.LEN_HI;
    private int len;
    private byte[] body;
    private int filled;
    private int toSkip;

    /** @param maxLength the largest LEN accepted, 0..65535 */
    public LengthFrameDecoder(int maxLength, Handler handler) {
        if (maxLength < 0 || maxLength > FrameLimits.MAX_LEN) {
            throw new IllegalArgumentException("maxLength must be 0.." + FrameLimits.MAX_LEN + ": " + maxLength);
        }
        this.maxLength = maxLength;
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    /** Checks each frame's LEN and first body byte before buffering it. */
    public LengthFrameDecoder admission(Admission admission) {
        this.admission = Objects.requireNonNull(admission, "admission");
        return this;
    }

    /**
     * Frames over the maximum are not fatal: their first {@code prefixLength} bytes go to
     * {@link Handler#onOversized} and the rest is skipped. {@code prefixLength} must not exceed the
     * maximum (so every oversized frame has that many bytes).
     */
    public LengthFrameDecoder skipOversized(int prefixLength) {
        if (prefixLength < 0 || prefixLength > maxLength) {
            throw new IllegalArgumentException("prefixLength must be 0.." + maxLength + ": " + prefixLength);
        }
        this.oversizedPrefix = prefixLength;
        return this;
    }

    /** Consumes {@code buf[off .. off+length)}; the decoder keeps no reference to {@code buf}. */
    public void feed(byte[] buf, int off, int length) {
        Objects.checkFromIndexSize(off, length, buf.length);
        final int end = off + length;
        int p = off;
        while (p < end && state != State.DEAD) {
            switch (state) {
                case LEN_HI -> {
                    if (end - p >= 2) { // fast path: both length bytes in this chunk
                        len = ((buf[p] & 0xFF) << 8) | (buf[p + 1] & 0xFF);
                        p += 2;
                        lengthComplete();
                    } else {
                        len = (buf[p++] & 0xFF) << 8;
                        state = State.LEN_LO;
                    }
                }
                case LEN_LO -> {
                    len |= buf[p++] & 0xFF;
                    lengthComplete();
                }
                case FIRST -> firstByte(buf[p++]);
                case BODY, PREFIX -> {
                    int target = state == State.BODY ? len : body.length;
                    int n = Math.min(end - p, target - filled);
                    ensureCapacity(filled + n);
                    System.arraycopy(buf, p, body, filled, n);
                    p += n;
                    filled += n;
                    if (filled == target) {
                        if (state == State.BODY) {
                            emit();
                        } else {
                            prefixComplete();
                        }
                    }
                }
                case SKIP -> {
                    int n = Math.min(end - p, toSkip);
                    p += n;
                    toSkip -= n;
                    if (toSkip == 0) {
                        state = State.LEN_HI;
                    }
                }
                default -> throw new IllegalStateException(state.name());
            }
        }
    }

    /** Convenience for {@code feed(buf, 0, buf.length)}. */
    public void feed(byte[] buf) {
        feed(buf, 0, buf.length);
    }

    /** True while part of a frame has been received (at least one LEN byte) but not the whole frame. */
    public boolean midFrame() {
        return state != State.LEN_HI && state != State.DEAD;
    }

    /** Bytes held for the frame being received (capacity of the body buffer); 0 between frames. */
    public int bufferedBytes() {
        return body == null ? 0 : body.length;
    }

    /** True after an error or {@link #close()}. */
    public boolean isDead() {
        return state == State.DEAD;
    }

    /** Stops the decoder: the rest of the current {@code feed} and every later one are ignored. */
    public void close() {
        state = State.DEAD;
        body = null;
    }

    private void lengthComplete() {
        if (len == 0) {
            state = State.LEN_HI;
            handler.onEmptyFrame();
        } else if (len <= maxLength) {
            state = State.FIRST;
        } else if (oversizedPrefix < 0) {
            fail(FrameError.OVERSIZED);
        } else {
            body = new byte[oversizedPrefix];
            filled = 0;
            state = State.PREFIX;
            if (oversizedPrefix == 0) {
                prefixComplete();
            }
        }
    }

    private void firstByte(byte b) {
        FrameError refused = admission.admit(len, b);
        if (refused != null) {
            fail(refused);
            return;
        }
        body = new byte[Math.min(len, FIRST_CHUNK)];
        body[0] = b;
        filled = 1;
        state = State.BODY;
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
        body = null;
        state = State.LEN_HI; // reset before the callback, which may close() the decoder
        handler.onFrame(b);
    }

    private void prefixComplete() {
        byte[] prefix = body;
        body = null;
        toSkip = len - prefix.length;
        state = toSkip == 0 ? State.LEN_HI : State.SKIP;
        handler.onOversized(prefix, len);
    }

    private void fail(FrameError error) {
        close();
        handler.onError(error);
    }
}
