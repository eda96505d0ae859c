package dev.posgate.link;

import dev.posgate.iso8583.frame.FrameError;
import dev.posgate.iso8583.frame.LengthFrameDecoder;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One TCP connection of a {@link LinkPool}: writes length-framed requests without waiting for
 * earlier replies (pipelining), keeps the correlation map of those in flight, reserves the ids of
 * timed-out ones for a while (so a late reply is told from garbage), counts consecutive timeouts
 * in its {@link CircuitBreaker}, and hands every reply frame to its pool. Confined to its
 * partition's context (the event loop it was connected from), see {@link LinkPool}.
 */
final class LinkConnection<Req, Rep> {
    /** The name of the flush-consolidating handler in the channel pipeline ({@link LinkPoolOptions#flushConsolidation}). */
    static final String FLUSH_CONSOLIDATION = "link-flush-consolidation";

    /** What the connection reports to its pool. */
    interface Events<Req, Rep> {
        void reply(LinkConnection<Req, Rep> conn, LinkProtocol.Reply<Rep> reply);

        void oversized(LinkConnection<Req, Rep> conn, byte[] prefix, int length);

        void malformed(LinkConnection<Req, Rep> conn, String why);

        void lost(LinkConnection<Req, Rep> conn, String why);

        void written(LinkConnection<Req, Rep> conn, LinkRequest<Req, Rep> req, Throwable failure);
    }

    final String label;
    final NetSocket socket;
    final CircuitBreaker breaker;
    final Map<String, LinkRequest<Req, Rep>> inflight = new HashMap<>();
    boolean dead;
    boolean probing;

    private final LinkProtocol<Req, Rep> protocol;
    private final Ticker ticker;
    private final LengthFrameDecoder frames;
    /** Ids of requests that timed out, with their expiry, so late replies are recognised. */
    private final LinkedHashMap<String, Long> late = new LinkedHashMap<>();
    private final long lateWindowNanos;
    private final int lateCapacity;
    private final Events<Req, Rep> events;
    private long nextSequence;

    LinkConnection(String label, NetSocket socket, LinkProtocol<Req, Rep> protocol, LinkPoolOptions options,
            Ticker ticker, Events<Req, Rep> events) {
        this.label = label;
        this.socket = socket;
        this.protocol = protocol;
        this.ticker = ticker;
        this.events = events;
        this.breaker = new CircuitBreaker(options.breakerConsecutiveTimeouts());
        this.lateWindowNanos = options.lateWindow().toNanos();
        this.lateCapacity = (int) Math.min(options.lateCapacity(),
                Math.max(0, protocol.sequenceSpace() - options.maxInFlightPerConnection() - 2));
        this.frames = new LengthFrameDecoder(protocol.maxReplyLength(), new LengthFrameDecoder.Handler() {
            @Override
            public void onFrame(byte[] body) {
                frame(body);
            }

            @Override
            public void onEmptyFrame() {
                frame(new byte[0]);
            }

            @Override
            public void onOversized(byte[] prefix, int length) {
                if (!dead) events.oversized(LinkConnection.this, prefix, length);
            }

            @Override
            public void onError(FrameError error) {
                if (!dead) events.malformed(LinkConnection.this, "reply frame refused: " + error);
            }
        });
        if (protocol.oversizedPrefix() >= 0) {
            frames.skipOversized(protocol.oversizedPrefix());
        }
        if (options.flushConsolidation() > 0) {
            consolidateFlushes(socket, options.flushConsolidation());
        }
        socket.handler(this::received);
        socket.closeHandler(v -> events.lost(this, "closed"));
        socket.exceptionHandler(t -> events.lost(this, "socket error: " + t));
    }

    /**
     * Puts Netty's {@link FlushConsolidationHandler} just in front of Vert.x's handler, through which
     * every write and flush of {@code socket} goes (and before TLS on the way out: TLS sees one flush,
     * so a batch is one record too). A flush outside a read of this channel is turned into one task at the end of the event loop's
     * queue: the writes of every task and every other channel's read of the current iteration go out
     * together. During this channel's own read Vert.x holds its flush until read-complete; that flush
     * reaches the handler after its read-complete, so it too goes out with the iteration's batch.
     */
    private static void consolidateFlushes(NetSocket socket, int maxFlushes) {
        if (!(socket instanceof NetSocketInternal internal)) return;
        ChannelHandlerContext vertxHandler = internal.channelHandlerContext();
        vertxHandler.pipeline().addBefore(vertxHandler.name(), FLUSH_CONSOLIDATION,
                new FlushConsolidationHandler(maxFlushes, true));
    }

    private void received(Buffer data) {
        if (dead) return;
        byte[] bytes = data.getBytes();
        frames.feed(bytes, 0, bytes.length);
    }

    private void frame(byte[] body) {
        if (dead) return;
        LinkProtocol.Reply<Rep> reply;
        try {
            reply = protocol.decode(body);
        } catch (LinkProtocolException e) {
            events.malformed(this, e.getMessage());
            return;
        }
        if (reply != null) {
            events.reply(this, reply);
        }
    }

    /** An id for {@code req}: its own, or the next number not in flight and not reserved. */
    String assignId(LinkRequest<Req, Rep> req) {
        String own = protocol.correlationId(req.value);
        if (own != null) {
            return own;
        }
        long space = protocol.sequenceSpace();
        for (long i = 0; i < space; i++) {
            long v = nextSequence;
            nextSequence = (v + 1) % space;
            String id = protocol.sequenceId(v);
            if (!inflight.containsKey(id) && !late.containsKey(id)) {
                return id;
            }
        }
        throw new IllegalStateException("no free correlation id on " + label); // excluded by configuration
    }

    /** Writes {@code req} (pipelined); the write outcome is reported through {@link Events#written}. */
    void write(LinkRequest<Req, Rep> req) {
        req.id = assignId(req);
        req.conn = this;
        req.written = false;
        req.sends++;
        inflight.put(req.id, req);
        byte[] body = protocol.encode(req.value, req.id);
        Buffer frame = Buffer.buffer(2 + body.length).appendUnsignedShort(body.length).appendBytes(body);
        socket.write(frame).onComplete(ar -> events.written(this, req, ar.failed() ? ar.cause() : null));
    }

    /** Removes {@code req} from the correlation map. */
    void detach(LinkRequest<Req, Rep> req) {
        inflight.remove(req.id, req);
        req.conn = null;
    }

    /** True when {@code id} belongs to a request that timed out here recently (and forgets it). */
    boolean wasLate(String id) {
        return late.remove(id) != null;
    }

    /** A request in flight here timed out: reserve its id; true when the breaker trips. */
    boolean timedOut(String id) {
        long now = ticker.nanos();
        Iterator<Map.Entry<String, Long>> it = late.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Long> e = it.next();
            if (e.getValue() - now > 0 && late.size() < lateCapacity) {
                break;
            }
            it.remove();
        }
        if (lateCapacity > 0) {
            late.put(id, now + lateWindowNanos);
        }
        return breaker.failure();
    }

    /** Marks the connection dead and closes it; returns the requests that were in flight. */
    List<LinkRequest<Req, Rep>> close() {
        dead = true;
        frames.close();
        late.clear();
        socket.close();
        return new ArrayList<>(inflight.values());
    }
}
