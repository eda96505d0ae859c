package dev.posgate.gateway.platform.routing;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Handler failures, logged at most once per interval per kind (message type and exception class)
 * with the count of those not logged: while a dependency is down every request fails the same
 * way, and one line per request would bury the cause (the per-request count is in the metrics).
 */
final class FailureLog {
    private final Logger log;
    private final long intervalNanos;
    private final ConcurrentMap<String, Window> windows = new ConcurrentHashMap<>();

    private static final class Window {
        final AtomicLong openedAt;
        final AtomicLong suppressed = new AtomicLong();

        Window(long now) {
            openedAt = new AtomicLong(now);
        }
    }

    FailureLog(Logger log, long intervalNanos) {
        this.log = log;
        this.intervalNanos = intervalNanos;
    }

    /** Logs {@code e} for {@code type} unless one of its kind was logged within the interval. */
    void failed(Object session, String type, Throwable e, long now) {
        String kind = type + ' ' + e.getClass().getName();
        Window w = windows.get(kind);
        if (w == null) {
            Window fresh = new Window(now);
            w = windows.putIfAbsent(kind, fresh);
            if (w == null) {
                log.error("{}: {} handler failed: {}", session, type, e.toString());
                return;
            }
        }
        long opened = w.openedAt.get();
        if (now - opened < intervalNanos || !w.openedAt.compareAndSet(opened, now)) {
            w.suppressed.incrementAndGet();
            return;
        }
        long skipped = w.suppressed.getAndSet(0);
        log.error("{}: {} handler failed: {} ({} more like it not logged in the last {} s)", session, type, e.toString(),
                skipped, (now - opened) / 1_000_000_000L);
    }
}
