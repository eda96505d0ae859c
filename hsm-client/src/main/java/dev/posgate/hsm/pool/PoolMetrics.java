package dev.posgate.hsm.pool;

import dev.posgate.link.LinkMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Micrometer meters of one pool. Names use Micrometer's dotted style; the Prometheus registry
 * renders them as {@code hsm_request_seconds}, {@code hsm_errors_total}, {@code hsm_inflight},
 * {@code hsm_connections}, {@code hsm_replies_dropped_total}, ... Recording happens on the
 * contexts of the pool's event loops, several at once: meters are looked up in concurrent maps
 * (Micrometer returns the same meter when two threads register one), gauges read atomics.
 */
final class PoolMetrics implements LinkMetrics<HsmCommand, byte[]> {
    static final String REQUEST = "hsm.request";
    static final String ERRORS = "hsm.errors";
    static final String INFLIGHT = "hsm.inflight";
    static final String QUEUED = "hsm.queued";
    static final String CONNECTIONS = "hsm.connections";
    static final String CIRCUIT_OPEN = "hsm.circuit.open";
    static final String DROPPED = "hsm.replies.dropped";
    static final String HEALTH = "hsm.health.checks";

    static final String OUTCOME_OK = "ok";
    static final String OUTCOME_TIMEOUT = "timeout";
    static final String OUTCOME_UNAVAILABLE = "unavailable";
    /** The HSM answered, but with a reply over maxReplyFrameBytes, which was skipped. */
    static final String OUTCOME_OVERSIZE = "oversize";

    static final String DROP_UNKNOWN_ID = "unknown_id";
    static final String DROP_LATE = "late";
    static final String DROP_MALFORMED = "malformed";
    static final String DROP_OVERSIZE = "oversize";

    private static final Duration[] BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5)
    };

    private final MeterRegistry registry;
    private final Tags poolTags;
    /** Per command code, one timer per {@link Outcome} (no key string built per request). */
    private final Map<String, Timer[]> timers = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final List<Meter> gauges = new ArrayList<>();

    final AtomicInteger inflight = new AtomicInteger();
    final AtomicInteger queued = new AtomicInteger();
    final AtomicInteger up = new AtomicInteger();
    final AtomicInteger connecting = new AtomicInteger();
    final AtomicInteger down = new AtomicInteger();

    PoolMetrics(MeterRegistry registry, String poolName) {
        this.registry = registry;
        this.poolTags = Tags.of("pool", poolName);
        gauge(INFLIGHT, "HSM requests written or being written, awaiting their reply", poolTags, inflight);
        gauge(QUEUED, "HSM requests waiting for a free connection slot", poolTags, queued);
        gauge(CONNECTIONS, "HSM connections by state", poolTags.and("state", "up"), up);
        gauge(CONNECTIONS, "HSM connections by state", poolTags.and("state", "connecting"), connecting);
        gauge(CONNECTIONS, "HSM connections by state", poolTags.and("state", "down"), down);
        gauges.add(Gauge.builder(CIRCUIT_OPEN, up, u -> u.get() == 0 ? 1 : 0)
                .description("1 while no HSM connection is up and requests fail fast")
                .tags(poolTags).strongReference(true).register(registry));
        for (String reason : List.of(DROP_UNKNOWN_ID, DROP_LATE, DROP_MALFORMED, DROP_OVERSIZE)) {
            dropped(reason, 0);
        }
    }

    private void gauge(String name, String description, Tags tags, AtomicInteger value) {
        gauges.add(Gauge.builder(name, value, AtomicInteger::get)
                .description(description).tags(tags).strongReference(true).register(registry));
    }

    void request(String command, Outcome outcome, long nanos) {
        Timer[] byOutcome = timers.computeIfAbsent(command, k -> new Timer[Outcome.values().length]);
        Timer t = byOutcome[outcome.ordinal()];
        if (t == null) {
            t = Timer.builder(REQUEST)
                    .description("HSM host command round trip, by command code and outcome")
                    .tags(poolTags).tag("command", command).tag("outcome", tag(outcome))
                    .serviceLevelObjectives(BUCKETS)
                    .register(registry);
            byOutcome[outcome.ordinal()] = t; // a racing thread stores the same meter
        }
        t.record(nanos, TimeUnit.NANOSECONDS);
    }

    private static String tag(Outcome outcome) {
        return switch (outcome) {
            case OK -> OUTCOME_OK;
            case TIMEOUT -> OUTCOME_TIMEOUT;
            case UNAVAILABLE -> OUTCOME_UNAVAILABLE;
            case OVERSIZE -> OUTCOME_OVERSIZE;
        };
    }

    void error(String command, String code) {
        counters.computeIfAbsent("e|" + command + '|' + code, k -> Counter.builder(ERRORS)
                        .description("HSM replies with a non-00 error code, by command and error code")
                        .tags(poolTags).tag("command", command).tag("code", code)
                        .register(registry))
                .increment();
    }

    void dropped(String reason) {
        dropped(reason, 1);
    }

    private void dropped(String reason, int n) {
        counters.computeIfAbsent("d|" + reason, k -> Counter.builder(DROPPED)
                        .description("HSM reply frames dropped, by reason")
                        .tags(poolTags).tag("reason", reason)
                        .register(registry))
                .increment(n);
    }

    @Override
    public void health(boolean ok) {
        String result = ok ? "ok" : "failed";
        counters.computeIfAbsent("h|" + result, k -> Counter.builder(HEALTH)
                        .description("NC health checks (including the probe of a new connection), by result")
                        .tags(poolTags).tag("result", result)
                        .register(registry))
                .increment();
    }

    @Override
    public void completed(HsmCommand command, Outcome outcome, byte[] reply, long nanos) {
        request(command.code(), outcome, nanos);
        if (reply != null && !(reply.length >= 4 && reply[2] == '0' && reply[3] == '0')) {
            error(command.code(), HsmPool.errorCode(reply));
        }
    }

    @Override
    public void inflight(int delta) {
        inflight.addAndGet(delta);
    }

    @Override
    public void queued(int delta) {
        queued.addAndGet(delta);
    }

    @Override
    public void state(State from, State to) {
        gauge(from).decrementAndGet();
        gauge(to).incrementAndGet();
    }

    private AtomicInteger gauge(State s) {
        return switch (s) {
            case UP -> up;
            case CONNECTING -> connecting;
            case DOWN -> down;
        };
    }

    @Override
    public void dropped(Drop reason) {
        dropped(switch (reason) {
            case UNKNOWN_ID -> DROP_UNKNOWN_ID;
            case LATE -> DROP_LATE;
            case MALFORMED -> DROP_MALFORMED;
            case OVERSIZE -> DROP_OVERSIZE;
        });
    }

    /** Unregisters the gauges (they would otherwise pin this pool's state in the registry). */
    void close() {
        gauges.forEach(registry::remove);
        gauges.clear();
    }
}
