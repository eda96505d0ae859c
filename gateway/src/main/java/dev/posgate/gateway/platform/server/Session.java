package dev.posgate.gateway.platform.server;

import dev.posgate.gateway.platform.metrics.GatewayMetrics;
import dev.posgate.gateway.spi.Dispatcher;
import dev.posgate.gateway.spi.Response;
import dev.posgate.link.TimeSource;
import dev.posgate.gateway.spi.Dispatcher.Routed;
import dev.posgate.iso8583.frame.Family;
import dev.posgate.iso8583.frame.FrameDecoder;
import dev.posgate.iso8583.frame.FrameError;
import dev.posgate.iso8583.frame.FrameLimits;
import dev.posgate.iso8583.frame.FrameSink;
import io.vertx.core.AsyncResult;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.util.ArrayDeque;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.posgate.gateway.spi.SessionContext;

/**
 * One terminal connection: feeds bytes to the frame decoder, hands complete frames to the
 * dispatcher and writes responses. Everything runs on the connection's event loop, so the fields
 * below have no locks: {@link SessionContext#checkThread} at each entry point detects code that
 * runs elsewhere, and a reply whose chain completed off the loop is written from the loop (and
 * counted as a violation) or, when the check fails, ends the session.
 *
 * <p>Bounded by construction: the decoder refuses an oversized announced length before
 * buffering the body; at most {@code maxInflight} requests are processed at once; reading
 * pauses while the socket's write queue is full (a terminal that does not read its
 * responses cannot make the gateway queue them without limit); requests over the
 * connection's rate limit are held, and reading paused, until the rate admits them (held
 * requests count as in flight, so a pipelined flood still meets the in-flight cap); the
 * listener's sweep closes idle sessions, slow senders and connections that never send a
 * request.
 */
final class Session implements FrameSink {
    private static final Logger log = LoggerFactory.getLogger(Session.class);

    private final Vertx vertx;
    private final NetSocket socket;
    private final SessionContext context;
    private final FrameDecoder decoder;
    private final Dispatcher dispatcher;
    private final GatewayMetrics metrics;
    private final int maxInflight;
    /** Null when requests are not rate limited. */
    private final RateLimit requestRate;
    private final Runnable onClosed;

    private int inflight;
    /** The decoder's buffered bytes as last added to the gauge, so the gauge can be kept exact. */
    private int bufferedAccounted;
    private boolean closed;
    private boolean draining;
    private long lastFrameAt;
    /** When the frame now being received started; 0 when no frame is partly received. */
    private long frameStartedAt;
    private final long openedAt;
    /** Whether a request frame (not just keep-alives) has arrived: until then the first-frame timeout runs. */
    private boolean requestSeen;
    /** Theoretical arrival time of the request rate limit. */
    private long requestTat = RateLimit.FRESH;
    /** Requests over the rate, oldest first, waiting for it to admit them; at most maxInflight. */
    private final ArrayDeque<Request> held = new ArrayDeque<>();
    /** The clock of the rate limit and the timeouts {@link #sweep} checks (the listener's). */
    private final TimeSource ticker;

    private record Request(Family family, byte[] body, long receivedAt) {}

    Session(Vertx vertx, NetSocket socket, SessionContext context, FrameLimits limits, Dispatcher dispatcher,
            GatewayMetrics metrics, int maxInflight, RateLimit requestRate, TimeSource ticker, Runnable onClosed) {
        this.vertx = vertx;
        this.socket = socket;
        this.context = context;
        this.decoder = new FrameDecoder(limits, this);
        this.dispatcher = dispatcher;
        this.metrics = metrics;
        this.maxInflight = maxInflight;
        this.requestRate = requestRate;
        this.onClosed = onClosed;
        this.ticker = ticker;
        this.lastFrameAt = ticker.nanos();
        this.openedAt = lastFrameAt;
    }

    void start() {
        socket.handler(this::onBytes);
        socket.closeHandler(v -> onSocketClosed());
        socket.exceptionHandler(e -> log.debug("{}: socket error: {}", context, e.toString()));
        socket.drainHandler(v -> {
            if (!closed && held.isEmpty()) socket.resume();
        });
    }

    SessionContext context() {
        return context;
    }

    private void onBytes(Buffer buffer) {
        if (closed) return;
        byte[] bytes = buffer.getBytes();
        decoder.feed(bytes, 0, bytes.length);
        if (decoder.midFrame() && frameStartedAt == 0) frameStartedAt = ticker.nanos();
        accountBuffered(decoder.bufferedBytes());
    }

    private void accountBuffered(int now) {
        metrics.frameBuffered(now - bufferedAccounted);
        bufferedAccounted = now;
    }

    @Override
    public void onKeepAlive() {
        frameStartedAt = 0;
        lastFrameAt = ticker.nanos();
        metrics.frameIn("keepalive");
    }

    @Override
    public void onFrame(Family family, byte[] body) {
        context.checkThread("frame");
        frameStartedAt = 0;
        lastFrameAt = ticker.nanos();
        requestSeen = true;
        metrics.frameIn(label(family));
        if (closed || draining) return;
        if (inflight >= maxInflight) {
            close("inflight_cap");
            return;
        }
        inflight++;
        Request request = new Request(family, body, lastFrameAt);
        if (requestRate != null && (!held.isEmpty() || !admit(request.receivedAt()))) {
            hold(request);
        } else {
            process(request);
        }
    }

    private boolean admit(long now) {
        long next = requestRate.admit(requestTat, now);
        if (next == requestTat) return false;
        requestTat = next;
        return true;
    }

    /**
     * A terminal over its request rate is slowed down, not cut off: a long package download
     * is served at the rate, and a flood costs the gateway no more than the rate.
     */
    private void hold(Request request) {
        held.add(request);
        metrics.requestThrottled();
        if (held.size() == 1) {
            socket.pause();
            scheduleRelease();
        }
    }

    private void scheduleRelease() {
        long waitNanos = requestRate.conformsAt(requestTat) - ticker.nanos();
        vertx.setTimer(Math.max(1, (waitNanos + 999_999) / 1_000_000), id -> release());
    }

    private void release() {
        context.checkThread("release");
        while (!closed && !held.isEmpty() && admit(ticker.nanos())) process(held.poll());
        if (closed) return;
        if (!held.isEmpty()) {
            scheduleRelease();
        } else if (!socket.writeQueueFull()) {
            socket.resume();
        }
    }

    private void process(Request request) {
        String familyLabel = label(request.family());
        long started = request.receivedAt(); // the request's latency counts from its complete frame
        dispatcher.dispatch(context, request.family(), request.body()).onComplete(ar -> {
            if (context.onEventLoop()) {
                answer(ar, familyLabel, started);
                return;
            }
            // The chain completed on another thread: a bug upstream of here (counted, logged once).
            // The session's state is only ever touched from its loop, so hop back before writing;
            // when the check fails (tests), end the session instead: the chain failed.
            boolean write = context.offLoopTolerated("reply");
            context.runOnEventLoop(() -> {
                if (write) {
                    answer(ar, familyLabel, started);
                } else {
                    inflight--;
                    close("thread_violation");
                }
            });
        });
    }

    private void answer(AsyncResult<Routed> ar, String familyLabel, long started) {
        inflight--;
        if (ar.failed()) {
            // Dispatchers map handler failures to response codes; a failure here is a bug.
            log.error("{}: dispatcher failed", context, ar.cause());
            close("internal_error");
            return;
        }
        Response response = ar.result().response();
        metrics.handled(ar.result().type(), response.result(), System.nanoTime() - started);
        if (closed) return;
        if (response.body() != null) {
            byte[] body = response.body();
            // LEN | body straight into the buffer the socket writes (encoding to an array first copied it twice)
            if (body.length > FrameLimits.MAX_LEN) {
                throw new IllegalArgumentException("frame body of " + body.length + " bytes does not fit the 16-bit LEN");
            }
            socket.write(Buffer.buffer(2 + body.length).appendUnsignedShort(body.length).appendBytes(body));
            metrics.frameOut(familyLabel);
            if (socket.writeQueueFull()) socket.pause();
        }
        if (response.closeAfter()) {
            close(response.body() == null ? "protocol_error" : "ended_by_protocol");
        } else if (draining && inflight == 0) {
            close("draining");
        }
    }

    @Override
    public void onError(FrameError error) {
        String reason = error.name().toLowerCase(Locale.ROOT);
        metrics.decodeError(reason);
        log.info("{}: frame refused ({}), closing", context, reason);
        close("protocol_error");
    }

    /**
     * Called by the listener's sweep: closes the session if it idled, a frame is taking too long,
     * or it was opened and never sent a request ({@code firstFrameNanos} 0: no such limit).
     */
    void sweep(long now, long idleNanos, long frameNanos, long firstFrameNanos) {
        if (closed) return;
        if (frameStartedAt != 0 && now - frameStartedAt > frameNanos) {
            close("frame_timeout");
        } else if (inflight == 0 && now - lastFrameAt > idleNanos) {
            close("idle");
        } else if (!requestSeen && firstFrameNanos > 0 && now - openedAt > firstFrameNanos) {
            close("first_frame_timeout");
        }
    }

    /** Stop reading new requests; close once the requests in flight are answered. */
    void drain() {
        draining = true;
        if (inflight == 0) close("draining");
    }

    boolean isClosed() {
        return closed;
    }

    void close(String reason) {
        context.checkThread("close");
        if (closed) return;
        closed = true;
        held.clear();
        metrics.sessionClosed(reason);
        socket.close();
    }

    private void onSocketClosed() {
        closed = true;
        decoder.close();
        accountBuffered(0);
        onClosed.run();
        context.connectionClosed();
    }

    private static String label(Family family) {
        return family == Family.ISO8583 ? "iso8583" : "tms";
    }
}
