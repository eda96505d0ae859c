package dev.posgate.iso8583.frame;

import java.util.Objects;

/**
 * Push parser for the terminal frame layer of protocol.md section 1: {@code LEN(2, big-endian) |
 * BODY(LEN)}, where the first body byte selects the message {@link Family}. The framing itself is
 * {@link LengthFrameDecoder}'s; this class adds the per-family admission.
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
 * Buffering grows with the bytes received (see {@link LengthFrameDecoder}). After an error the decoder
 * is dead: further input is ignored.
 */
public final class FrameDecoder {
    /** Body bytes allocated when a frame is admitted: enough for most ISO8583 requests at once. */
    public static final int FIRST_CHUNK = LengthFrameDecoder.FIRST_CHUNK;

    private final LengthFrameDecoder frames;

    public FrameDecoder(FrameLimits limits, FrameSink sink) {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(sink, "sink");
        this.frames = new LengthFrameDecoder(limits.maxAny(), new LengthFrameDecoder.Handler() {
            @Override
            public void onFrame(byte[] body) {
                sink.onFrame(Family.of(body[0]), body);
            }

            @Override
            public void onEmptyFrame() {
                sink.onKeepAlive();
            }

            @Override
            public void onError(FrameError error) {
                sink.onError(error);
            }
        }).admission((len, first) -> {
            Family f = Family.of(first);
            if (f == null) return FrameError.UNKNOWN_FAMILY;
            int max = limits.max(f);
            if (max == 0) return FrameError.FAMILY_NOT_ACCEPTED;
            return len > max ? FrameError.OVERSIZED : null;
        });
    }

    /** Consumes {@code buf[off .. off+len)}; the decoder does not keep a reference to {@code buf}. */
    public void feed(byte[] buf, int off, int length) {
        frames.feed(buf, off, length);
    }

    /** Convenience for {@code feed(buf, 0, buf.length)}. */
    public void feed(byte[] buf) {
        frames.feed(buf);
    }

    /**
     * True while part of a frame has been received (at least one LEN byte) but not the whole frame. The
     * gateway uses it for slow-sender and handshake timeouts.
     */
    public boolean midFrame() {
        return frames.midFrame();
    }

    /** Bytes the decoder holds for the frame being received; 0 between frames (buffered-bytes gauge). */
    public int bufferedBytes() {
        return frames.bufferedBytes();
    }

    /** True after an error or {@link #close()}: further input is ignored. */
    public boolean isDead() {
        return frames.isDead();
    }

    /**
     * Stops the decoder (e.g. from inside a sink callback when the connection is being closed): the rest
     * of the current {@code feed} and every later one are ignored, and any partial body is released.
     */
    public void close() {
        frames.close();
    }
}
