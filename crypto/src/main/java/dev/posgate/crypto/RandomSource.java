package dev.posgate.crypto;

import java.security.SecureRandom;
import java.util.Objects;

/**
 * Source of random bytes, injectable so tests and simulators can be deterministic.
 * Implementations must be safe for concurrent use if shared between threads.
 */
@FunctionalInterface
public interface RandomSource {
    /** {@code n} fresh random bytes. */
    byte[] next(int n);

    /** The default: a shared {@link SecureRandom} (thread-safe). */
    static RandomSource secure() {
        return SecureHolder.DEFAULT;
    }

    /** A source backed by the given {@link SecureRandom}. */
    static RandomSource of(SecureRandom random) {
        Objects.requireNonNull(random, "random");
        return n -> {
            byte[] b = new byte[n];
            random.nextBytes(b);
            return b;
        };
    }

    /** Holder so the default SecureRandom is created lazily. */
    final class SecureHolder {
        static final RandomSource DEFAULT = of(new SecureRandom());

        private SecureHolder() {
        }
    }
}
