package dev.posgate.hsm.pool;

import io.vertx.core.buffer.Buffer;

/**
 * Splits one HSM connection's byte stream into reply frames ({@code LEN(2) | header | reply}).
 * A frame longer than the pool's cap is not buffered: its header is read (so the reply can be
 * matched to its command) and the rest of its bytes are skipped as they arrive, which keeps the
 * stream in step and the connection up. Fed from the pool's context only.
 */
final class ReplyFrames {
    /** What the stream holds. Callbacks run inside {@link #feed}; they may {@link #close()} the parser. */
    interface Sink {
        /** A complete frame within the cap: header and reply, exactly LEN bytes. */
        void reply(Buffer frame);

        /** The header of a frame of {@code length} bytes over the cap; the rest of it is skipped. */
        void oversized(Buffer header, int length);

        /** A frame no sane HSM sends (shorter than header and reply code): the stream cannot be trusted. */
        void malformed(int length);
    }

    private enum State { LENGTH, FRAME, OVERSIZED_HEADER, SKIP, DEAD }

    private final int headerLength;
    private final int maxFrame;
    private final Sink sink;
    private State state = State.LENGTH;
    private Buffer pending = Buffer.buffer(2);
    /** Bytes the current state needs in {@code pending}, or still to skip in {@link State#SKIP}. */
    private int need = 2;
    private int oversizedLength;

    ReplyFrames(int headerLength, int maxFrame, Sink sink) {
        this.headerLength = headerLength;
        this.maxFrame = maxFrame;
        this.sink = sink;
    }

    void feed(Buffer data) {
        int p = 0;
        int end = data.length();
        while (p < end && state != State.DEAD) {
            if (state == State.SKIP) {
                int n = Math.min(need, end - p);
                p += n;
                need -= n;
                if (need == 0) expect(State.LENGTH, 2);
                continue;
            }
            int n = Math.min(need - pending.length(), end - p);
            pending.appendBuffer(data, p, n);
            p += n;
            if (pending.length() < need) return;
            Buffer got = pending;
            switch (state) {
                case LENGTH -> length(got.getUnsignedShort(0));
                case FRAME -> {
                    expect(State.LENGTH, 2);
                    sink.reply(got);
                }
                case OVERSIZED_HEADER -> {
                    state = State.SKIP;
                    need = oversizedLength - headerLength;
                    pending = Buffer.buffer(2);
                    sink.oversized(got, oversizedLength);
                }
                default -> throw new IllegalStateException(state.name());
            }
        }
    }

    /** Stops the parser: the rest of the current {@link #feed} and every later one are ignored. */
    void close() {
        state = State.DEAD;
        pending = null;
    }

    private void length(int n) {
        if (n < headerLength + 2) {
            close();
            sink.malformed(n);
        } else if (n > maxFrame) {
            oversizedLength = n;
            expect(State.OVERSIZED_HEADER, headerLength);
        } else {
            expect(State.FRAME, n);
        }
    }

    private void expect(State next, int bytes) {
        state = next;
        need = bytes;
        pending = Buffer.buffer(Math.min(bytes, 4096));
    }
}
