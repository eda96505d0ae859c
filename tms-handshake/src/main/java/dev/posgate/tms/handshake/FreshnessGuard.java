package dev.posgate.tms.handshake;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The H1 freshness check on T_DATA: the terminal's clock is within {@code skew} of ours and its
 * random was not seen for the same serial within the window. A random is remembered only for
 * as long as a T_DATA carrying it could still pass the skew check (2 × skew after we saw it),
 * so memory is bounded by the handshake rate. Thread-safe (handshakes arrive on every event loop).
 */
public final class FreshnessGuard {
    /** What the check found. */
    public enum Verdict { FRESH, CLOCK_SKEW, REPLAYED }

    private record Seen(String key, LocalDateTime at) {}

    private final Duration skew;
    private final Map<String, LocalDateTime> seen = new HashMap<>();
    private final Deque<Seen> order = new ArrayDeque<>();

    public FreshnessGuard(Duration skew) {
        if (skew.isNegative()) throw new IllegalArgumentException("negative skew");
        this.skew = skew;
    }

    public Duration skew() {
        return skew;
    }

    /** Checks {@code tData} of {@code serial} at our local time {@code now}; FRESH also records it. */
    public synchronized Verdict check(String serial, StampedRandom tData, LocalDateTime now) {
        prune(now);
        Duration offset = Duration.between(tData.time(), now).abs();
        if (offset.compareTo(skew) > 0) return Verdict.CLOCK_SKEW;
        String key = serial + '\u0000' + tData.randomKey();
        if (seen.putIfAbsent(key, now) != null) return Verdict.REPLAYED;
        order.addLast(new Seen(key, now));
        return Verdict.FRESH;
    }

    /** Randoms currently remembered (for tests and metrics). */
    public synchronized int remembered() {
        return seen.size();
    }

    private void prune(LocalDateTime now) {
        LocalDateTime horizon = now.minus(skew.multipliedBy(2));
        while (!order.isEmpty() && order.peekFirst().at().isBefore(horizon)) {
            Seen s = order.removeFirst();
            seen.remove(s.key(), s.at());
        }
    }
}
