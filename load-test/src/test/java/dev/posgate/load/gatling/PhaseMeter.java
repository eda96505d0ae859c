package dev.posgate.load.gatling;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Throughput of each request name over its own active window (first to last passing answer),
 * not over the whole run as Gatling's report counts it, so that phases run one after another
 * (echo, then sign-ons, then purchases) can be compared. Latency percentiles come from Gatling.
 */
final class PhaseMeter {
    private static final class Window {
        final AtomicLong count = new AtomicLong();
        final AtomicLong first = new AtomicLong(Long.MAX_VALUE);
        final AtomicLong last = new AtomicLong(Long.MIN_VALUE);

        void record(long now) {
            count.incrementAndGet();
            first.accumulateAndGet(now, Math::min);
            last.accumulateAndGet(now, Math::max);
        }

        double perSecond() {
            long n = count.get();
            long span = last.get() - first.get();
            return n < 2 || span <= 0 ? 0 : (n - 1) * 1e9 / span;
        }
    }

    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    void record(String name) {
        windows.computeIfAbsent(name, n -> new Window()).record(System.nanoTime());
    }

    long count(String name) {
        Window w = windows.get(name);
        return w == null ? 0 : w.count.get();
    }

    /** System.nanoTime() of the first and the last passing answer, or null if none. */
    long[] window(String name) {
        Window w = windows.get(name);
        return w == null || w.count.get() == 0 ? null : new long[] {w.first.get(), w.last.get()};
    }

    double perSecond(String name) {
        Window w = windows.get(name);
        return w == null ? 0 : w.perSecond();
    }
}
