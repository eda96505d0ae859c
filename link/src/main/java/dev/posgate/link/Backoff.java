package dev.posgate.link;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Exponential reconnect delay: {@code initial * 2^attempt}, capped at {@code max}, minus a random
 * part of up to {@code jitter} of it (so connections lost together do not reconnect in step).
 *
 * @param random values in [0, 1); injected so that tests get exact delays
 */
public record Backoff(Duration initial, Duration max, double jitter, DoubleSupplier random) {
    public Backoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max: " + initial + ", " + max);
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter must be in [0, 1]: " + jitter);
        }
    }

    public Backoff(Duration initial, Duration max, double jitter) {
        this(initial, max, jitter, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** The delay before reconnect attempt {@code attempt} (0 for the first retry); at least 1 ms. */
    public Duration delay(int attempt) {
        long initialMs = Math.max(1, initial.toMillis());
        long maxMs = max.toMillis();
        long base = initialMs << Math.min(Math.max(0, attempt), 30);
        if (base <= 0 || base > maxMs) {
            base = maxMs;
        }
        long minus = (long) (base * jitter * random.getAsDouble());
        return Duration.ofMillis(Math.max(1, base - minus));
    }
}
