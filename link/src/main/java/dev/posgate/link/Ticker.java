package dev.posgate.link;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Objects;

/**
 * The time source and timer of a link: request timeouts, reconnect backoff, health checks and the
 * expiry of late-reply ids all go through it, so a test moves time by hand ({@link ManualTicker})
 * and asserts outcomes, never durations.
 *
 * <p>A task runs on the Vert.x context that scheduled it (the pool's), so link state stays confined
 * to one thread whichever ticker is used.
 */
public interface Ticker extends TimeSource {
    /** Runs {@code task} once after {@code delay}, on the scheduling context. */
    Timer schedule(Duration delay, Runnable task);

    /** A scheduled task; cancelling one that already ran does nothing. */
    @FunctionalInterface
    interface Timer {
        void cancel();
    }

    /** The machine's monotonic clock and Vert.x timers (at least 1 ms). */
    static Ticker of(Vertx vertx) {
        Objects.requireNonNull(vertx, "vertx");
        return new Ticker() {
            @Override
            public long nanos() {
                return System.nanoTime();
            }

            @Override
            public Timer schedule(Duration delay, Runnable task) {
                long id = vertx.setTimer(Math.max(1, delay.toMillis()), t -> task.run());
                return () -> vertx.cancelTimer(id);
            }
        };
    }
}
