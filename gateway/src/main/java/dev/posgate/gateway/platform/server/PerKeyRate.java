package dev.posgate.gateway.platform.server;

import dev.posgate.gateway.spi.GatewayContext;
import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.link.TimeSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request rate per key (a terminal serial, a TID) for requests a stranger can send for someone
 * else's key: K2 and H1 per serial, sign-on per terminal (docs/security.md, "Issue 13 probe:
 * K-flow and sign-on"). Each key keeps one {@link RateLimit} arrival time; at most
 * {@code maxKeys} are tracked, the least recently seen forgotten first (its bucket has almost
 * always refilled by then; if not, that key merely starts afresh). Refusals are counted in
 * {@code posgate_rate_limited_total{flow}}, one fixed label per instance, never per key.
 *
 * <p>Node-local: behind a load balancer each node admits the rate, so the effective rate is at
 * most nodes × rate. Thread-safe (one lock; these requests are rare and cheap to check).
 */
public final class PerKeyRate {
    private final RateLimit limit;
    private final int maxKeys;
    private final TimeSource ticker;
    private final Counter refused;
    private final LinkedHashMap<String, long[]> arrivals = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
            return size() > maxKeys;
        }
    };

    /**
     * {@code count} requests per {@code window} for each key, {@code count} of them at once; no
     * limit when {@code count} is 0. {@code ticker} is the clock (tests move it).
     */
    public PerKeyRate(String flow, int count, Duration window, int maxKeys, TimeSource ticker, MeterRegistry registry) {
        if (maxKeys < 1) throw new IllegalArgumentException("maxKeys must be at least 1");
        long interval = count <= 0 ? 0 : Math.max(1, window.toNanos() / count);
        this.limit = count <= 0 ? null : new RateLimit(interval, interval * (count - 1));
        this.maxKeys = maxKeys;
        this.ticker = ticker;
        this.refused = Counter.builder("posgate_rate_limited_total")
                .description("Requests refused (answered 12) because their serial or terminal was over its rate")
                .tag("flow", flow)
                .register(registry);
    }

    /** With the system's monotonic clock. */
    public PerKeyRate(String flow, int count, Duration window, int maxKeys, MeterRegistry registry) {
        this(flow, count, window, maxKeys, TimeSource.SYSTEM, registry);
    }

    /**
     * The rate {@code setting} counts within key.rate.window.seconds, tracking at most
     * key.rate.tracked.max keys: K2 and H1 per serial, sign-on per terminal; the key loader's L2
     * takes one the same way.
     */
    public static PerKeyRate configured(GatewayContext c, String flow, Setting setting) {
        return new PerKeyRate(flow, c.config().integer(setting), Duration.ofSeconds(c.config().integer(Setting.KEY_RATE_WINDOW)),
                c.config().integer(Setting.KEY_RATE_TRACKED_MAX), c.metrics().registry());
    }

    /** True when a request for {@code key} is within its rate now (and counts it); false, counted as refused, otherwise. */
    public boolean admit(String key) {
        if (limit == null) return true;
        long now = ticker.nanos();
        synchronized (arrivals) {
            long[] tat = arrivals.get(key);
            if (tat == null) {
                tat = new long[] {RateLimit.FRESH};
                arrivals.put(key, tat);
            }
            long next = limit.admit(tat[0], now);
            if (next != tat[0]) {
                tat[0] = next;
                return true;
            }
        }
        refused.increment();
        return false;
    }

    /** How many keys are tracked now (at most maxKeys). */
    public int tracked() {
        synchronized (arrivals) {
            return arrivals.size();
        }
    }
}
