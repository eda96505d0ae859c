package dev.posgate.hsm.pool;

import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Immutable configuration of an {@link HsmPool}. Build with {@link #builder()}; every setting
 * except the host list has a default (see {@code docs/hsm-client.md}).
 */
public final class HsmPoolConfig {

    /** One HSM host command port. */
    public record Host(String host, int port) {
        public Host {
            Objects.requireNonNull(host, "host");
            if (host.isBlank()) {
                throw new IllegalArgumentException("blank host");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
        }

        /** Parses {@code host:port} or {@code [ipv6]:port}. */
        public static Host parse(String hostAndPort) {
            Objects.requireNonNull(hostAndPort, "hostAndPort");
            String s = hostAndPort.trim();
            int colon = s.lastIndexOf(':');
            if (colon <= 0 || colon == s.length() - 1) {
                throw new IllegalArgumentException("expected host:port, got '" + hostAndPort + "'");
            }
            String h = s.substring(0, colon);
            if (h.startsWith("[") && h.endsWith("]")) {
                h = h.substring(1, h.length() - 1);
            }
            int p;
            try {
                p = Integer.parseInt(s.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad port in '" + hostAndPort + "'", e);
            }
            return new Host(h, p);
        }

        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** Largest header length whose counter space fits in a {@code long}; longer headers are zero-padded. */
    static final int MAX_COUNTER_CHARS = 12;

    private final String name;
    private final List<Host> hosts;
    private final int connectionsPerHost;
    private final int headerLength;
    private final Duration requestTimeout;
    private final Duration keyGenerationTimeout;
    private final Duration connectTimeout;
    private final int maxInFlightPerConnection;
    private final int maxWaitQueue;
    private final Duration reconnectInitialBackoff;
    private final Duration reconnectMaxBackoff;
    private final double reconnectJitter;
    private final Duration healthCheckInterval;
    private final boolean probeOnConnect;
    private final int breakerConsecutiveTimeouts;
    private final int maxReplyFrameBytes;
    private final MutualTls mutualTls;

    /**
     * TLS with a client certificate on every connection (payShield 10K host connections, the
     * bundled software HSM): the pool's key and certificate, and the trust for the HSM's. Null
     * (the default) connects in clear, as most HSM host ports are configured.
     */
    public record MutualTls(KeyCertOptions clientKey, TrustOptions hsmTrust) {
        public MutualTls {
            Objects.requireNonNull(clientKey, "clientKey");
            Objects.requireNonNull(hsmTrust, "hsmTrust");
        }
    }

    private HsmPoolConfig(Builder b) {
        this.name = b.name;
        this.hosts = List.copyOf(b.hosts);
        this.connectionsPerHost = b.connectionsPerHost;
        this.headerLength = b.headerLength;
        this.requestTimeout = b.requestTimeout;
        this.keyGenerationTimeout = b.keyGenerationTimeout;
        this.connectTimeout = b.connectTimeout;
        this.maxInFlightPerConnection = b.maxInFlightPerConnection;
        this.maxWaitQueue = b.maxWaitQueue;
        this.reconnectInitialBackoff = b.reconnectInitialBackoff;
        this.reconnectMaxBackoff = b.reconnectMaxBackoff;
        this.reconnectJitter = b.reconnectJitter;
        this.healthCheckInterval = b.healthCheckInterval;
        this.probeOnConnect = b.probeOnConnect;
        this.breakerConsecutiveTimeouts = b.breakerConsecutiveTimeouts;
        this.maxReplyFrameBytes = b.maxReplyFrameBytes;
        this.mutualTls = b.mutualTls;
        validate();
    }

    private void validate() {
        if (name == null || !name.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new IllegalArgumentException("name must be 1-64 chars of [A-Za-z0-9_.-]: " + name);
        }
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("at least one HSM host is required");
        }
        requirePositive("connectionsPerHost", connectionsPerHost);
        if (headerLength < 1 || headerLength > 255) {
            throw new IllegalArgumentException("headerLength must be 1..255: " + headerLength);
        }
        requirePositive("requestTimeout", requestTimeout);
        requirePositive("keyGenerationTimeout", keyGenerationTimeout);
        requirePositive("connectTimeout", connectTimeout);
        requirePositive("maxInFlightPerConnection", maxInFlightPerConnection);
        // one id is kept for the health check, and at least as many again for ids quarantined
        // after a timeout, so that a late reply can never be mistaken for a newer request's
        if ((long) maxInFlightPerConnection * 2 + 2 > idSpace()) {
            throw new IllegalArgumentException("maxInFlightPerConnection " + maxInFlightPerConnection
                    + " too large for a " + headerLength + "-char header (" + idSpace() + " ids)");
        }
        if (maxWaitQueue < 0) {
            throw new IllegalArgumentException("maxWaitQueue must be >= 0: " + maxWaitQueue);
        }
        requirePositive("reconnectInitialBackoff", reconnectInitialBackoff);
        requirePositive("reconnectMaxBackoff", reconnectMaxBackoff);
        if (reconnectMaxBackoff.compareTo(reconnectInitialBackoff) < 0) {
            throw new IllegalArgumentException("reconnectMaxBackoff < reconnectInitialBackoff");
        }
        if (!(reconnectJitter >= 0.0 && reconnectJitter <= 1.0)) {
            throw new IllegalArgumentException("reconnectJitter must be within [0, 1]: " + reconnectJitter);
        }
        Objects.requireNonNull(healthCheckInterval, "healthCheckInterval");
        if (healthCheckInterval.isNegative()) {
            throw new IllegalArgumentException("healthCheckInterval must be >= 0 (0 disables)");
        }
        requirePositive("breakerConsecutiveTimeouts", breakerConsecutiveTimeouts);
        if (maxReplyFrameBytes < headerLength + 4 || maxReplyFrameBytes > 65535) {
            throw new IllegalArgumentException(
                    "maxReplyFrameBytes must be within [headerLength + 4, 65535]: " + maxReplyFrameBytes);
        }
    }

    private static void requirePositive(String what, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException(what + " must be > 0: " + v);
        }
    }

    private static void requirePositive(String what, Duration d) {
        Objects.requireNonNull(d, what);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(what + " must be > 0: " + d);
        }
    }

    /** Number of distinct correlation ids a header of this length can carry (base 36). */
    long idSpace() {
        long space = 1;
        for (int i = 0; i < Math.min(headerLength, MAX_COUNTER_CHARS); i++) {
            space *= 36;
        }
        return space;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.name = name;
        b.hosts.addAll(hosts);
        b.connectionsPerHost = connectionsPerHost;
        b.headerLength = headerLength;
        b.requestTimeout = requestTimeout;
        b.keyGenerationTimeout = keyGenerationTimeout;
        b.connectTimeout = connectTimeout;
        b.maxInFlightPerConnection = maxInFlightPerConnection;
        b.maxWaitQueue = maxWaitQueue;
        b.reconnectInitialBackoff = reconnectInitialBackoff;
        b.reconnectMaxBackoff = reconnectMaxBackoff;
        b.reconnectJitter = reconnectJitter;
        b.healthCheckInterval = healthCheckInterval;
        b.probeOnConnect = probeOnConnect;
        b.breakerConsecutiveTimeouts = breakerConsecutiveTimeouts;
        b.maxReplyFrameBytes = maxReplyFrameBytes;
        b.mutualTls = mutualTls;
        return b;
    }

    /** Value of the {@code pool} tag on every meter; tells pools sharing a registry apart. */
    public String name() {
        return name;
    }

    public List<Host> hosts() {
        return hosts;
    }

    public int connectionsPerHost() {
        return connectionsPerHost;
    }

    /** Length of the message header the HSM is configured with; it carries the correlation id. */
    public int headerLength() {
        return headerLength;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    /**
     * Timeout of RSA key generation (EI) instead of {@link #requestTimeout()}: a 2048-bit key pair
     * takes seconds, more on a loaded machine, and a first start generates several.
     */
    public Duration keyGenerationTimeout() {
        return keyGenerationTimeout;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public int maxInFlightPerConnection() {
        return maxInFlightPerConnection;
    }

    /** Requests allowed to wait for a free slot when every connection is full; 0 = fail fast. */
    public int maxWaitQueue() {
        return maxWaitQueue;
    }

    public Duration reconnectInitialBackoff() {
        return reconnectInitialBackoff;
    }

    public Duration reconnectMaxBackoff() {
        return reconnectMaxBackoff;
    }

    /** Fraction of each backoff delay that is randomised away (0 = none, 1 = full jitter). */
    public double reconnectJitter() {
        return reconnectJitter;
    }

    /** Period of the NC health check on each up connection; {@link Duration#ZERO} disables it. */
    public Duration healthCheckInterval() {
        return healthCheckInterval;
    }

    /** Whether a new connection must answer NC with ND00 before it takes traffic (half-open probe). */
    public boolean probeOnConnect() {
        return probeOnConnect;
    }

    /** Consecutive timeouts after which a connection is considered hung and recycled. */
    public int breakerConsecutiveTimeouts() {
        return breakerConsecutiveTimeouts;
    }

    /** Largest reply frame accepted (bytes after the 2-byte length: header + payload). */
    public int maxReplyFrameBytes() {
        return maxReplyFrameBytes;
    }

    /** Mutual TLS on every connection, or null for clear TCP. */
    public MutualTls mutualTls() {
        return mutualTls;
    }

    @Override
    public String toString() {
        return "HsmPoolConfig{name=" + name + ", hosts=" + hosts + ", connectionsPerHost="
                + connectionsPerHost + ", headerLength=" + headerLength + ", requestTimeout="
                + requestTimeout + ", keyGenerationTimeout=" + keyGenerationTimeout + ", connectTimeout=" + connectTimeout + ", maxInFlightPerConnection="
                + maxInFlightPerConnection + ", maxWaitQueue=" + maxWaitQueue
                + ", reconnectInitialBackoff=" + reconnectInitialBackoff + ", reconnectMaxBackoff="
                + reconnectMaxBackoff + ", reconnectJitter=" + reconnectJitter + ", healthCheckInterval="
                + healthCheckInterval + ", probeOnConnect=" + probeOnConnect
                + ", breakerConsecutiveTimeouts=" + breakerConsecutiveTimeouts + ", maxReplyFrameBytes="
                + maxReplyFrameBytes + ", mutualTls=" + (mutualTls != null) + "}";
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private String name = "hsm";
        private final List<Host> hosts = new ArrayList<>();
        private int connectionsPerHost = 2;
        private int headerLength = 4;
        private Duration requestTimeout = Duration.ofSeconds(2);
        private Duration keyGenerationTimeout = Duration.ofSeconds(60);
        private Duration connectTimeout = Duration.ofSeconds(3);
        private int maxInFlightPerConnection = 32;
        private int maxWaitQueue = 0;
        private Duration reconnectInitialBackoff = Duration.ofMillis(100);
        private Duration reconnectMaxBackoff = Duration.ofSeconds(5);
        private double reconnectJitter = 0.2;
        private Duration healthCheckInterval = Duration.ofSeconds(5);
        private boolean probeOnConnect = true;
        private int breakerConsecutiveTimeouts = 3;
        private int maxReplyFrameBytes = 32 * 1024;
        private MutualTls mutualTls;

        private Builder() {}

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Adds a host given as {@code host:port}. */
        public Builder host(String hostAndPort) {
            hosts.add(Host.parse(hostAndPort));
            return this;
        }

        public Builder host(String host, int port) {
            hosts.add(new Host(host, port));
            return this;
        }

        /** Replaces the host list with {@code host:port} entries. */
        public Builder hosts(List<String> hostAndPorts) {
            hosts.clear();
            hostAndPorts.forEach(this::host);
            return this;
        }

        public Builder connectionsPerHost(int n) {
            this.connectionsPerHost = n;
            return this;
        }

        public Builder headerLength(int n) {
            this.headerLength = n;
            return this;
        }

        public Builder requestTimeout(Duration d) {
            this.requestTimeout = d;
            return this;
        }

        public Builder keyGenerationTimeout(Duration d) {
            this.keyGenerationTimeout = d;
            return this;
        }

        public Builder connectTimeout(Duration d) {
            this.connectTimeout = d;
            return this;
        }

        public Builder maxInFlightPerConnection(int n) {
            this.maxInFlightPerConnection = n;
            return this;
        }

        public Builder maxWaitQueue(int n) {
            this.maxWaitQueue = n;
            return this;
        }

        public Builder reconnectBackoff(Duration initial, Duration max) {
            this.reconnectInitialBackoff = initial;
            this.reconnectMaxBackoff = max;
            return this;
        }

        public Builder reconnectJitter(double fraction) {
            this.reconnectJitter = fraction;
            return this;
        }

        public Builder healthCheckInterval(Duration d) {
            this.healthCheckInterval = d;
            return this;
        }

        public Builder probeOnConnect(boolean probe) {
            this.probeOnConnect = probe;
            return this;
        }

        public Builder breakerConsecutiveTimeouts(int n) {
            this.breakerConsecutiveTimeouts = n;
            return this;
        }

        public Builder maxReplyFrameBytes(int n) {
            this.maxReplyFrameBytes = n;
            return this;
        }

        /** Connects with mutual TLS (null: clear TCP). */
        public Builder mutualTls(MutualTls tls) {
            this.mutualTls = tls;
            return this;
        }

        public HsmPoolConfig build() {
            return new HsmPoolConfig(this);
        }
    }
}
