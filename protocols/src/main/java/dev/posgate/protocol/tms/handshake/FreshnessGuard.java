package dev.posgate.protocol.tms.handshake;

import java.time.Duration;
import java.time.LocalDateTime;

/**
 * The H1 clock check on T_DATA: the terminal's date-time is within {@code skew} of ours. A T_DATA
 * random is a replay only if it was seen within 2 × skew (after that, a T_DATA carrying it fails
 * this check anyway); remembering randoms is the host's job, shared by all its nodes.
 */
public final class FreshnessGuard {
    private final Duration skew;

    public FreshnessGuard(Duration skew) {
        if (skew.isNegative()) throw new IllegalArgumentException("negative skew");
        this.skew = skew;
    }

    public Duration skew() {
        return skew;
    }

    /** How long a seen random must be remembered: as long as a T_DATA carrying it could pass {@link #inWindow}. */
    public Duration replayWindow() {
        return skew.multipliedBy(2);
    }

    /** True when {@code tData}'s date-time is within the skew of our local time {@code now}. */
    public boolean inWindow(StampedRandom tData, LocalDateTime now) {
        return Duration.between(tData.time(), now).abs().compareTo(skew) <= 0;
    }
}
