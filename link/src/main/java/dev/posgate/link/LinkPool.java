package dev.posgate.link;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Persistent, pipelined connections to one or more hosts: picks the least-loaded connection that is
 * up, queues (boundedly) when all are full, times requests out, reconnects with exponential
 * {@link Backoff}, probes health, recycles a connection whose {@link CircuitBreaker} trips, fails
 * fast while no connection is up, and reports through {@link LinkMetrics}.
 *
 * <p>Threading: all state lives on one event-loop context created for the pool (not the caller's
 * verticle's: its undeploy must not kill the pool), so no locks are used. {@link #request},
 * {@link #start} and {@link #close} may be called from any thread. <b>Every returned future completes
 * on the caller's context</b> (the one current when the method was called, as vertx-sql-client's pool
 * does): a session's chain goes on running on its own event loop.
 *
 * <p>A request whose bytes were written on a connection that is then lost fails with
 * {@link LinkFailures#connectionLost} and is not retried (the peer may have executed it); one whose
 * write failed is sent again on another connection (at most {@value #MAX_SENDS} times).
 */
public final class LinkPool<Req, Rep> {
    private static final Logger log = LoggerFactory.getLogger(LinkPool.class);
    /** A request whose write failed this many times is failed instead of sent again. */
    private static final int MAX_SENDS = 3;

    private final VertxInternal vertx;
    private final ContextInternal ctx;
    private final LinkPoolOptions options;
    private final LinkProtocol<Req, Rep> protocol;
    private final LinkSlots<Req, Rep> slots;
    private LinkFailures<Req> failures = LinkFailures.generic();
    private LinkMetrics<Req, Rep> metrics = new LinkMetrics<>() {};
    private HealthProbe<Req, Rep> probe;
    private Ticker ticker;

    // ---- state confined to ctx ----
    private final ArrayDeque<LinkRequest<Req, Rep>> waitQueue = new ArrayDeque<>();
    private final Set<LinkRequest<Req, Rep>> outstanding = Collections.newSetFromMap(new IdentityHashMap<>());
    private NetClient client;
    private boolean started;
    private boolean closed;
    private int firstAttemptsPending;
    private boolean draining;
    private Ticker.Timer healthTimer;

    private final AtomicInteger pending = new AtomicInteger();
    private final Promise<Void> startPromise = Promise.promise();
    private final Promise<Void> closePromise = Promise.promise();

    public LinkPool(Vertx vertx, LinkPoolOptions options, LinkProtocol<Req, Rep> protocol) {
        this.vertx = (VertxInternal) Objects.requireNonNull(vertx, "vertx");
        this.options = Objects.requireNonNull(options, "options");
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        if (options.hosts().isEmpty()) throw new IllegalArgumentException("a link needs at least one host");
        this.ctx = this.vertx.createEventLoopContext();
        this.ticker = Ticker.of(vertx);
        this.slots = new LinkSlots<>(options.hosts(), options.connectionsPerHost(), options.maxInFlightPerConnection());
    }

    /** The exceptions requests fail with (default {@link LinkFailures#generic()}); before {@link #start}. */
    public LinkPool<Req, Rep> failures(LinkFailures<Req> f) {
        this.failures = Objects.requireNonNull(f);
        return this;
    }

    public LinkPool<Req, Rep> metrics(LinkMetrics<Req, Rep> m) {
        this.metrics = Objects.requireNonNull(m);
        return this;
    }

    /** The probe of {@link LinkPoolOptions#probeOnConnect} and the periodic health check. */
    public LinkPool<Req, Rep> healthProbe(HealthProbe<Req, Rep> p) {
        this.probe = p;
        return this;
    }

    /** Time source and timers (default: the machine's, through Vert.x timers). */
    public LinkPool<Req, Rep> ticker(Ticker t) {
        this.ticker = Objects.requireNonNull(t);
        return this;
    }

    public LinkPoolOptions options() {
        return options;
    }

    /** Connections up (thread-safe snapshot). */
    public int connectionsUp() {
        return slots.upSnapshot();
    }

    /** Requests accepted and not yet completed (thread-safe snapshot). */
    public int outstanding() {
        return pending.get();
    }

    /**
     * Connects every slot. Succeeds as soon as one connection is up (with {@code probeOnConnect}: and
     * answered the probe healthy); fails once every slot's first attempt has failed, but the pool keeps
     * reconnecting in the background until {@link #close()}. Idempotent.
     */
    public Future<Void> start() {
        Promise<Void> caller = callerPromise();
        ctx.runOnContext(v -> doStart());
        startPromise.future().onComplete(caller);
        return caller.future();
    }

    /** Sends {@code request}; fails it if no reply arrives within {@code timeout}. */
    public Future<Rep> request(Req request, Duration timeout) {
        Promise<Rep> promise = callerPromise();
        LinkRequest<Req, Rep> req = new LinkRequest<>(request, protocol.describe(request), false, timeout,
                ticker.nanos(), promise);
        pending.incrementAndGet();
        // always hop (even when already on the context): caller callbacks never re-enter pool code
        ctx.runOnContext(v -> submit(req));
        return promise.future();
    }

    /** Fails what is outstanding, closes the connections and stops reconnecting. */
    public Future<Void> close() {
        Promise<Void> caller = callerPromise();
        ctx.runOnContext(v -> doClose());
        closePromise.future().onComplete(caller);
        return caller.future();
    }

    /** A promise whose listeners run on the calling thread's context. */
    private <T> Promise<T> callerPromise() {
        return vertx.getOrCreateContext().promise();
    }

    // ---------------------------------------------------------------- lifecycle

    private void doStart() {
        if (closed) {
            startPromise.tryFail(failures.unavailable(options.name() + " is closed"));
            return;
        }
        if (started) return;
        started = true;
        NetClientOptions o = options.netClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis()))
                .setTcpNoDelay(true)
                .setTcpKeepAlive(true);
        client = vertx.createNetClient(o);
        firstAttemptsPending = slots.size();
        log.info("{} starting: {} hosts x {} connections", options.name(), options.hosts().size(),
                options.connectionsPerHost());
        slots.forEach(this::connect);
        scheduleHealthCheck();
    }

    private void doClose() {
        if (closed) return;
        closed = true;
        log.info("{} closing ({} requests outstanding)", options.name(), outstanding.size());
        if (healthTimer != null) healthTimer.cancel();
        startPromise.tryFail(failures.unavailable(options.name() + " closed"));
        for (LinkRequest<Req, Rep> r : new ArrayList<>(outstanding)) {
            boolean maybeSent = r.conn != null;
            finish(r, LinkMetrics.Outcome.UNAVAILABLE, null, failures.unavailable(options.name() + " closed"
                    + (maybeSent ? " while " + r.description + " was in flight (the peer may have executed it)"
                            : "; " + r.description + " not sent")));
        }
        List<Future<Void>> closing = new ArrayList<>();
        for (LinkSlot<Req, Rep> slot : slots) {
            if (slot.reconnectTimer != null) slot.reconnectTimer.cancel();
            LinkConnection<Req, Rep> c = slot.conn;
            if (c != null) {
                slot.conn = null;
                c.dead = true;
                closing.add(c.socket.close());
            }
            setState(slot, LinkMetrics.State.DOWN);
        }
        NetClient cl = client;
        Future.join(closing)
                .eventually(() -> cl != null ? cl.close() : Future.succeededFuture())
                .onComplete(ar -> closePromise.tryComplete());
    }

    // ---------------------------------------------------------------- connections

    private void connect(LinkSlot<Req, Rep> slot) {
        slot.reconnectTimer = null;
        if (closed) return;
        setState(slot, LinkMetrics.State.CONNECTING);
        client.connect(slot.host.port(), slot.host.host()).onComplete(ar -> {
            if (ar.failed()) {
                if (closed) return;
                // warn once per outage, not on every retry of a host that stays down
                if (slot.attempt == 0) {
                    log.warn("{} connection {} failed to connect: {}", options.name(), slot.label, ar.cause().toString());
                } else {
                    log.debug("{} connection {} failed to connect (attempt {}): {}", options.name(), slot.label,
                            slot.attempt + 1, ar.cause().toString());
                }
                setState(slot, LinkMetrics.State.DOWN);
                firstAttemptSettled(slot);
                scheduleReconnect(slot);
                return;
            }
            NetSocket socket = ar.result();
            if (closed) {
                socket.close();
                return;
            }
            LinkConnection<Req, Rep> conn = new LinkConnection<>(slot.label, socket, protocol, options, ticker, events);
            slot.conn = conn;
            if (options.probeOnConnect() && probe != null) {
                probe(conn, slot, true);
            } else {
                markUp(conn, slot);
            }
        });
    }

    private void markUp(LinkConnection<Req, Rep> conn, LinkSlot<Req, Rep> slot) {
        if (conn.dead || slot.conn != conn) return;
        slot.attempt = 0;
        log.info("{} connection {} up", options.name(), slot.label);
        setState(slot, LinkMetrics.State.UP);
        firstAttemptSettled(slot);
        drainQueue();
    }

    /** Start fails when every slot's first attempt failed; it succeeded already if one came up. */
    private void firstAttemptSettled(LinkSlot<Req, Rep> slot) {
        if (slot.firstAttemptSettled) return;
        slot.firstAttemptSettled = true;
        if (--firstAttemptsPending == 0 && slots.up() == 0) {
            startPromise.tryFail(failures.unavailable("no connection up to " + options.hosts()
                    + " after a first attempt each; " + options.name() + " keeps retrying"));
        }
    }

    private void scheduleReconnect(LinkSlot<Req, Rep> slot) {
        if (closed || slot.reconnectTimer != null) return;
        Duration delay = options.backoff().delay(slot.attempt++);
        log.debug("{} connection {} reconnecting in {} ms", options.name(), slot.label, delay.toMillis());
        slot.reconnectTimer = ticker.schedule(delay, () -> connect(slot));
    }

    /** The connection is gone; see the class comment for what happens to its requests. Idempotent. */
    private void connectionLost(LinkConnection<Req, Rep> conn, String reason) {
        if (conn.dead) return;
        List<LinkRequest<Req, Rep>> inflight = conn.close();
        if (closed) return;
        log.warn("{} connection {} lost: {} ({} requests in flight)", options.name(), conn.label, reason, inflight.size());
        LinkSlot<Req, Rep> slot = slots.slotOf(conn);
        // state first, so that whoever reacts to the failures below sees the connection down
        if (slot != null) {
            slot.conn = null;
            setState(slot, LinkMetrics.State.DOWN);
            firstAttemptSettled(slot);
            scheduleReconnect(slot);
        }
        for (LinkRequest<Req, Rep> r : inflight) {
            if (r.written) {
                finish(r, LinkMetrics.Outcome.UNAVAILABLE, null, lost(conn, r, reason));
            }
        }
    }

    private Throwable lost(LinkConnection<Req, Rep> conn, LinkRequest<Req, Rep> r, String reason) {
        return failures.connectionLost(r.description + " was in flight on connection " + conn.label
                + " when it was lost (" + reason + "); the peer may have executed it, so it was not retried", conn.label);
    }

    private void setState(LinkSlot<Req, Rep> slot, LinkMetrics.State s) {
        LinkMetrics.State old = slot.state;
        if (old == s) return;
        int circuit = slots.setState(slot, s);
        metrics.state(old, s);
        if (circuit > 0) {
            log.info("{} circuit closed: connection {} is up", options.name(), slot.label);
            startPromise.tryComplete();
        } else if (circuit < 0) {
            onCircuitOpen();
        }
    }

    private void onCircuitOpen() {
        if (!closed) {
            log.warn("{} circuit open: no connection up; requests fail fast until one reconnects", options.name());
        }
        for (LinkRequest<Req, Rep> r : new ArrayList<>(waitQueue)) {
            finish(r, LinkMetrics.Outcome.UNAVAILABLE, null, failures.unavailable(
                    "no connection up (circuit open); " + r.description + " not sent"));
        }
    }

    // ---------------------------------------------------------------- health

    private void scheduleHealthCheck() {
        Duration every = options.healthCheckInterval();
        if (probe == null || every.isZero() || every.isNegative() || closed) return;
        healthTimer = ticker.schedule(every, () -> {
            healthTimer = null;
            if (closed) return;
            for (LinkSlot<Req, Rep> slot : slots) {
                LinkConnection<Req, Rep> c = slot.usable();
                if (c != null && !c.probing) {
                    probe(c, slot, false);
                }
            }
            scheduleHealthCheck();
        });
    }

    /** Sends the probe on {@code conn}; healthy → up (for a new connection), else recycle. */
    private void probe(LinkConnection<Req, Rep> conn, LinkSlot<Req, Rep> slot, boolean onConnect) {
        Req value = probe.request();
        LinkRequest<Req, Rep> r = new LinkRequest<>(value, protocol.describe(value), true, options.probeTimeout(),
                ticker.nanos(), ctx.promise());
        conn.probing = true;
        outstanding.add(r);
        r.timer = ticker.schedule(r.timeout, () -> onTimeout(r));
        conn.write(r);
        r.promise.future().onComplete(ar -> {
            conn.probing = false;
            if (closed || conn.dead) return; // lost for another reason: already handled
            boolean ok = ar.succeeded() && probe.healthy(ar.result());
            metrics.health(ok);
            if (ok) {
                if (onConnect) markUp(conn, slot);
            } else {
                String why = ar.succeeded() ? probe.describe(ar.result()) : ar.cause().getClass().getSimpleName();
                connectionLost(conn, (onConnect ? "connect probe" : "health check") + " failed: " + why);
            }
        });
    }

    // ---------------------------------------------------------------- requests

    private void submit(LinkRequest<Req, Rep> req) {
        if (closed) {
            finish(req, LinkMetrics.Outcome.UNAVAILABLE, null,
                    failures.unavailable(options.name() + " is closed; " + req.description + " not sent"));
            return;
        }
        outstanding.add(req);
        String own = protocol.correlationId(req.value);
        if (own != null && inFlightAnywhere(own)) {
            finish(req, LinkMetrics.Outcome.UNAVAILABLE, null, new IllegalStateException(
                    "a request with id " + own + " is already in flight; " + req.description + " not sent"));
            return;
        }
        req.timer = ticker.schedule(req.timeout, () -> onTimeout(req));
        dispatch(req);
    }

    private boolean inFlightAnywhere(String id) {
        if (slots.inFlight(id) != null) return true;
        for (LinkRequest<Req, Rep> q : waitQueue) {
            if (id.equals(protocol.correlationId(q.value))) return true;
        }
        return false;
    }

    private void dispatch(LinkRequest<Req, Rep> req) {
        LinkConnection<Req, Rep> c = slots.pick();
        if (c != null) {
            send(c, req);
            return;
        }
        if (slots.up() == 0) {
            finish(req, LinkMetrics.Outcome.UNAVAILABLE, null, failures.unavailable(
                    (started ? "no connection up (circuit open); " : options.name() + " not started; ")
                            + req.description + " not sent"));
            return;
        }
        if (waitQueue.size() < options.maxWaitQueue()) {
            req.queued = true;
            waitQueue.addLast(req);
            metrics.queued(1);
            return;
        }
        finish(req, LinkMetrics.Outcome.UNAVAILABLE, null, failures.unavailable(
                options.name() + " saturated: " + slots.up() + " connections up with "
                        + options.maxInFlightPerConnection() + " requests in flight each"
                        + (options.maxWaitQueue() > 0 ? " and " + options.maxWaitQueue() + " waiting" : "")
                        + "; " + req.description + " not sent"));
    }

    private void send(LinkConnection<Req, Rep> conn, LinkRequest<Req, Rep> req) {
        if (!req.internal) metrics.inflight(1);
        conn.write(req);
    }

    private void onWritten(LinkConnection<Req, Rep> conn, LinkRequest<Req, Rep> req, Throwable failure) {
        if (req.done || req.conn != conn) return;
        if (failure == null) {
            req.written = true;
            if (conn.dead) finish(req, LinkMetrics.Outcome.UNAVAILABLE, null, lost(conn, req, "closed after write"));
            return;
        }
        // the bytes never left this process: the peer cannot have executed the request
        detach(req);
        connectionLost(conn, "write failed: " + failure);
        if (req.internal || req.sends >= MAX_SENDS || closed) {
            finish(req, LinkMetrics.Outcome.UNAVAILABLE, null, failures.unavailable(
                    "writing " + req.description + " failed " + req.sends + " times; not sent"));
        } else {
            log.debug("{}: {} not written on {}; sending it on another connection", options.name(),
                    req.description, conn.label);
            dispatch(req);
        }
    }

    private void onReply(LinkConnection<Req, Rep> conn, LinkProtocol.Reply<Rep> reply) {
        LinkRequest<Req, Rep> req = conn.inflight.get(reply.id());
        if (req == null && protocol.repliesOnAnyConnection()) {
            req = slots.inFlight(reply.id());
        }
        if (req == null) {
            boolean late = conn.wasLate(reply.id());
            metrics.dropped(late ? LinkMetrics.Drop.LATE : LinkMetrics.Drop.UNKNOWN_ID);
            log.debug("{} connection {}: dropped {} reply {}", options.name(), conn.label, late ? "late" : "unmatched", reply.id());
            return;
        }
        req.conn.breaker.success();
        finish(req, LinkMetrics.Outcome.OK, reply.value(), null);
    }

    /** A reply over the protocol's maximum: only the request it answers fails; the stream stays in step. */
    private void onOversized(LinkConnection<Req, Rep> conn, byte[] prefix, int length) {
        metrics.dropped(LinkMetrics.Drop.OVERSIZE);
        String id;
        try {
            id = protocol.oversizedId(prefix);
        } catch (LinkProtocolException e) {
            connectionLost(conn, "oversized reply frame without a usable id (garbage on the connection)");
            return;
        }
        LinkRequest<Req, Rep> req = conn.inflight.get(id);
        if (req == null) {
            conn.wasLate(id);
            return;
        }
        conn.breaker.success();
        log.warn("{} connection {}: reply to {} of {} bytes exceeds the maximum {}; skipped, only that request fails",
                options.name(), conn.label, req.description, length, protocol.maxReplyLength());
        finish(req, LinkMetrics.Outcome.OVERSIZE, null, failures.oversized(req.value, length, protocol.maxReplyLength()));
    }

    private void onMalformed(LinkConnection<Req, Rep> conn, String why) {
        if (conn.dead) return;
        metrics.dropped(LinkMetrics.Drop.MALFORMED);
        connectionLost(conn, why);
    }

    private void onTimeout(LinkRequest<Req, Rep> req) {
        req.timer = null;
        if (req.done) return;
        long ms = req.timeout.toMillis();
        if (req.queued) {
            finish(req, LinkMetrics.Outcome.UNAVAILABLE, null, failures.unavailable(options.name()
                    + " saturated: no free connection within " + ms + " ms; " + req.description + " not sent"));
            return;
        }
        LinkConnection<Req, Rep> conn = req.conn;
        String where = conn != null ? " on " + conn.label : "";
        boolean trip = conn != null && !conn.dead && conn.timedOut(req.id);
        finish(req, LinkMetrics.Outcome.TIMEOUT, null, failures.timeout(
                "no reply to " + req.description + " within " + ms + " ms" + where));
        if (trip && !conn.dead) {
            connectionLost(conn, conn.breaker.consecutiveFailures() + " consecutive timeouts");
        }
    }

    /** Completes {@code req} exactly once with {@code reply} or {@code failure}. */
    private void finish(LinkRequest<Req, Rep> req, LinkMetrics.Outcome outcome, Rep reply, Throwable failure) {
        if (req.done) return;
        req.done = true;
        if (req.timer != null) {
            req.timer.cancel();
            req.timer = null;
        }
        if (req.queued) {
            req.queued = false;
            waitQueue.remove(req);
            metrics.queued(-1);
        }
        boolean freedSlot = req.conn != null && !req.conn.dead;
        detach(req);
        outstanding.remove(req);
        if (!req.internal) {
            pending.decrementAndGet();
            metrics.completed(req.value, outcome, reply, ticker.nanos() - req.startNanos);
        }
        if (failure != null) {
            req.promise.tryFail(failure);
        } else {
            req.promise.tryComplete(reply);
        }
        if (freedSlot) drainQueue();
    }

    private void detach(LinkRequest<Req, Rep> req) {
        LinkConnection<Req, Rep> c = req.conn;
        if (c == null) return;
        c.detach(req);
        if (!req.internal) metrics.inflight(-1);
    }

    private void drainQueue() {
        if (draining) return;
        draining = true;
        try {
            while (!waitQueue.isEmpty() && !closed) {
                LinkConnection<Req, Rep> c = slots.pick();
                if (c == null) return;
                LinkRequest<Req, Rep> r = waitQueue.pollFirst();
                r.queued = false;
                metrics.queued(-1);
                send(c, r);
            }
        } finally {
            draining = false;
        }
    }

    private final LinkConnection.Events<Req, Rep> events = new LinkConnection.Events<>() {
        @Override
        public void reply(LinkConnection<Req, Rep> conn, LinkProtocol.Reply<Rep> reply) {
            onReply(conn, reply);
        }

        @Override
        public void oversized(LinkConnection<Req, Rep> conn, byte[] prefix, int length) {
            onOversized(conn, prefix, length);
        }

        @Override
        public void malformed(LinkConnection<Req, Rep> conn, String why) {
            onMalformed(conn, why);
        }

        @Override
        public void lost(LinkConnection<Req, Rep> conn, String why) {
            connectionLost(conn, why);
        }

        @Override
        public void written(LinkConnection<Req, Rep> conn, LinkRequest<Req, Rep> req, Throwable failure) {
            onWritten(conn, req, failure);
        }
    };
}
