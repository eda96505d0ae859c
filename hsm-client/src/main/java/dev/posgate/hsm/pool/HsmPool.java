package dev.posgate.hsm.pool;

import dev.posgate.hsm.HsmProtocolException;
import dev.posgate.hsm.transport.HsmTimeoutException;
import dev.posgate.hsm.transport.HsmTransport;
import dev.posgate.hsm.transport.HsmUnavailableException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Production connection pool to payShield-style HSMs: persistent, pipelined TCP connections to one
 * or more hosts, with header correlation, per-request timeouts, reconnect with backoff, NC health
 * checks, a circuit breaker and Micrometer metrics. See {@code docs/hsm-client.md}.
 *
 * <p>Threading: all pool state lives on one Vert.x event-loop context created for the pool, so no
 * locks are used. {@link #execute}, {@link #start} and {@link #close} may be called from any
 * thread; they hand their work to that context. The future {@link #execute} returns completes on
 * the caller's context (captured when the command is submitted, as vertx-sql-client's pool does),
 * so a session confined to its event loop continues there, never on the pool's thread.
 *
 * <p>Security: payloads carry keys under LMK/ZMK and PIN blocks; this class logs command codes,
 * connection labels and counts, never payload bytes.
 */
public final class HsmPool implements HsmTransport {
    private static final Logger log = LoggerFactory.getLogger(HsmPool.class);

    private static final byte[] NC = {'N', 'C'};
    private static final byte[] HEALTHY = {'N', 'D', '0', '0'};
    /** A command whose write failed this many times is failed instead of sent again. */
    private static final int MAX_SENDS = 3;

    /** State of one connection slot, as in the {@code hsm_connections} gauge. */
    public enum ConnectionState { DOWN, CONNECTING, UP }

    private final Vertx vertx;
    private final ContextInternal ctx;
    private final HsmPoolConfig config;
    private final MeterRegistry registry;
    private final PoolMetrics metrics;
    private final List<Slot> slots;
    private final int headerLength;
    private final long idSpace;
    private final int lateCapacity;
    private final long lateWindowNanos;
    private final long requestTimeoutMs;
    private final long keyGenerationTimeoutMs;

    // ---- state confined to ctx ----
    private final ArrayDeque<Request> waitQueue = new ArrayDeque<>();
    private final Set<Request> outstanding = Collections.newSetFromMap(new IdentityHashMap<>());
    private NetClient client;
    private boolean started;
    private int upCount;
    private int roundRobin;
    private boolean draining;
    private long healthTimer = -1;
    private long startTimer = -1;

    private volatile boolean closed;
    private final Promise<Void> startPromise = Promise.promise();
    private final Promise<Void> closePromise = Promise.promise();

    /** A pool recording into a private {@link SimpleMeterRegistry}. */
    public HsmPool(Vertx vertx, HsmPoolConfig config) {
        this(vertx, config, null);
    }

    /**
     * Creates the pool; nothing connects until {@link #start()}.
     *
     * @param registry where the meters go; {@code null} for a private {@link SimpleMeterRegistry}
     */
    public HsmPool(Vertx vertx, HsmPoolConfig config, MeterRegistry registry) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.config = Objects.requireNonNull(config, "config");
        this.registry = registry != null ? registry : new SimpleMeterRegistry();
        // A context of our own: not tied to the caller's verticle (its undeploy must not kill the
        // pool) and never a worker context, so the state below is confined to one thread.
        this.ctx = ((VertxInternal) vertx).createEventLoopContext();
        this.metrics = new PoolMetrics(this.registry, config.name());
        this.headerLength = config.headerLength();
        this.idSpace = config.idSpace();
        this.lateCapacity =
                (int) Math.min(4096, idSpace - config.maxInFlightPerConnection() - 2);
        this.lateWindowNanos = config.requestTimeout().toNanos() * 10;
        this.requestTimeoutMs = Math.max(1, config.requestTimeout().toMillis());
        this.keyGenerationTimeoutMs = Math.max(1, config.keyGenerationTimeout().toMillis());
        List<Slot> s = new ArrayList<>();
        // interleave hosts so that round-robin alternates between them
        for (int i = 0; i < config.connectionsPerHost(); i++) {
            for (HsmPoolConfig.Host h : config.hosts()) {
                s.add(new Slot(h, i));
            }
        }
        this.slots = List.copyOf(s);
        metrics.down.set(slots.size());
    }

    public HsmPoolConfig config() {
        return config;
    }

    public MeterRegistry meterRegistry() {
        return registry;
    }

    /** Connections currently up (thread-safe snapshot). */
    public int connectionsUp() {
        return metrics.up.get();
    }

    /** True while no connection is up, i.e. {@link #execute} fails fast (thread-safe snapshot). */
    public boolean isCircuitOpen() {
        return metrics.up.get() == 0;
    }

    /**
     * Connects every slot. The future completes as soon as one connection is up (TCP connected and,
     * with {@code probeOnConnect}, answered NC with ND00). If none is up within {@code
     * connectTimeout} (+ {@code requestTimeout} for the probe) it fails with {@link
     * HsmUnavailableException}, but the pool keeps reconnecting in the background and starts
     * serving as soon as a host answers; {@link #close()} stops that. Idempotent.
     */
    public Future<Void> start() {
        onContext(this::doStart);
        return startPromise.future();
    }

    @Override
    public Future<byte[]> execute(byte[] command) {
        if (command == null || command.length < 2) {
            return Future.failedFuture(
                    new IllegalArgumentException("a command holds at least its 2-char command code"));
        }
        if (command.length + headerLength > 0xFFFF) {
            return Future.failedFuture(new IllegalArgumentException(
                    "command of " + command.length + " bytes does not fit a 2-byte length frame"));
        }
        // the caller's context, not ours: its callbacks must run where the caller's state lives
        Promise<byte[]> callerPromise = ((VertxInternal) vertx).getOrCreateContext().promise();
        Request req = new Request(command.clone(), commandTag(command), false, callerPromise);
        // always hop (even when already on the context): caller callbacks never re-enter pool code
        ctx.runOnContext(v -> submit(req));
        return req.promise.future();
    }

    @Override
    public Future<Void> close() {
        ctx.runOnContext(v -> doClose());
        return closePromise.future();
    }

    // ---------------------------------------------------------------- lifecycle

    private void onContext(Runnable r) {
        ctx.runOnContext(v -> r.run());
    }

    private void doStart() {
        if (closed) {
            startPromise.tryFail(new HsmUnavailableException("HSM pool '" + config.name() + "' is closed"));
            return;
        }
        if (started) {
            return;
        }
        started = true;
        NetClientOptions options = new NetClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()))
                .setTcpNoDelay(true)
                .setTcpKeepAlive(true);
        if (config.mutualTls() != null) {
            // trust is the HSM's own CA, not the web PKI: no host name to verify against
            options.setSsl(true).setKeyCertOptions(config.mutualTls().clientKey())
                    .setTrustOptions(config.mutualTls().hsmTrust()).setHostnameVerificationAlgorithm("");
        }
        client = vertx.createNetClient(options);
        long startWindowMs = config.connectTimeout().toMillis()
                + (config.probeOnConnect() ? requestTimeoutMs : 0);
        startTimer = ctx.setTimer(startWindowMs, t -> {
            startTimer = -1;
            if (upCount == 0) {
                startPromise.tryFail(new HsmUnavailableException("no HSM connection up within "
                        + startWindowMs + " ms to " + config.hosts() + "; the pool keeps retrying"));
            }
        });
        log.info("HSM pool '{}' starting: {} hosts x {} connections, header {} chars",
                config.name(), config.hosts().size(), config.connectionsPerHost(), headerLength);
        slots.forEach(this::connect);
        scheduleHealthCheck();
    }

    private void doClose() {
        if (closed) {
            return;
        }
        closed = true;
        log.info("HSM pool '{}' closing ({} requests outstanding)", config.name(), outstanding.size());
        cancel(startTimer);
        cancel(healthTimer);
        startPromise.tryFail(new HsmUnavailableException("HSM pool '" + config.name() + "' closed"));
        for (Request r : new ArrayList<>(outstanding)) {
            boolean maybeSent = r.conn != null;
            finish(r, PoolMetrics.OUTCOME_UNAVAILABLE, null, new HsmUnavailableException(
                    "HSM pool '" + config.name() + "' closed"
                            + (maybeSent ? " while " + r.command + " was in flight (the HSM may have executed it)"
                                    : "; " + r.command + " not sent")));
        }
        List<Future<Void>> closing = new ArrayList<>();
        for (Slot slot : slots) {
            cancel(slot.reconnectTimer);
            slot.reconnectTimer = -1;
            Conn c = slot.conn;
            if (c != null) {
                c.dead = true;
                slot.conn = null;
                closing.add(c.socket.close());
            }
            setState(slot, ConnectionState.DOWN);
        }
        NetClient cl = client;
        Future.join(closing)
                .eventually(() -> cl != null ? cl.close() : Future.succeededFuture())
                .onComplete(ar -> {
                    metrics.close();
                    closePromise.tryComplete();
                });
    }

    private void cancel(long timerId) {
        if (timerId != -1) {
            vertx.cancelTimer(timerId);
        }
    }

    // ---------------------------------------------------------------- connections

    private void connect(Slot slot) {
        slot.reconnectTimer = -1;
        if (closed) {
            return;
        }
        setState(slot, ConnectionState.CONNECTING);
        client.connect(slot.host.port(), slot.host.host()).onComplete(ar -> {
            if (ar.failed()) {
                if (!closed) {
                    // warn once per outage, not on every retry of a host that stays down
                    if (slot.attempt == 0) {
                        log.warn("HSM connection {} failed to connect: {}", slot.label, ar.cause().toString());
                    } else {
                        log.debug("HSM connection {} failed to connect (attempt {}): {}", slot.label,
                                slot.attempt + 1, ar.cause().toString());
                    }
                    setState(slot, ConnectionState.DOWN);
                    scheduleReconnect(slot);
                }
                return;
            }
            NetSocket socket = ar.result();
            if (closed) {
                socket.close();
                return;
            }
            Conn conn = new Conn(slot, socket);
            slot.conn = conn;
            conn.frames = new ReplyFrames(headerLength, config.maxReplyFrameBytes(), new ReplyFrames.Sink() {
                @Override
                public void reply(Buffer frame) {
                    onFrame(conn, frame);
                }

                @Override
                public void oversized(Buffer header, int length) {
                    onOversized(conn, header, length);
                }

                @Override
                public void malformed(int length) {
                    if (conn.dead) return;
                    metrics.dropped(PoolMetrics.DROP_MALFORMED);
                    recycle(conn, "reply frame of " + length + " bytes too short for header and reply code");
                }
            });
            socket.handler(buf -> {
                if (!conn.dead) conn.frames.feed(buf);
            });
            socket.closeHandler(v -> connectionLost(conn, "closed"));
            socket.exceptionHandler(t -> connectionLost(conn, "socket error: " + t));
            if (config.probeOnConnect()) {
                probe(conn, true);
            } else {
                markUp(conn);
            }
        });
    }

    private void markUp(Conn conn) {
        Slot slot = conn.slot;
        if (conn.dead || slot.conn != conn) {
            return;
        }
        slot.attempt = 0;
        log.info("HSM connection {} up", slot.label);
        setState(slot, ConnectionState.UP);
        drainQueue();
    }

    private void scheduleReconnect(Slot slot) {
        if (closed || slot.reconnectTimer != -1) {
            return;
        }
        long delay = backoffMillis(slot.attempt++);
        log.debug("HSM connection {} reconnecting in {} ms", slot.label, delay);
        slot.reconnectTimer = ctx.setTimer(delay, t -> connect(slot));
    }

    /** Exponential backoff from the initial delay up to the max, minus up to {@code jitter} of it. */
    long backoffMillis(int attempt) {
        long initial = config.reconnectInitialBackoff().toMillis();
        long max = config.reconnectMaxBackoff().toMillis();
        long base = initial << Math.min(attempt, 20);
        if (base <= 0 || base > max) {
            base = max;
        }
        long jitter = (long) (base * config.reconnectJitter() * ThreadLocalRandom.current().nextDouble());
        return Math.max(1, base - jitter);
    }

    /**
     * The connection is gone (closed by the peer or by us, socket error, garbage, failed probe or
     * health check, too many timeouts). Requests whose bytes were written fail with {@link
     * HsmConnectionLostException} and are not retried; requests whose write is still pending are
     * settled by their write outcome in {@link #onWriteResult}: written → lost, not written → sent
     * again elsewhere. Idempotent.
     */
    private void connectionLost(Conn conn, String reason) {
        if (conn.dead) {
            return;
        }
        conn.dead = true;
        Slot slot = conn.slot;
        if (closed) {
            return;
        }
        log.warn("HSM connection {} lost: {} ({} requests in flight)", slot.label, reason,
                conn.inflight.size());
        conn.late.clear();
        if (conn.frames != null) {
            conn.frames.close();
        }
        conn.socket.close();
        // state first, so that whoever reacts to the failures below sees the connection down
        if (slot.conn == conn) {
            slot.conn = null;
            setState(slot, ConnectionState.DOWN);
            scheduleReconnect(slot);
        }
        for (Request r : new ArrayList<>(conn.inflight.values())) {
            if (r.written) {
                finish(r, PoolMetrics.OUTCOME_UNAVAILABLE, null, lost(conn, r, reason));
            }
        }
    }

    private HsmConnectionLostException lost(Conn conn, Request r, String reason) {
        return new HsmConnectionLostException("HSM command " + r.command
                + " was in flight on connection " + conn.slot.label + " when it was lost (" + reason
                + "); the HSM may have executed it, so it was not retried", conn.slot.label);
    }

    private void setState(Slot slot, ConnectionState s) {
        ConnectionState old = slot.state;
        if (old == s) {
            return;
        }
        gaugeFor(old).decrementAndGet();
        gaugeFor(s).incrementAndGet();
        slot.state = s;
        if (s == ConnectionState.UP) {
            if (upCount++ == 0) {
                log.info("HSM pool '{}' circuit closed: connection {} is up", config.name(), slot.label);
                cancel(startTimer);
                startTimer = -1;
                startPromise.tryComplete();
            }
        } else if (old == ConnectionState.UP) {
            if (--upCount == 0) {
                onCircuitOpen();
            }
        }
    }

    private java.util.concurrent.atomic.AtomicInteger gaugeFor(ConnectionState s) {
        return switch (s) {
            case UP -> metrics.up;
            case CONNECTING -> metrics.connecting;
            case DOWN -> metrics.down;
        };
    }

    private void onCircuitOpen() {
        if (!closed) {
            log.warn("HSM pool '{}' circuit open: no connection up; commands fail fast until one "
                    + "reconnects", config.name());
        }
        for (Request r : new ArrayList<>(waitQueue)) {
            finish(r, PoolMetrics.OUTCOME_UNAVAILABLE, null, new HsmUnavailableException(
                    "no HSM connection up (circuit open); " + r.command + " not sent"));
        }
    }

    // ---------------------------------------------------------------- health

    private void scheduleHealthCheck() {
        long ms = config.healthCheckInterval().toMillis();
        if (ms <= 0 || closed) {
            return;
        }
        healthTimer = ctx.setTimer(ms, t -> {
            healthTimer = -1;
            if (closed) {
                return;
            }
            for (Slot slot : slots) {
                Conn c = slot.conn;
                if (slot.state == ConnectionState.UP && c != null && !c.dead && !c.probing) {
                    probe(c, false);
                }
            }
            scheduleHealthCheck();
        });
    }

    /** Sends NC on {@code conn}; ND00 → healthy (and up, for a new connection), else recycle. */
    private void probe(Conn conn, boolean onConnect) {
        Request r = new Request(NC, "NC", true, Promise.promise());
        conn.probing = true;
        outstanding.add(r);
        r.timer = ctx.setTimer(requestTimeoutMs, t -> onTimeout(r));
        send(conn, r);
        r.promise.future().onComplete(ar -> {
            conn.probing = false;
            if (closed) {
                return;
            }
            boolean ok = ar.succeeded() && startsWith(ar.result(), HEALTHY);
            if (conn.dead) {
                return; // lost for another reason; already handled
            }
            metrics.health(ok);
            if (ok) {
                if (onConnect) {
                    markUp(conn);
                }
            } else {
                String what = onConnect ? "connect probe" : "health check";
                String why = ar.succeeded()
                        ? "reply " + replyPrefix(ar.result())
                        : ar.cause().getClass().getSimpleName();
                recycle(conn, what + " NC failed: " + why);
            }
        });
    }

    private void recycle(Conn conn, String reason) {
        connectionLost(conn, reason);
    }

    // ---------------------------------------------------------------- requests

    private void submit(Request req) {
        if (closed) {
            finish(req, PoolMetrics.OUTCOME_UNAVAILABLE, null, new HsmUnavailableException(
                    "HSM pool '" + config.name() + "' is closed; " + req.command + " not sent"));
            return;
        }
        outstanding.add(req);
        req.timer = ctx.setTimer(timeoutMs(req), t -> onTimeout(req));
        dispatch(req);
    }

    private void dispatch(Request req) {
        Conn c = pick();
        if (c != null) {
            send(c, req);
            return;
        }
        if (upCount == 0) {
            finish(req, PoolMetrics.OUTCOME_UNAVAILABLE, null, new HsmUnavailableException(
                    (started ? "no HSM connection up (circuit open); " : "HSM pool not started; ")
                            + req.command + " not sent"));
            return;
        }
        if (waitQueue.size() < config.maxWaitQueue()) {
            req.queued = true;
            waitQueue.addLast(req);
            metrics.queued.incrementAndGet();
            return;
        }
        finish(req, PoolMetrics.OUTCOME_UNAVAILABLE, null, new HsmUnavailableException(
                "HSM pool saturated: " + upCount + " connections up with "
                        + config.maxInFlightPerConnection() + " requests in flight each"
                        + (config.maxWaitQueue() > 0 ? " and " + config.maxWaitQueue() + " waiting" : "")
                        + "; " + req.command + " not sent"));
    }

    /** Least in-flight among up connections with room; round-robin start breaks ties. */
    private Conn pick() {
        int n = slots.size();
        Conn best = null;
        int start = roundRobin;
        roundRobin = (roundRobin + 1) % n;
        for (int i = 0; i < n; i++) {
            Slot s = slots.get((start + i) % n);
            Conn c = s.conn;
            if (s.state != ConnectionState.UP || c == null || c.dead) {
                continue;
            }
            int load = c.inflight.size();
            if (load >= config.maxInFlightPerConnection()) {
                continue;
            }
            if (best == null || load < best.inflight.size()) {
                best = c;
            }
        }
        return best;
    }

    private void send(Conn conn, Request req) {
        String header = conn.nextHeader();
        req.header = header;
        req.conn = conn;
        req.written = false;
        req.sends++;
        conn.inflight.put(header, req);
        if (!req.internal) {
            metrics.inflight.incrementAndGet();
        }
        Buffer frame = Buffer.buffer(2 + headerLength + req.payload.length)
                .appendUnsignedShort(headerLength + req.payload.length)
                .appendBytes(header.getBytes(StandardCharsets.US_ASCII))
                .appendBytes(req.payload);
        conn.socket.write(frame).onComplete(ar -> onWriteResult(conn, req, ar.succeeded(), ar.cause()));
    }

    private void onWriteResult(Conn conn, Request req, boolean ok, Throwable cause) {
        if (req.done || req.conn != conn) {
            return;
        }
        if (ok) {
            req.written = true;
            if (conn.dead) {
                finish(req, PoolMetrics.OUTCOME_UNAVAILABLE, null, lost(conn, req, "closed after write"));
            }
            return;
        }
        // the bytes never left this process: the HSM cannot have executed the command
        detach(req);
        connectionLost(conn, "write failed: " + cause);
        if (req.internal) {
            finish(req, PoolMetrics.OUTCOME_UNAVAILABLE, null,
                    new HsmUnavailableException("NC probe not sent"));
        } else if (req.sends >= MAX_SENDS || closed) {
            finish(req, PoolMetrics.OUTCOME_UNAVAILABLE, null, new HsmUnavailableException(
                    "writing " + req.command + " failed " + req.sends + " times; not sent"));
        } else {
            log.debug("HSM command {} not written on {}; sending it on another connection",
                    req.command, conn.slot.label);
            dispatch(req);
        }
    }

    /**
     * A reply longer than {@code maxReplyFrameBytes}: only the command it answers fails (its bytes
     * are skipped as they arrive, so the stream stays in step), and the connection with the other
     * commands in flight on it stays up. Before, one such reply (a sealed body a terminal made too
     * large) dropped the connection and failed every command on it.
     */
    private void onOversized(Conn conn, Buffer header, int length) {
        if (conn.dead) {
            return;
        }
        metrics.dropped(PoolMetrics.DROP_OVERSIZE);
        if (!isPoolHeader(header)) {
            recycle(conn, "oversized reply frame with a header this pool never sends (garbage on the connection)");
            return;
        }
        Request req = conn.inflight.get(header.toString(StandardCharsets.US_ASCII));
        if (req == null) {
            conn.late.remove(header.toString(StandardCharsets.US_ASCII));
            return;
        }
        conn.consecutiveTimeouts = 0;
        log.warn("HSM connection {}: reply to {} of {} bytes exceeds maxReplyFrameBytes {}; skipped, only that command fails",
                conn.slot.label, req.command, length, config.maxReplyFrameBytes());
        finish(req, PoolMetrics.OUTCOME_OVERSIZE, null, new HsmProtocolException(req.command,
                "reply of " + length + " bytes exceeds maxReplyFrameBytes " + config.maxReplyFrameBytes()));
    }

    private boolean isPoolHeader(Buffer frame) {
        for (int i = 0; i < headerLength; i++) {
            byte b = frame.getByte(i);
            if (!((b >= '0' && b <= '9') || (b >= 'A' && b <= 'Z'))) {
                return false;
            }
        }
        return true;
    }

    private void onFrame(Conn conn, Buffer body) {
        if (conn.dead) {
            return;
        }
        if (!isPoolHeader(body)) {
            // we only ever send base-36 headers and the HSM echoes them: the stream is corrupt
            metrics.dropped(PoolMetrics.DROP_MALFORMED);
            recycle(conn, "reply header is not one this pool sends (garbage on the connection)");
            return;
        }
        String header = body.getString(0, headerLength, "US-ASCII");
        Request req = conn.inflight.get(header);
        if (req == null) {
            boolean late = conn.late.remove(header) != null;
            metrics.dropped(late ? PoolMetrics.DROP_LATE : PoolMetrics.DROP_UNKNOWN_ID);
            log.debug("HSM connection {}: dropped {} reply with header {}", conn.slot.label,
                    late ? "late" : "unmatched", header);
            return;
        }
        conn.consecutiveTimeouts = 0;
        finish(req, PoolMetrics.OUTCOME_OK, body.getBytes(headerLength, body.length()), null);
    }

    /** RSA key generation (EI) takes seconds; every other command gets the request timeout. */
    private long timeoutMs(Request req) {
        return "EI".equals(req.command) ? keyGenerationTimeoutMs : requestTimeoutMs;
    }

    private void onTimeout(Request req) {
        req.timer = -1;
        if (req.done) {
            return;
        }
        if (req.queued) {
            finish(req, PoolMetrics.OUTCOME_UNAVAILABLE, null, new HsmUnavailableException(
                    "HSM pool saturated: no free connection within " + timeoutMs(req) + " ms; "
                            + req.command + " not sent"));
            return;
        }
        Conn conn = req.conn;
        String where = conn != null ? " on " + conn.slot.label : "";
        if (conn != null && !conn.dead) {
            conn.quarantine(req.header);
        }
        finish(req, PoolMetrics.OUTCOME_TIMEOUT, null, new HsmTimeoutException(
                "no HSM reply to " + req.command + " within " + timeoutMs(req) + " ms" + where));
        if (conn != null && !conn.dead
                && ++conn.consecutiveTimeouts >= config.breakerConsecutiveTimeouts()) {
            recycle(conn, conn.consecutiveTimeouts + " consecutive timeouts");
        }
    }

    /** Completes {@code req} exactly once with {@code reply} or {@code failure}. */
    private void finish(Request req, String outcome, byte[] reply, Throwable failure) {
        if (req.done) {
            return;
        }
        req.done = true;
        if (req.timer != -1) {
            vertx.cancelTimer(req.timer);
            req.timer = -1;
        }
        if (req.queued) {
            req.queued = false;
            waitQueue.remove(req);
            metrics.queued.decrementAndGet();
        }
        boolean freedSlot = req.conn != null && !req.conn.dead;
        detach(req);
        outstanding.remove(req);
        if (!req.internal) {
            metrics.request(req.command, outcome, System.nanoTime() - req.startNanos);
            if (reply != null) {
                String code = errorCode(reply);
                if (!"00".equals(code)) {
                    metrics.error(req.command, code);
                }
            }
        }
        if (failure != null) {
            req.promise.tryFail(failure);
        } else {
            req.promise.tryComplete(reply);
        }
        if (freedSlot) {
            drainQueue();
        }
    }

    private void detach(Request req) {
        Conn c = req.conn;
        if (c == null) {
            return;
        }
        c.inflight.remove(req.header, req);
        req.conn = null;
        if (!req.internal) {
            metrics.inflight.decrementAndGet();
        }
    }

    private void drainQueue() {
        if (draining) {
            return;
        }
        draining = true;
        try {
            while (!waitQueue.isEmpty() && !closed) {
                Conn c = pick();
                if (c == null) {
                    return;
                }
                Request r = waitQueue.pollFirst();
                r.queued = false;
                metrics.queued.decrementAndGet();
                send(c, r);
            }
        } finally {
            draining = false;
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Metric tag for the command: its 2-char code, or "invalid" (keeps cardinality bounded). */
    static String commandTag(byte[] payload) {
        if (payload.length >= 2 && isCodeChar(payload[0]) && isCodeChar(payload[1])) {
            return new String(payload, 0, 2, StandardCharsets.US_ASCII);
        }
        return "invalid";
    }

    /** The 2-digit error code after the 2-char reply code, or "invalid". */
    static String errorCode(byte[] reply) {
        if (reply.length >= 4 && isDigit(reply[2]) && isDigit(reply[3])) {
            return new String(reply, 2, 2, StandardCharsets.US_ASCII);
        }
        return "invalid";
    }

    private static boolean isCodeChar(byte b) {
        return (b >= 'A' && b <= 'Z') || isDigit(b);
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static boolean startsWith(byte[] a, byte[] prefix) {
        if (a.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (a[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Reply code and error code only (never further bytes), for logs. */
    private static String replyPrefix(byte[] reply) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(4, reply.length); i++) {
            byte b = reply[i];
            sb.append(isCodeChar(b) ? (char) b : '?');
        }
        return sb.toString();
    }

    String encodeHeader(long id) {
        String digits = Long.toString(id, 36).toUpperCase(Locale.ROOT);
        StringBuilder sb = new StringBuilder(headerLength);
        for (int i = digits.length(); i < headerLength; i++) {
            sb.append('0');
        }
        return sb.append(digits).toString();
    }

    // ---------------------------------------------------------------- inner types

    private final class Slot {
        final HsmPoolConfig.Host host;
        final String label;
        ConnectionState state = ConnectionState.DOWN;
        Conn conn;
        int attempt;
        long reconnectTimer = -1;

        Slot(HsmPoolConfig.Host host, int index) {
            this.host = host;
            this.label = host + "#" + index;
        }
    }

    /** One TCP connection (an incarnation of a slot). */
    private final class Conn {
        final Slot slot;
        final NetSocket socket;
        final Map<String, Request> inflight = new HashMap<>();
        /** Headers of requests that timed out, kept until expiry so late replies are recognised. */
        final LinkedHashMap<String, Long> late = new LinkedHashMap<>();
        ReplyFrames frames;
        long nextId;
        boolean dead;
        boolean probing;
        int consecutiveTimeouts;

        Conn(Slot slot, NetSocket socket) {
            this.slot = slot;
            this.socket = socket;
        }

        /** Next counter value (base 36, zero-padded) not in flight and not quarantined. */
        String nextHeader() {
            for (long i = 0; i < idSpace; i++) {
                long v = nextId;
                nextId = (v + 1) % idSpace;
                String h = encodeHeader(v);
                if (!inflight.containsKey(h) && !late.containsKey(h)) {
                    return h;
                }
            }
            throw new IllegalStateException("no free correlation id"); // excluded by config validation
        }

        void quarantine(String header) {
            long now = System.nanoTime();
            Iterator<Map.Entry<String, Long>> it = late.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<String, Long> e = it.next();
                if (e.getValue() - now > 0 && late.size() < lateCapacity) {
                    break;
                }
                it.remove();
            }
            if (lateCapacity > 0) {
                late.put(header, now + lateWindowNanos);
            }
        }
    }

    private static final class Request {
        final byte[] payload;
        final String command;
        final boolean internal;
        final long startNanos = System.nanoTime();
        /** Completed on the pool's context; its listeners run on the context it was made from. */
        final Promise<byte[]> promise;
        long timer = -1;
        Conn conn;
        String header;
        boolean written;
        boolean done;
        boolean queued;
        int sends;

        Request(byte[] payload, String command, boolean internal, Promise<byte[]> promise) {
            this.payload = payload;
            this.command = command;
            this.internal = internal;
            this.promise = promise;
        }
    }
}
