package dev.posgate.link;

/**
 * What a pipelined link needs to know about the messages it carries: how a request is framed with
 * its correlation id and how a reply names the request it answers. Frames are length-prefixed
 * ({@link dev.posgate.iso8583.frame.LengthFrameDecoder}); a protocol sees bodies only.
 *
 * <p>Two kinds of correlation exist: the link numbers requests per connection (the HSM header echoed
 * in the reply: {@link #correlationId} returns {@code null} and {@link #sequenceId} spells the
 * number), or the request carries its own id (ISO8583 terminal id + STAN + MTI), unique across the
 * link, in which case a reply may arrive on any connection ({@link #repliesOnAnyConnection}).
 *
 * @param <Req> a request
 * @param <Rep> a reply
 */
public interface LinkProtocol<Req, Rep> {
    /** A decoded reply frame: the id of the request it answers and its value. */
    record Reply<Rep>(String id, Rep value) {}

    /** The id {@code request} carries itself, or {@code null} when the link numbers requests. */
    String correlationId(Req request);

    /** The id for the link-assigned number {@code sequence} (0 .. {@link #sequenceSpace()} - 1). */
    default String sequenceId(long sequence) {
        throw new UnsupportedOperationException("this protocol's requests carry their own id");
    }

    /** How many distinct link-assigned ids exist before they wrap around. */
    default long sequenceSpace() {
        return Long.MAX_VALUE;
    }

    /** True when a reply may arrive on another connection than its request's (ids unique link-wide). */
    default boolean repliesOnAnyConnection() {
        return false;
    }

    /** The frame body (without the 2 length bytes) of {@code request} carrying {@code id}. */
    byte[] encode(Req request, String id);

    /**
     * The reply in a frame body (possibly empty). {@code null} drops the frame (a keep-alive, or an
     * unparseable message the protocol tolerates); a {@link LinkProtocolException} means the stream
     * cannot be trusted and the connection is recycled.
     */
    Reply<Rep> decode(byte[] body);

    /** The largest reply frame body accepted, at most 65535. */
    int maxReplyLength();

    /**
     * Bytes of an over-long reply to read before skipping the rest, enough for {@link #oversizedId};
     * -1 (the default) makes an over-long reply fatal to the connection.
     */
    default int oversizedPrefix() {
        return -1;
    }

    /** The id in the first bytes of an over-long reply; {@link LinkProtocolException} if there is none. */
    default String oversizedId(byte[] prefix) {
        throw new LinkProtocolException("over-long reply");
    }

    /** A short, log-safe name of the request (the HSM command code), never its payload. */
    default String describe(Req request) {
        return "request";
    }
}
