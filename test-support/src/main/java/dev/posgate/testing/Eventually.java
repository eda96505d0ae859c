package dev.posgate.testing;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The one way tests wait, in every module: for a future to complete ({@link #await}, {@link #join}),
 * or, for an event a test cannot subscribe to (a row written, a message received by a simulator,
 * a process listening), for a condition to hold ({@link #until}, {@link #value}). Every bound is
 * {@link #PATIENCE}: it only stops a broken test from hanging, so a loaded machine is slow, never
 * red. Nothing here measures time; a test that needs time to pass advances a ticker instead.
 */
public final class Eventually {
    /** Long enough for any event on a loaded 2-core machine; a test that hits it has failed. */
    public static final Duration PATIENCE = Duration.ofSeconds(60);

    private static final long POLL_MS = 10;

    private Eventually() {}

    /** A check that may throw (a query, a socket probe); a throw counts as "not yet". */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    /** A read that may throw (a query, an HTTP call). */
    @FunctionalInterface
    public interface Probe<T> {
        T read() throws Exception;
    }

    /** Returns once {@code condition} holds; fails with {@code what} if it never does. */
    public static void until(String what, Condition condition) throws InterruptedException {
        until(what, PATIENCE, condition);
    }

    /**
     * {@link #until(String, Condition)} for an event at the end of a long job (a whole demo fleet's
     * life, a process's start-up and run): {@code patience} is that job's hang guard, not a timing.
     */
    public static void until(String what, Duration patience, Condition condition) throws InterruptedException {
        value(what, patience, () -> condition.holds(), Boolean.TRUE::equals);
    }

    /**
     * Reads {@code probe} until {@code accepted} holds for what it returns, and returns that value;
     * fails with {@code what}, the last value read and the last exception if that never happens.
     */
    public static <T> T value(String what, Probe<T> probe, Predicate<? super T> accepted) throws InterruptedException {
        return value(what, PATIENCE, probe, accepted);
    }

    private static <T> T value(String what, Duration patience, Probe<T> probe, Predicate<? super T> accepted)
            throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        T last = null;
        Exception lastError = null;
        while (true) {
            try {
                last = probe.read();
                lastError = null;
                if (accepted.test(last)) return last;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                lastError = e;
            }
            if (System.nanoTime() - deadline > 0) {
                AssertionError never = new AssertionError("never happened: " + what + " (last: " + last + ")");
                if (lastError != null) never.initCause(lastError);
                throw never;
            }
            Thread.sleep(POLL_MS);
        }
    }

    /**
     * The result of {@code f}; a failed future throws {@link ExecutionException} with the failure
     * as its cause (tests that expect a failure unwrap it).
     */
    public static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    /**
     * The result of {@code f} without checked exceptions: a failure is rethrown as it is when it is
     * unchecked, wrapped in an {@link AssertionError} otherwise.
     */
    public static <T> T join(Future<T> f) {
        try {
            return await(f);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new AssertionError(e.getCause());
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The failure of {@code f}; fails if {@code f} succeeds. */
    public static Throwable failure(Future<?> f) throws Exception {
        try {
            Object v = await(f);
            throw new AssertionError("expected a failure, got " + v);
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }
}
