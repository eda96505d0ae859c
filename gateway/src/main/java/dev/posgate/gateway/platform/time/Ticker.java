package dev.posgate.gateway.platform.time;

/**
 * The monotonic clock of rate limits, refusal windows and sweeps, injected so that a test moves
 * time by hand and asserts what is admitted, refused or closed, never how long something took.
 * Only differences between two readings mean anything (as {@link System#nanoTime()}).
 */
@FunctionalInterface
public interface Ticker {
    /** The machine's monotonic clock. */
    Ticker SYSTEM = System::nanoTime;

    /** Now, in nanoseconds from an arbitrary origin. */
    long nanos();
}
