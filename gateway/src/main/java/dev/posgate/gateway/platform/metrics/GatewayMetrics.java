package dev.posgate.gateway.platform.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gateway's own meters, named per Prometheus conventions (base units, {@code _total}
 * counters, histograms for latency). Labels are bounded enumerations only: family, reason,
 * message type and response code; never a terminal id, serial or PAN.
 */
public final class GatewayMetrics {
    private final MeterRegistry registry;
    private final AtomicInteger activeConnections = new AtomicInteger();
    private final AtomicLong frameBufferedBytes = new AtomicLong();
    private final Counter accepted;
    private final Counter throttled;
    private final Counter threadViolations;
    // name -> label value -> meter: two lookups, no key built per call on the hot path
    private final ConcurrentMap<String, ConcurrentMap<String, Counter>> counters = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, ConcurrentMap<String, Timer>> timers = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> posFormatErrors = new ConcurrentHashMap<>();

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("posgate_connections_active", activeConnections);
        registry.gauge("posgate_frame_buffered_bytes", frameBufferedBytes);
        this.accepted = Counter.builder("posgate_connections_accepted_total")
                .description("Terminal connections accepted").register(registry);
        // exposed at zero from the start, so alerts on rate() see a series before the first refusal
        for (String reason : new String[] {"total_cap", "ip_cap", "ip_rate", "draining"}) connectionRefused(reason, 0);
        for (String reason : new String[] {"inflight_cap", "first_frame_timeout"}) {
            counter("posgate_sessions_closed_total", "Sessions the gateway closed, by reason", "reason", reason).increment(0);
        }
        this.throttled = Counter.builder("posgate_requests_throttled_total")
                .description("Requests held back because their connection was over session.request.rate")
                .register(registry);
        for (String window : new String[] {"stan", "tms_random", "tms_clock", "kms_random"}) replayRefused(window, 0);
        this.threadViolations = Counter.builder("posgate_session_thread_violations_total")
                .description("Session code that ran off the session's event loop (a bug; see docs/architecture.md, Threading)")
                .register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void connectionOpened() {
        accepted.increment();
        activeConnections.incrementAndGet();
    }

    public void connectionClosed() {
        activeConnections.decrementAndGet();
    }

    public int activeConnections() {
        return activeConnections.get();
    }

    /** Bytes the sessions' frame decoders hold for partly received frames changed by {@code delta}. */
    public void frameBuffered(long delta) {
        if (delta != 0) frameBufferedBytes.addAndGet(delta);
    }

    /** Bytes held for partly received frames, over every session. */
    public long frameBufferedBytes() {
        return frameBufferedBytes.get();
    }

    /** reason: total_cap, ip_cap, ip_rate, draining. */
    public void connectionRefused(String reason) {
        connectionRefused(reason, 1);
    }

    private void connectionRefused(String reason, int n) {
        counter("posgate_connections_refused_total", "Terminal connections refused at accept", "reason", reason).increment(n);
    }

    /** family: iso8583, tms, keepalive. */
    public void frameIn(String family) {
        counter("posgate_frames_received_total", "Frames received from terminals", "family", family).increment();
    }

    public void frameOut(String family) {
        counter("posgate_frames_sent_total", "Frames sent to terminals", "family", family).increment();
    }

    /** reason: a bounded code from the decoder or the session (oversized, unknown_family, bad_bcd, ...). */
    public void decodeError(String reason) {
        counter("posgate_decode_errors_total", "Frames or messages that could not be decoded", "reason", reason).increment();
    }

    /** reason: idle, frame_timeout, first_frame_timeout, inflight_cap, protocol_error, ended_by_protocol, draining, internal_error. */
    /**
     * A POS message with a format error: {@code answered} (attributable, 30 sent, connection kept) or
     * closed. {@code field} is the offending field (-1 none, 0 MTI, 1 bitmap, 2..64): at most 66 values.
     */
    public void posFormatError(boolean answered, int field) {
        String label = field < 0 ? "none" : field == 0 ? "mti" : field == 1 ? "bitmap" : Integer.toString(Math.min(field, 64));
        String outcome = answered ? "answered" : "closed";
        Counter c = posFormatErrors.get(outcome + label);
        if (c == null) {
            c = posFormatErrors.computeIfAbsent(outcome + label, k -> Counter.builder("posgate_pos_format_errors_total")
                    .description("POS messages with a format error: answered 30 (attributable) or closed, by field")
                    .tags("outcome", outcome, "field", label).register(registry));
        }
        c.increment();
    }

    public void sessionClosed(String reason) {
        counter("posgate_sessions_closed_total", "Sessions the gateway closed, by reason", "reason", reason).increment();
    }

    /** Session code ran off the session's event loop. */
    public void sessionThreadViolation() {
        threadViolations.increment();
    }

    /** A request over its connection's rate, held until the rate admits it. */
    public void requestThrottled() {
        throttled.increment();
    }

    /**
     * A request refused as a replay or as stale. window: stan (a journalled TID/batch/STAN/MTI,
     * answered 94), tms_random and tms_clock (H1 T_DATA random seen before, date-time outside the
     * skew), kms_random (K2 Rnd1 seen before).
     */
    public void replayRefused(String window) {
        replayRefused(window, 1);
    }

    private void replayRefused(String window, int n) {
        counter("posgate_replays_refused_total", "Requests refused as replayed or stale, by replay window", "window", window).increment(n);
    }

    /** Records one handled request: type is a route name (echo, sign_on, ...), result the response code. */
    public void handled(String type, String result, long nanos) {
        ConcurrentMap<String, Timer> byResult = timers.get(type);
        if (byResult == null) byResult = timers.computeIfAbsent(type, k -> new ConcurrentHashMap<>());
        Timer t = byResult.get(result);
        if (t == null) {
            t = byResult.computeIfAbsent(result, r -> Timer.builder("posgate_request_seconds")
                    .description("Time from a complete request frame to its response being written")
                    .tags("type", type, "result", r)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofSeconds(30))
                    .register(registry));
        }
        t.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    private Counter counter(String name, String description, String tag, String value) {
        ConcurrentMap<String, Counter> byValue = counters.get(name);
        if (byValue == null) byValue = counters.computeIfAbsent(name, k -> new ConcurrentHashMap<>());
        Counter c = byValue.get(value);
        if (c == null) {
            c = byValue.computeIfAbsent(value, v -> Counter.builder(name).description(description).tag(tag, v).register(registry));
        }
        return c;
    }
}
