package dev.posgate.link;

/**
 * Trips after {@code threshold} consecutive failures (timeouts) of one connection; any success resets
 * the count. A tripped connection is closed and reconnected by its pool: a peer that stopped
 * answering on one connection is not kept busy with new requests that would all time out. (The
 * pool's own "circuit open" is simpler: no connection up, so requests fail fast.)
 */
public final class CircuitBreaker {
    private final int threshold;
    private int consecutiveFailures;

    /** @param threshold consecutive failures that trip it; 0 disables it */
    public CircuitBreaker(int threshold) {
        if (threshold < 0) throw new IllegalArgumentException("threshold must be >= 0: " + threshold);
        this.threshold = threshold;
    }

    public void success() {
        consecutiveFailures = 0;
    }

    /** Records a failure; true when this one trips the breaker. */
    public boolean failure() {
        return ++consecutiveFailures >= threshold && threshold > 0;
    }

    public int consecutiveFailures() {
        return consecutiveFailures;
    }
}
