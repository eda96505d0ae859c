package dev.posgate.iso8583.frame;

/**
 * Receives what a {@link FrameDecoder} recognises. Callbacks run synchronously inside
 * {@link FrameDecoder#feed(byte[], int, int)}, on the caller's thread; a callback may call
 * {@link FrameDecoder#close()} to stop the decoder from delivering anything else, but must not call
 * {@code feed} re-entrantly.
 */
public interface FrameSink {
    /**
     * A complete frame.
     *
     * @param family selected by {@code body[0]}
     * @param body   exactly the LEN bytes of the frame body, family byte included; a fresh array the
     *               sink owns (the decoder never touches it again)
     */
    void onFrame(Family family, byte[] body);

    /** A keep-alive frame (LEN = 0). It must be ignored, never echoed; the default does nothing. */
    default void onKeepAlive() {
    }

    /** A fatal framing error; the decoder is dead afterwards and the caller closes the connection. */
    void onError(FrameError error);
}
