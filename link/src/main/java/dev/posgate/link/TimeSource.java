package dev.posgate.link;

/**
 * A monotonic clock, injected so that a test moves time by hand ({@link ManualTicker}) and asserts
 * what is admitted, refused, timed out or closed, never how long something took. Only differences
 * between two readings mean anything (as {@link System#nanoTime()}). The gateway's rate limits,
 * refusal windows and sweeps read one; a {@link Ticker} adds the timer a link needs.
 */
@FunctionalInterface
public interface TimeSource {
    /** The machine's monotonic clock. */
    TimeSource SYSTEM = System::nanoTime;

    /** Now, in nanoseconds from an arbitrary origin. */
    long nanos();
}
