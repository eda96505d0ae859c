package dev.posgate.gateway.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waiting for an event that a test cannot subscribe to (a row written, a message received by a
 * simulator): polls the condition until it holds. The bound only stops a broken test from
 * hanging; it is generous on purpose, so a loaded machine is slow, never red.
 */
public final class Eventually {
    /** Long enough for any event on a loaded 2-core machine; a test that needs it has failed. */
    public static final Duration PATIENCE = Duration.ofSeconds(60);

    private Eventually() {}

    /** Returns once {@code condition} holds; fails with {@code what} if it never does within {@link #PATIENCE}. */
    public static void until(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("never happened: " + what);
            Thread.sleep(10);
        }
    }
}
