package dev.posgate.gateway.platform.server;

/**
 * A rate with a burst, as the generic cell rate algorithm (a token bucket kept as one number):
 * each limited thing stores only its theoretical arrival time, so checking needs no timer, no
 * lock and no allocation.
 */
public record RateLimit(long intervalNanos, long toleranceNanos) {
    /** The state of something never seen: any first arrival is admitted. */
    public static final long FRESH = Long.MIN_VALUE;

    /** {@code perSecond} on average, {@code burst} at once; null (no limit) when perSecond is 0. */
    public static RateLimit of(int perSecond, int burst) {
        if (perSecond <= 0) return null;
        long interval = 1_000_000_000L / perSecond;
        return new RateLimit(interval, interval * (Math.max(1, burst) - 1));
    }

    /**
     * The theoretical arrival time after an arrival at {@code now}; {@code tat} itself (unchanged)
     * when the arrival is over the limit. An admitted arrival always moves it forward.
     */
    public long admit(long tat, long now) {
        long t = Math.max(tat, now);
        return t - now > toleranceNanos ? tat : t + intervalNanos;
    }

    /** The earliest time an arrival is admitted, given the theoretical arrival time {@code tat}. */
    public long conformsAt(long tat) {
        return tat - toleranceNanos;
    }
}
