package dev.posgate.link;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
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
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Persistent, pipelined connections to one or more hosts: picks the least-loaded connection that is
 * up, queues (boundedly) when all are full, times requests out, reconnects with exponential
 * {@link Backoff}, probes health, recycles a connection whose {@link CircuitBreaker} trips, fails
 * fast while no connection is up, and reports through {@link LinkMetrics}.
 *
 * <p>Threading: the connections are split into <em>partitions</em>, each confined to one event-loop
 * context created for the pool (not a caller's verticle's: its undeploy must not kill the pool), so
 * no locks are used inside a partition. With {@link LinkPoolOptions#perEventLoop} there is one
 * partition per Vert.x event loop (as many as there are connections per host allow), otherwise one.
 * A request made on an event loop that has a partition with room is handled there at once: written
 * on that loop's connection, its reply read and its future completed on the same thread, with no
 * hand-off to another thread. Other callers (another loop whose partition is full or has no
 * connection up, a worker, a foreign thread) hand the request to a partition with room. Across
 * partitions only atomics are shared: connections up (fail fast when none is), the wait queue's
 * size (one bound for the pool), requests outstanding.
 *
 * <p>{@link #request}, {@link #start} and {@link #close} may be called from any thread. <b>Every
 * returned future completes on the caller's context</b> (the one current when the method was
 * called, as vertx-sql-client's pool does): a session's chain goes on running on its own event loop.
 *
 * <p>A request whose bytes were written on a connection that is then lost fails with
 * {@link LinkFailures#connectionLost} and is not retried (the peer may have executed it); one whose
 * write failed is sent again on another connection (at most {@value #MAX_SENDS} times).
 */
public final class LinkPool<Req, Rep> {
    private static final Logger log = LoggerFactory.getLogger(LinkPool.class);
    /** A request whose write failed this many times is failed instead of sent again. */
    private static final int MAX_SENDS = 3;
    /**
     * Requests per connection a caller's own loop may carry beyond the least-loaded other loop's
     * before its requests go there instead (see {@link #choose}).
     */
    static final int SPILL = 4;

    private final VertxInternal vertx;
    private final LinkPoolOptions options;
    private final LinkProtocol<Req, Rep> protocol;
    private final List<Partition> partitions;
    /** The partition of each event loop that has one. */
    private final Map<EventLoop, Partition> byLoop = new IdentityHashMap<>();
    private LinkFailures<Req> failures = LinkFailures.generic();
    private LinkMetrics<Req, Rep> metrics = new LinkMetrics<>() {};
    private HealthProbe<Req, Rep> probe;
    private Ticker ticker;
    private Consumer<NetSocket> connected = socket -> {};

    // ---- shared between partitions: atomics and volatiles only ----
    private final AtomicInteger up = new AtomicInteger();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicInteger firstAttemptsPending = new AtomicInteger();
    private final AtomicInteger roundRobin = new AtomicInteger();
    /**
     * Requests that carry their own id ({@link LinkProtocol#correlationId}), by id, from submit to
     * finish, whichever partition holds them: a twin is refused link-wide, and a reply arriving on
     * another partition's connection ({@link LinkProtocol#repliesOnAnyConnection}) is handed to the
     * partition that holds its request.
     */
    private final Map<String, LinkRequest<Req, Rep>> ownIds = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicBoolean startCalled = new AtomicBoolean();
    private final AtomicBoolean closeCalled = new AtomicBoolean();
    private volatile boolean started;
    private volatile boolean closed;
    /** Created by the first partition's context in {@link #start}, published to the others by their task queues. */
    private volatile NetClient client;

    private final Promise<Void> startPromise = Promise.promise();
    private final Promise<Void> closePromise = Promise.promise();

    public LinkPool(Vertx vertx, LinkPoolOptions options, LinkProtocol<Req, Rep> protocol) {
        this.vertx = (VertxInternal) Objects.requireNonNull(vertx, "vertx");
        this.options = Objects.requireNonNull(options, "options");
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        if (options.hosts().isEmpty()) throw new IllegalArgumentException("a link needs at least one host");
        this.ticker = Ticker.of(vertx);
        List<Partition> ps = new ArrayList<>();
        if (options.perEventLoop()) {
            List<EventLoop> loops = new ArrayList<>();
            for (EventExecutor e : this.vertx.nettyEventLoopGroup()) {
                loops.add((EventLoop) e);
            }
            int n = Math.max(1, Math.min(loops.size(), options.connectionsPerHost()));
            for (int i = 0; i < n; i++) {
                ContextInternal c = this.vertx.contextBuilder().withThreadingModel(ThreadingModel.EVENT_LOOP)
                        .withEventLoop(loops.get(i)).build();
                Partition p = new Partition(i, c, new LinkSlots<>(options.hosts(), options.connectionsPerHost(),
                        options.maxInFlightPerConnection(), i, n));
                ps.add(p);
                byLoop.put(loops.get(i), p);
            }
        } else {
            ContextInternal c = this.vertx.createEventLoopContext();
            Partition p = new Partition(0, c, new LinkSlots<>(options.hosts(), options.connectionsPerHost(),
                    options.maxInFlightPerConnection(), 0, 1));
            ps.add(p);
            byLoop.put(c.nettyEventLoop(), p);
        }
        this.partitions = List.copyOf(ps);
        int slotCount = 0;
        for (Partition p : partitions) slotCount += p.slots.size();
        firstAttemptsPending.set(slotCount);
    }

    /** The exceptions requests fail with (default {@link LinkFailures#generic()}); before {@link #start}. */
    public LinkPool<Req, Rep> failures(LinkFailures<Req> f) {
        this.failures = Objects.requireNonNull(f);
        return this;
    }

    /** Called on every partition's context: an implementation must be thread-safe. */
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

    /** Tests: sees each new connection's socket, on its event loop, before a request is written on it. */
    LinkPool<Req, Rep> onConnected(Consumer<NetSocket> observer) {
        this.connected = Objects.requireNonNull(observer);
        return this;
    }

    public LinkPoolOptions options() {
        return options;
    }

    /** Connections up (thread-safe snapshot). */
    public int connectionsUp() {
        return up.get();
    }

    /** Requests accepted and not yet completed (thread-safe snapshot). */
    public int outstanding() {
        return pending.get();
    }

    /** Partitions (one per event loop that has connections, or one), for tests and logs. */
    public int partitions() {
        return partitions.size();
    }

    /**
     * Connects every slot. Succeeds as soon as one connection is up (with {@code probeOnConnect}: and
     * answered the probe healthy); fails once every slot's first attempt has failed, but the pool keeps
     * reconnecting in the background until {@link #close()}. Idempotent.
     */
    public Future<Void> start() {
        Promise<Void> caller = callerPromise();
        if (startCalled.compareAndSet(false, true)) {
            Partition first = partitions.get(0);
            first.ctx.runOnContext(v -> {
                if (closed) {
                    startPromise.tryFail(failures.unavailable(options.name() + " is closed"));
                    return;
                }
                NetClientOptions o = options.netClientOptions()
                        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis()))
                        .setTcpNoDelay(true)
                        .setTcpKeepAlive(true);
                client = vertx.createNetClient(o);
                started = true;
                log.info("{} starting: {} hosts x {} connections{}", options.name(), options.hosts().size(),
                        options.connectionsPerHost(), partitions.size() > 1
                                ? ", spread over " + partitions.size() + " event loops" : "");
                for (Partition p : partitions) {
                    if (p == first) p.doStart();
                    else p.ctx.runOnContext(x -> p.doStart());
                }
            });
        }
        startPromise.future().onComplete(caller);
        return caller.future();
    }

    /** Sends {@code request}; fails it if no reply arrives within {@code timeout}. */
    public Future<Rep> request(Req request, Duration timeout) {
        ContextInternal caller = vertx.getOrCreateContext();
        Promise<Rep> promise = caller.promise();
        LinkRequest<Req, Rep> req = new LinkRequest<>(request, protocol.describe(request), false, timeout,
                ticker.nanos(), promise, caller);
        pending.incrementAndGet();
        Partition p = choose(ContextInternal.current());
        p.load.incrementAndGet();
        if (p.ctx.inThread() && !p.busy) {
            // the caller's own event loop: no hand-off. Re-entered from a completion that
            // runs inside pool code (busy), the request goes through the task queue instead,
            // so a caller retrying at once on failure cannot recurse without bound.
            p.busy = true;
            try {
                p.ctx.dispatch(req, p::submit);
            } finally {
                p.busy = false;
            }
        } else {
            p.ctx.runOnContext(v -> p.submit(req));
        }
        return promise.future();
    }

    /** Fails what is outstanding, closes the connections and stops reconnecting. */
    public Future<Void> close() {
        Promise<Void> caller = callerPromise();
        if (closeCalled.compareAndSet(false, true)) {
            closed = true;
            startPromise.tryFail(failures.unavailable(options.name() + " closed"));
            List<Future<Void>> each = new ArrayList<>();
            for (Partition p : partitions) {
                Promise<Void> done = Promise.promise();
                p.ctx.runOnContext(v -> p.doClose().onComplete(done));
                each.add(done.future());
            }
            Future.join(each)
                    .eventually(() -> client != null ? client.close() : Future.succeededFuture())
                    .onComplete(ar -> closePromise.tryComplete());
        }
        closePromise.future().onComplete(caller);
        return caller.future();
    }

    /** A promise whose listeners run on the calling thread's context. */
    private <T> Promise<T> callerPromise() {
        return vertx.getOrCreateContext().promise();
    }

    /**
     * The caller's own loop's partition, unless it is full or carries more than {@link #SPILL} requests
     * per connection more than the least-loaded other one (an HSM works through one connection's
     * commands in order: piling a loop's commands on its own connection while others idle would
     * trade the hand-off saved for queueing at the HSM); else the least-loaded partition with room
     * (rotating start: ties alternate); else the caller's, or the next in turn (it queues or refuses).
     * Loads are snapshots of atomics; the partition decides for good.
     */
    private Partition choose(ContextInternal current) {
        if (partitions.size() == 1) return partitions.get(0);
        Partition local = current != null && current.isEventLoopContext() && current.inThread()
                ? byLoop.get(current.nettyEventLoop()) : null;
        int n = partitions.size();
        int start = Math.floorMod(roundRobin.getAndIncrement(), n);
        if (local != null && local.hasRoom()) {
            int over = local.load.get() - SPILL * local.upHere.get();
            if (over < 0) return local; // lightly loaded: no need to look at the others
            Partition least = leastLoaded(local, start);
            return least == null || least.load.get() >= over ? local : least;
        }
        Partition least = leastLoaded(local, start);
        if (least != null) return least;
        return local != null ? local : partitions.get(start);
    }

    /** The partition with room and the fewest requests, other than {@code except}, or null. */
    private Partition leastLoaded(Partition except, int start) {
        int n = partitions.size();
        Partition best = null;
        int bestLoad = Integer.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            Partition q = partitions.get((start + i) % n);
            if (q == except || !q.hasRoom()) continue;
            int load = q.load.get();
            if (load < bestLoad) {
                best = q;
                bestLoad = load;
            }
        }
        return best;
    }

    /** Another partition with a connection up (round-robin), or null. */
    private Partition anotherUp(Partition except) {
        int n = partitions.size();
        int start = Math.floorMod(roundRobin.getAndIncrement(), n);
        Partition fallback = null;
        for (int i = 0; i < n; i++) {
            Partition q = partitions.get((start + i) % n);
            if (q == except || q.upHere.get() == 0) continue;
            if (q.hasRoom()) return q;
            if (fallback == null) fallback = q;
        }
        return fallback;
    }

    /** One event loop's share of the connections, its wait queue and its requests; confined to {@link #ctx}. */
    private final class Partition {
        final int index;
        final ContextInternal ctx;
        final LinkSlots<Req, Rep> slots;
        /** Requests assigned here and not finished (queued ones included); read by other threads. */
        final AtomicInteger load = new AtomicInteger();
        /** Connections up here; read by other threads. */
        final AtomicInteger upHere = new AtomicInteger();
        final ArrayDeque<LinkRequest<Req, Rep>> waitQueue = new ArrayDeque<>();
        final Set<LinkRequest<Req, Rep>> outstanding = Collections.newSetFromMap(new IdentityHashMap<>());
        boolean draining;
        /** Pool code is running on this partition's thread (see {@link LinkPool#request}). */
        boolean busy;
        boolean closedHere;
        Ticker.Timer healthTimer;

        Partition(int index, ContextInternal ctx, LinkSlots<Req, Rep> slots) {
            this.index = index;
            this.ctx = ctx;
            this.slots = slots;
        }

        boolean hasRoom() {
            return load.get() < upHere.get() * options.maxInFlightPerConnection();
        }

        // ------------------------------------------------------------ lifecycle

        void doStart() {
            if (closedHere) return;
            for (LinkSlot<Req, Rep> slot : slots) connect(slot);
            scheduleHealthCheck();
        }

        Future<Void> doClose() {
            if (closedHere) return Future.succeededFuture();
            closedHere = true;
            if (!outstanding.isEmpty()) {
                log.info("{} closing ({} requests outstanding on event loop #{})", options.name(), outstanding.size(), index);
            }
            if (healthTimer != null) healthTimer.cancel();
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
            return Future.join(closing).mapEmpty();
        }

        // ------------------------------------------------------------ connections

        void connect(LinkSlot<Req, Rep> slot) {
            slot.reconnectTimer = null;
            if (closed) return;
            setState(slot, LinkMetrics.State.CONNECTING);
            // connecting from this context binds the socket, its reads and writes, to this event loop
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
                connected.accept(socket);
                slot.conn = conn;
                if (options.probeOnConnect() && probe != null) {
                    probe(conn, slot, true);
                } else {
                    markUp(conn, slot);
                }
            });
        }

        void markUp(LinkConnection<Req, Rep> conn, LinkSlot<Req, Rep> slot) {
            if (conn.dead || slot.conn != conn) return;
            slot.attempt = 0;
            log.info("{} connection {} up{}", options.name(), slot.label,
                    partitions.size() > 1 ? " on event loop #" + index : "");
            setState(slot, LinkMetrics.State.UP);
            firstAttemptSettled(slot);
            drainQueue();
        }

        /** Start fails when every slot's first attempt failed; it succeeded already if one came up. */
        void firstAttemptSettled(LinkSlot<Req, Rep> slot) {
            if (slot.firstAttemptSettled) return;
            slot.firstAttemptSettled = true;
            if (firstAttemptsPending.decrementAndGet() == 0 && up.get() == 0) {
                startPromise.tryFail(failures.unavailable("no connection up to " + options.hosts()
                        + " after a first attempt each; " + options.name() + " keeps retrying"));
            }
        }

        void scheduleReconnect(LinkSlot<Req, Rep> slot) {
            if (closed || slot.reconnectTimer != null) return;
            Duration delay = options.backoff().delay(slot.attempt++);
            log.debug("{} connection {} reconnecting in {} ms", options.name(), slot.label, delay.toMillis());
            slot.reconnectTimer = ticker.schedule(delay, () -> connect(slot));
        }

        /** The connection is gone; see the class comment for what happens to its requests. Idempotent. */
        void connectionLost(LinkConnection<Req, Rep> conn, String reason) {
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

        Throwable lost(LinkConnection<Req, Rep> conn, LinkRequest<Req, Rep> r, String reason) {
            return failures.connectionLost(r.description + " was in flight on connection " + conn.label
                    + " when it was lost (" + reason + "); the peer may have executed it, so it was not retried", conn.label);
        }

        void setState(LinkSlot<Req, Rep> slot, LinkMetrics.State s) {
            LinkMetrics.State old = slot.state;
            if (old == s) return;
            int here = slots.setState(slot, s);
            metrics.state(old, s);
            if (s == LinkMetrics.State.UP) {
                upHere.incrementAndGet();
                if (up.incrementAndGet() == 1) {
                    log.info("{} circuit closed: connection {} is up", options.name(), slot.label);
                    startPromise.tryComplete();
                }
            } else if (old == LinkMetrics.State.UP) {
                upHere.decrementAndGet();
                if (up.decrementAndGet() == 0) {
                    if (!closed) {
                        log.warn("{} circuit open: no connection up; requests fail fast until one reconnects", options.name());
                    }
                    for (Partition p : partitions) {
                        if (p == this) p.failQueue();
                        else p.ctx.runOnContext(v -> p.failQueue());
                    }
                } else if (here < 0) {
                    // this loop's last connection went down, others are up: they take its queue
                    for (LinkRequest<Req, Rep> r : new ArrayList<>(waitQueue)) {
                        dispatchElsewhereOrFail(r);
                    }
                }
            }
        }

        /** The pool's circuit opened: what waits for a connection fails fast. */
        void failQueue() {
            if (up.get() > 0) return; // a connection came back meanwhile
            for (LinkRequest<Req, Rep> r : new ArrayList<>(waitQueue)) {
                finish(r, LinkMetrics.Outcome.UNAVAILABLE, null, failures.unavailable(
                        "no connection up (circuit open); " + r.description + " not sent"));
            }
        }

        // ------------------------------------------------------------ health

        void scheduleHealthCheck() {
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
        void probe(LinkConnection<Req, Rep> conn, LinkSlot<Req, Rep> slot, boolean onConnect) {
            Req value = probe.request();
            LinkRequest<Req, Rep> r = new LinkRequest<>(value, protocol.describe(value), true, options.probeTimeout(),
                    ticker.nanos(), ctx.promise(), null);
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

        // ------------------------------------------------------------ requests

        void submit(LinkRequest<Req, Rep> req) {
            if (closed) {
                finish(req, LinkMetrics.Outcome.UNAVAILABLE, null,
                        failures.unavailable(options.name() + " is closed; " + req.description + " not sent"));
                return;
            }
            req.partition = this;
            String own = protocol.correlationId(req.value);
            if (own != null && req.handOvers == 0) {
                LinkRequest<Req, Rep> twin = ownIds.putIfAbsent(own, req);
                if (twin != null) {
                    outstanding.add(req);
                    finish(req, LinkMetrics.Outcome.UNAVAILABLE, null, new IllegalStateException(
                            "a request with id " + own + " is already in flight; " + req.description + " not sent"));
                    return;
                }
                req.ownId = own;
            }
            outstanding.add(req);
            // the whole timeout from here, as before issue 19; handed over from another loop: what is left of it
            Duration timeout = req.handOvers == 0 ? req.timeout
                    : Duration.ofNanos(Math.max(0, req.timeout.toNanos() - (ticker.nanos() - req.startNanos)));
            req.timer = ticker.schedule(timeout, () -> onTimeout(req));
            dispatch(req);
        }

        void dispatch(LinkRequest<Req, Rep> req) {
            LinkConnection<Req, Rep> c = slots.pick();
            if (c != null) {
                send(c, req);
                return;
            }
            if (slots.up() == 0) {
                dispatchElsewhereOrFail(req);
                return;
            }
            if (queued.incrementAndGet() <= options.maxWaitQueue()) {
                req.queued = true;
                waitQueue.addLast(req);
                metrics.queued(1);
                return;
            }
            queued.decrementAndGet();
            finish(req, LinkMetrics.Outcome.UNAVAILABLE, null, failures.unavailable(
                    options.name() + " saturated: " + up.get() + " connections up with "
                            + options.maxInFlightPerConnection() + " requests in flight each"
                            + (options.maxWaitQueue() > 0 ? " and " + options.maxWaitQueue() + " waiting" : "")
                            + "; " + req.description + " not sent"));
        }

        /** No connection up here: another loop's partition takes the request, or it fails fast. */
        void dispatchElsewhereOrFail(LinkRequest<Req, Rep> req) {
            Partition other = up.get() > 0 && req.handOvers < partitions.size() ? anotherUp(this) : null;
            if (other != null && !req.internal) {
                handOver(req, other);
                return;
            }
            finish(req, LinkMetrics.Outcome.UNAVAILABLE, null, failures.unavailable(
                    (started ? "no connection up (circuit open); " : options.name() + " not started; ")
                            + req.description + " not sent"));
        }

        /** Moves {@code req} (not written anywhere) to {@code other}'s context, with the time it has left. */
        void handOver(LinkRequest<Req, Rep> req, Partition other) {
            release(req);
            outstanding.remove(req);
            load.decrementAndGet();
            other.load.incrementAndGet();
            req.handOvers++;
            other.ctx.runOnContext(v -> other.submit(req));
        }

        void send(LinkConnection<Req, Rep> conn, LinkRequest<Req, Rep> req) {
            if (!req.internal) metrics.inflight(1);
            conn.write(req);
        }

        void onWritten(LinkConnection<Req, Rep> conn, LinkRequest<Req, Rep> req, Throwable failure) {
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

        void onReply(LinkConnection<Req, Rep> conn, LinkProtocol.Reply<Rep> reply) {
            LinkRequest<Req, Rep> req = conn.inflight.get(reply.id());
            if (req == null && protocol.repliesOnAnyConnection()) {
                LinkRequest<Req, Rep> owner = ownIds.get(reply.id());
                Object holder = owner == null ? null : owner.partition;
                if (holder != null && holder != this) {
                    // its request was written by another loop's connection: that loop completes it
                    @SuppressWarnings("unchecked")
                    Partition other = (Partition) holder;
                    other.ctx.runOnContext(v -> other.onForeignReply(reply));
                    return;
                }
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

        /** A reply that arrived on another partition's connection to a request of this one. */
        void onForeignReply(LinkProtocol.Reply<Rep> reply) {
            LinkRequest<Req, Rep> req = slots.inFlight(reply.id());
            if (req == null) {
                metrics.dropped(LinkMetrics.Drop.UNKNOWN_ID);
                log.debug("{}: dropped unmatched reply {}", options.name(), reply.id());
                return;
            }
            req.conn.breaker.success();
            finish(req, LinkMetrics.Outcome.OK, reply.value(), null);
        }

        /** A reply over the protocol's maximum: only the request it answers fails; the stream stays in step. */
        void onOversized(LinkConnection<Req, Rep> conn, byte[] prefix, int length) {
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

        void onMalformed(LinkConnection<Req, Rep> conn, String why) {
            if (conn.dead) return;
            metrics.dropped(LinkMetrics.Drop.MALFORMED);
            connectionLost(conn, why);
        }

        void onTimeout(LinkRequest<Req, Rep> req) {
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

        /** Stops {@code req}'s timer and takes it out of the wait queue, if it is there. */
        private void release(LinkRequest<Req, Rep> req) {
            if (req.timer != null) {
                req.timer.cancel();
                req.timer = null;
            }
            if (req.queued) {
                req.queued = false;
                waitQueue.remove(req);
                queued.decrementAndGet();
                metrics.queued(-1);
            }
        }

        /** Completes {@code req} exactly once with {@code reply} or {@code failure}. */
        void finish(LinkRequest<Req, Rep> req, LinkMetrics.Outcome outcome, Rep reply, Throwable failure) {
            if (req.done) return;
            req.done = true;
            release(req);
            boolean freedSlot = req.conn != null && !req.conn.dead;
            detach(req);
            outstanding.remove(req);
            if (req.ownId != null) ownIds.remove(req.ownId, req);
            if (!req.internal) {
                load.decrementAndGet();
                pending.decrementAndGet();
                metrics.completed(req.value, outcome, reply, ticker.nanos() - req.startNanos);
            }
            // what waited for a connection goes out before a caller's callback can take the slot
            if (freedSlot) drainQueue();
            ContextInternal caller = req.caller;
            if (caller != null && caller != ctx && caller.inThread()) {
                // the caller's context runs on this thread: complete there now, not through its task queue
                caller.dispatch(v -> complete(req, reply, failure));
            } else {
                complete(req, reply, failure);
            }
        }

        private void complete(LinkRequest<Req, Rep> req, Rep reply, Throwable failure) {
            if (failure != null) {
                req.promise.tryFail(failure);
            } else {
                req.promise.tryComplete(reply);
            }
        }

        void detach(LinkRequest<Req, Rep> req) {
            LinkConnection<Req, Rep> c = req.conn;
            if (c == null) return;
            c.detach(req);
            if (!req.internal) metrics.inflight(-1);
        }

        void drainQueue() {
            if (draining) return;
            draining = true;
            try {
                while (!waitQueue.isEmpty() && !closed) {
                    LinkConnection<Req, Rep> c = slots.pick();
                    if (c == null) return;
                    LinkRequest<Req, Rep> r = waitQueue.pollFirst();
                    r.queued = false;
                    queued.decrementAndGet();
                    metrics.queued(-1);
                    send(c, r);
                }
            } finally {
                draining = false;
            }
        }

        final LinkConnection.Events<Req, Rep> events = new LinkConnection.Events<>() {
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
}
