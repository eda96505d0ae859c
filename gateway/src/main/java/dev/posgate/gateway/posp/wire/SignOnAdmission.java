package dev.posgate.gateway.posp.wire;

import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.spi.GatewayContext;
import dev.posgate.gateway.spi.SessionContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Admits sign-ons at the rate this node sustains (issue 19, "fleet sign-on storm"): at most
 * {@code concurrent} sign-ons do their HSM and database work at once; the others wait in a FIFO
 * of at most {@code queueMax}, each started on its own session's event loop when a place frees.
 * Without it a storm started every sign-on's HSM work at once, then most of them failed waiting for
 * a pooled connection ({@code db.pool.wait.ms}) and were answered 96 with their work wasted.
 *
 * <p>A sign-on that finds the FIFO full, or waits longer than {@code maxWait}, is answered with
 * the caller's refusal at once, with no work done; one whose terminal disconnects while it waits
 * gives its place up. Node-local and thread-safe (one lock; sessions on every event loop share it).
 */
public final class SignOnAdmission {
    private final Vertx vertx;
    private final int concurrent;
    private final int queueMax;
    private final long maxWaitMs;
    private final Counter refusedFull;
    private final Counter refusedWait;
    private final Counter abandoned;
    private final Timer waited;

    /** Guarded by {@code this}. */
    private int inProgress;
    /** Oldest first; a set, so that a waiter leaves from the middle (timeout, disconnect) at no cost. Guarded by {@code this}. */
    private final LinkedHashSet<Waiter<?>> waiting = new LinkedHashSet<>();

    /** {@code concurrent} at least 1; {@code queueMax} 0 means none waits; {@code maxWait} at least 1 ms. */
    public SignOnAdmission(Vertx vertx, int concurrent, int queueMax, Duration maxWait, MeterRegistry registry) {
        if (concurrent < 1) throw new IllegalArgumentException("at least one sign-on must be admitted at once, got " + concurrent);
        if (queueMax < 0) throw new IllegalArgumentException("the sign-on queue bound must not be negative, got " + queueMax);
        this.vertx = vertx;
        this.concurrent = concurrent;
        this.queueMax = queueMax;
        this.maxWaitMs = Math.max(1, maxWait.toMillis());
        Gauge.builder("posgate_posp_sign_on_waiting", this, SignOnAdmission::waiting)
                .description("Sign-ons waiting for a place (posp.sign_on.concurrent.max in progress)").register(registry);
        Gauge.builder("posgate_posp_sign_on_in_progress", this, SignOnAdmission::inProgress)
                .description("Sign-ons doing their HSM and database work").register(registry);
        // both reasons exposed at zero from the start, so that rate() sees a series before the first refusal
        this.refusedFull = refusedCounter("queue_full", registry);
        this.refusedWait = refusedCounter("wait_timeout", registry);
        this.abandoned = Counter.builder("posgate_posp_sign_on_abandoned_total")
                .description("Sign-ons whose terminal disconnected while they waited (no work done)").register(registry);
        this.waited = Timer.builder("posgate_posp_sign_on_wait_seconds")
                .description("How long sign-ons that had to wait for a place waited before their work started").register(registry);
    }

    private static Counter refusedCounter(String reason, MeterRegistry registry) {
        return Counter.builder("posgate_posp_sign_on_refused_total")
                .description("Sign-ons answered 91 with no work done: the wait queue was full, or the wait too long")
                .tag("reason", reason).register(registry);
    }

    /**
     * posp.sign_on.concurrent.max (0: db.pool.size, the sign-on's statements then find a
     * connection), posp.sign_on.queue.max and posp.sign_on.queue.wait.ms.
     */
    public static SignOnAdmission configured(GatewayContext c) {
        int concurrent = c.config().integer(Setting.POSP_SIGN_ON_CONCURRENT);
        return new SignOnAdmission(c.vertx(), concurrent > 0 ? concurrent : c.config().integer(Setting.DB_POOL_SIZE),
                c.config().integer(Setting.POSP_SIGN_ON_QUEUE_MAX),
                Duration.ofMillis(c.config().integer(Setting.POSP_SIGN_ON_QUEUE_WAIT)), c.metrics().registry());
    }

    /**
     * Runs {@code work} now if a place is free, else when one frees up, on {@code session}'s event
     * loop (the caller's). {@code refusal} is the answer when the queue is full or the wait too long;
     * also what completes the future of a waiter whose terminal has gone (nobody reads it).
     */
    public <T> Future<T> run(SessionContext session, Supplier<Future<T>> work, Supplier<T> refusal) {
        Waiter<T> waiter;
        synchronized (this) {
            if (inProgress < concurrent) {
                inProgress++;
                waiter = null;
            } else if (waiting.size() >= queueMax) {
                refusedFull.increment();
                return Future.succeededFuture(refusal.get());
            } else {
                waiter = new Waiter<>(session, work, refusal);
                waiting.add(waiter);
            }
        }
        if (waiter == null) return start(work);
        waiter.arm();
        return waiter.promise.future();
    }

    /** The work in its place; the place passes on when it completes, however it completes. */
    private <T> Future<T> start(Supplier<Future<T>> work) {
        Future<T> done;
        try {
            done = work.get();
        } catch (RuntimeException e) {
            done = Future.failedFuture(e);
        }
        return done.onComplete(ar -> release());
    }

    /** A place freed: the oldest waiter takes it over, or it stays free. */
    private void release() {
        Waiter<?> next;
        synchronized (this) {
            Iterator<Waiter<?>> oldest = waiting.iterator();
            if (!oldest.hasNext()) {
                inProgress--;
                return;
            }
            next = oldest.next();
            oldest.remove();
        }
        next.session.runOnEventLoop(next::begin);
    }

    /** Removes {@code w} from the queue; false when it has left already (admitted, timed out, gone). */
    private synchronized boolean leave(Waiter<?> w) {
        return waiting.remove(w);
    }

    public synchronized int waiting() {
        return waiting.size();
    }

    public synchronized int inProgress() {
        return inProgress;
    }

    /** A queued sign-on; everything but the queue itself is touched on its session's event loop only. */
    private final class Waiter<T> {
        final SessionContext session;
        final Supplier<Future<T>> work;
        final Supplier<T> refusal;
        final Promise<T> promise = Promise.promise();
        final long queuedAt = System.nanoTime();
        long timer = -1;
        Runnable unlisten = () -> {};

        Waiter(SessionContext session, Supplier<Future<T>> work, Supplier<T> refusal) {
            this.session = session;
            this.work = work;
            this.refusal = refusal;
        }

        /** On the session's loop, right after queueing: the wait bound and the disconnect. */
        void arm() {
            // set from the session's loop, so the timer fires there
            timer = vertx.setTimer(maxWaitMs, id -> {
                if (!leave(this)) return;
                unlisten.run();
                refusedWait.increment();
                promise.complete(refusal.get());
            });
            unlisten = session.onClose(() -> {
                if (!leave(this)) return;
                vertx.cancelTimer(timer);
                abandoned.increment();
                promise.complete(refusal.get());
            });
        }

        /** On the session's loop, holding the place {@link #release} handed over. */
        void begin() {
            vertx.cancelTimer(timer);
            unlisten.run();
            if (session.closed()) {
                // gone between the hand-over and now: no work for it, the place passes on
                abandoned.increment();
                promise.complete(refusal.get());
                release();
                return;
            }
            waited.record(System.nanoTime() - queuedAt, TimeUnit.NANOSECONDS);
            start(work).onComplete(promise);
        }
    }
}
