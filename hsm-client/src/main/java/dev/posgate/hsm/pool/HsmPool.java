package dev.posgate.hsm.pool;

import dev.posgate.hsm.HsmProtocolException;
import dev.posgate.hsm.transport.HsmTimeoutException;
import dev.posgate.hsm.transport.HsmTransport;
import dev.posgate.hsm.transport.HsmUnavailableException;
import dev.posgate.link.Backoff;
import dev.posgate.link.HealthProbe;
import dev.posgate.link.HostAndPort;
import dev.posgate.link.LinkFailures;
import dev.posgate.link.LinkPool;
import dev.posgate.link.LinkPoolOptions;
import dev.posgate.link.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * Production connection pool to payShield-style HSMs: the {@link LinkPool} core (pipelined
 * connections to one or more hosts, per-request timeouts, reconnect with backoff, circuit breaker)
 * with the HSM's framing ({@link HsmLinkProtocol}: header correlation), NC/ND00 health checks and
 * the {@code hsm.*} Micrometer meters. See {@code docs/hsm-client.md}.
 *
 * <p>Threading: the connections are spread over the Vert.x event loops ({@code connectionsPerHost}
 * is the total per host; connection {@code i} lives on loop {@code i % loops}), each loop's share
 * confined to a context of the link's own on that loop. A command made on a loop with a connection
 * is written, answered and completed on that loop; other callers use another loop's. {@link #execute},
 * {@link #start} and {@link #close} may be called from any thread, and <b>the futures they return
 * complete on the caller's context</b>: a gateway session's chain continues on its own event loop.
 *
 * <p>Security: payloads carry keys under LMK/ZMK and PIN blocks; this class logs command codes,
 * connection labels and counts, never payload bytes.
 */
public final class HsmPool implements HsmTransport {
    private static final byte[] NC = {'N', 'C'};
    private static final byte[] HEALTHY = {'N', 'D', '0', '0'};

    /** State of one connection slot, as in the {@code hsm_connections} gauge. */
    public enum ConnectionState { DOWN, CONNECTING, UP }

    private final HsmPoolConfig config;
    private final MeterRegistry registry;
    private final PoolMetrics metrics;
    private final HsmLinkProtocol protocol;
    private final LinkPool<HsmCommand, byte[]> link;

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
        this(vertx, config, registry, Ticker.of(vertx));
    }

    /** As above, with the time source and timers of timeouts, backoff and health checks injected (tests). */
    public HsmPool(Vertx vertx, HsmPoolConfig config, MeterRegistry registry, Ticker ticker) {
        Objects.requireNonNull(vertx, "vertx");
        this.config = Objects.requireNonNull(config, "config");
        this.registry = registry != null ? registry : new SimpleMeterRegistry();
        this.metrics = new PoolMetrics(this.registry, config.name());
        this.protocol = new HsmLinkProtocol(config);
        this.link = new LinkPool<>(vertx, options(config), protocol)
                .failures(FAILURES)
                .metrics(metrics)
                .healthProbe(NC_PROBE)
                .ticker(ticker);
        metrics.down.set(config.hosts().size() * config.connectionsPerHost());
    }

    private static LinkPoolOptions options(HsmPoolConfig config) {
        NetClientOptions net = new NetClientOptions();
        if (config.mutualTls() != null) {
            // trust is the HSM's own CA, not the web PKI: no host name to verify against
            net.setSsl(true).setKeyCertOptions(config.mutualTls().clientKey())
                    .setTrustOptions(config.mutualTls().hsmTrust()).setHostnameVerificationAlgorithm("");
        }
        LinkPoolOptions o = new LinkPoolOptions()
                .name("HSM pool '" + config.name() + "'")
                .connectionsPerHost(config.connectionsPerHost())
                .maxInFlightPerConnection(config.maxInFlightPerConnection())
                .maxWaitQueue(config.maxWaitQueue())
                .connectTimeout(config.connectTimeout())
                .backoff(new Backoff(config.reconnectInitialBackoff(), config.reconnectMaxBackoff(),
                        config.reconnectJitter()))
                .breakerConsecutiveTimeouts(config.breakerConsecutiveTimeouts())
                .healthCheckInterval(config.healthCheckInterval())
                .probeTimeout(config.requestTimeout())
                .probeOnConnect(config.probeOnConnect())
                .lateReplies(config.requestTimeout().multipliedBy(10), 4096)
                // connection i of each host lives on event loop i % loops: a command from a
                // session's loop is written and answered there (docs/architecture.md)
                .perEventLoop(true)
                .netClientOptions(net);
        config.hosts().forEach(h -> o.host(new HostAndPort(h.host(), h.port())));
        return o;
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
     * with {@code probeOnConnect}, answered NC with ND00). If every connection's first attempt fails
     * it fails with {@link HsmUnavailableException}, but the pool keeps reconnecting in the background
     * and starts serving as soon as a host answers; {@link #close()} stops that. Idempotent.
     */
    public Future<Void> start() {
        return link.start();
    }

    @Override
    public Future<byte[]> execute(byte[] command) {
        if (command == null || command.length < 2) {
            return Future.failedFuture(
                    new IllegalArgumentException("a command holds at least its 2-char command code"));
        }
        if (command.length + config.headerLength() > 0xFFFF) {
            return Future.failedFuture(new IllegalArgumentException(
                    "command of " + command.length + " bytes does not fit a 2-byte length frame"));
        }
        HsmCommand cmd = HsmCommand.of(command.clone());
        return link.request(cmd, timeout(cmd));
    }

    @Override
    public Future<Void> close() {
        return link.close().onComplete(ar -> metrics.close());
    }

    /**
     * Key-pair generation, RSA (EI) and SM2 (K1), takes seconds, more on a loaded machine: it gets
     * the key-generation timeout; every other command the request timeout.
     */
    private Duration timeout(HsmCommand cmd) {
        return isKeyGeneration(cmd.code()) ? config.keyGenerationTimeout() : config.requestTimeout();
    }

    /** The commands that run under {@link HsmPoolConfig#keyGenerationTimeout()}: EI (RSA) and K1 (SM2). */
    public static boolean isKeyGeneration(String commandCode) {
        return "EI".equals(commandCode) || "K1".equals(commandCode);
    }

    private static final LinkFailures<HsmCommand> FAILURES = new LinkFailures<>() {
        @Override
        public Throwable unavailable(String message) {
            return new HsmUnavailableException(message);
        }

        @Override
        public Throwable timeout(String message) {
            return new HsmTimeoutException(message);
        }

        @Override
        public Throwable connectionLost(String message, String connection) {
            return new HsmConnectionLostException("HSM command " + message, connection);
        }

        @Override
        public Throwable oversized(HsmCommand command, int length, int max) {
            return new HsmProtocolException(command.code(),
                    "reply of " + length + " bytes exceeds maxReplyFrameBytes " + max);
        }
    };

    private static final HealthProbe<HsmCommand, byte[]> NC_PROBE = new HealthProbe<>() {
        @Override
        public HsmCommand request() {
            return new HsmCommand(NC, "NC");
        }

        @Override
        public boolean healthy(byte[] reply) {
            return startsWith(reply, HEALTHY);
        }

        @Override
        public String describe(byte[] reply) {
            return "NC reply " + replyPrefix(reply);
        }
    };

    // ---------------------------------------------------------------- helpers

    /** Exponential backoff from the initial delay up to the max, minus up to {@code jitter} of it. */
    long backoffMillis(int attempt) {
        return new Backoff(config.reconnectInitialBackoff(), config.reconnectMaxBackoff(), config.reconnectJitter())
                .delay(attempt).toMillis();
    }

    String encodeHeader(long id) {
        return protocol.sequenceId(id);
    }

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
}
