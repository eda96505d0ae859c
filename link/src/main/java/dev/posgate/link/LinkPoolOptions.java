package dev.posgate.link;

import io.vertx.core.net.NetClientOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** How a {@link LinkPool} connects, spreads, queues and recovers. Mutable until the pool is built. */
public final class LinkPoolOptions {
    private String name = "link";
    private final List<HostAndPort> hosts = new ArrayList<>();
    private int connectionsPerHost = 1;
    private int maxInFlightPerConnection = 32;
    private int maxWaitQueue;
    private Duration connectTimeout = Duration.ofSeconds(3);
    private Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), 0.2);
    private int breakerConsecutiveTimeouts;
    private Duration healthCheckInterval = Duration.ZERO;
    private Duration probeTimeout = Duration.ofSeconds(2);
    private boolean probeOnConnect;
    private Duration lateWindow = Duration.ofSeconds(20);
    private int lateCapacity = 4096;
    private NetClientOptions netClientOptions = new NetClientOptions();
    private boolean perEventLoop;
    private int flushConsolidation = 256;

    /** Used in logs and failure messages, e.g. {@code HSM pool 'default'}. */
    public LinkPoolOptions name(String name) {
        this.name = Objects.requireNonNull(name);
        return this;
    }

    public LinkPoolOptions host(HostAndPort host) {
        hosts.add(Objects.requireNonNull(host));
        return this;
    }

    public LinkPoolOptions connectionsPerHost(int n) {
        this.connectionsPerHost = positive("connectionsPerHost", n);
        return this;
    }

    public LinkPoolOptions maxInFlightPerConnection(int n) {
        this.maxInFlightPerConnection = positive("maxInFlightPerConnection", n);
        return this;
    }

    /** Requests that may wait for a free connection when all are full; 0 refuses at once. */
    public LinkPoolOptions maxWaitQueue(int n) {
        if (n < 0) throw new IllegalArgumentException("maxWaitQueue must be >= 0");
        this.maxWaitQueue = n;
        return this;
    }

    public LinkPoolOptions connectTimeout(Duration d) {
        this.connectTimeout = Objects.requireNonNull(d);
        return this;
    }

    public LinkPoolOptions backoff(Backoff b) {
        this.backoff = Objects.requireNonNull(b);
        return this;
    }

    /** Consecutive timeouts after which a connection is recycled ({@link CircuitBreaker}); 0 never. */
    public LinkPoolOptions breakerConsecutiveTimeouts(int n) {
        this.breakerConsecutiveTimeouts = n;
        return this;
    }

    /** Period of the health probe on each up connection; zero disables it. */
    public LinkPoolOptions healthCheckInterval(Duration d) {
        this.healthCheckInterval = Objects.requireNonNull(d);
        return this;
    }

    public LinkPoolOptions probeTimeout(Duration d) {
        this.probeTimeout = Objects.requireNonNull(d);
        return this;
    }

    /** A new connection counts as up only once the health probe answered healthy. */
    public LinkPoolOptions probeOnConnect(boolean probe) {
        this.probeOnConnect = probe;
        return this;
    }

    /** How long (and how many) ids of timed-out requests stay reserved, so a late reply is recognised. */
    public LinkPoolOptions lateReplies(Duration window, int capacity) {
        this.lateWindow = Objects.requireNonNull(window);
        this.lateCapacity = Math.max(0, capacity);
        return this;
    }

    /** Base TCP/TLS options; connect timeout, TCP_NODELAY and keep-alive are set by the pool. */
    public LinkPoolOptions netClientOptions(NetClientOptions o) {
        this.netClientOptions = Objects.requireNonNull(o);
        return this;
    }

    /**
     * Spreads the connections over the Vert.x event loops, connection {@code i} of each host on loop
     * {@code i % loops} (so {@link #connectionsPerHost} stays the total per host, and a loop has one
     * of its own when it is at least the number of event loops): a request made on a loop with a
     * connection is written, answered and completed on that loop, with no hand-off between threads.
     * A reply that a protocol lets arrive on any connection is handed to the loop that holds its
     * request.
     */
    public LinkPoolOptions perEventLoop(boolean spread) {
        this.perEventLoop = spread;
        return this;
    }

    /**
     * Coalesces the writes each connection receives in one event-loop iteration into one flush (one
     * write syscall) instead of one per request: a request written outside a read of its own
     * connection (from a task, a timer, or another connection's read: a terminal's message) is
     * flushed when the loop finishes the work of its current iteration, not at once; at most
     * {@code maxFlushes} writes wait for one flush. Netty's {@code FlushConsolidationHandler} in front
     * of Vert.x's handler. 0 flushes every write at once (Vert.x's own behaviour). Default 256.
     */
    public LinkPoolOptions flushConsolidation(int maxFlushes) {
        if (maxFlushes < 0) throw new IllegalArgumentException("flushConsolidation must be >= 0: " + maxFlushes);
        this.flushConsolidation = maxFlushes;
        return this;
    }

    public String name() { return name; }
    public List<HostAndPort> hosts() { return List.copyOf(hosts); }
    public int connectionsPerHost() { return connectionsPerHost; }
    public int maxInFlightPerConnection() { return maxInFlightPerConnection; }
    public int maxWaitQueue() { return maxWaitQueue; }
    public Duration connectTimeout() { return connectTimeout; }
    public Backoff backoff() { return backoff; }
    public int breakerConsecutiveTimeouts() { return breakerConsecutiveTimeouts; }
    public Duration healthCheckInterval() { return healthCheckInterval; }
    public Duration probeTimeout() { return probeTimeout; }
    public boolean probeOnConnect() { return probeOnConnect; }
    public Duration lateWindow() { return lateWindow; }
    public int lateCapacity() { return lateCapacity; }
    public boolean perEventLoop() { return perEventLoop; }
    public int flushConsolidation() { return flushConsolidation; }
    public NetClientOptions netClientOptions() { return new NetClientOptions(netClientOptions); }

    private static int positive(String what, int n) {
        if (n < 1) throw new IllegalArgumentException(what + " must be >= 1: " + n);
        return n;
    }
}
