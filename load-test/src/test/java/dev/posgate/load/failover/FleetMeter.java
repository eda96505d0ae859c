package dev.posgate.load.failover;

import java.util.concurrent.atomic.AtomicLongArray;

/** Purchases answered per second of the run, counted from every terminal's event loop. */
final class FleetMeter {
    private final long start = System.nanoTime();
    private final AtomicLongArray perSecond;

    FleetMeter(int seconds) {
        this.perSecond = new AtomicLongArray(seconds);
    }

    void answered() {
        int s = second(System.nanoTime());
        if (s < perSecond.length()) perSecond.incrementAndGet(s);
    }

    /** The second of the run {@code nanoTime} falls in. */
    int second(long nanoTime) {
        return (int) ((nanoTime - start) / 1_000_000_000L);
    }

    double millisSinceStart(long nanoTime) {
        return (nanoTime - start) / 1e6;
    }

    /** Mean answers per second over whole seconds [from, to). */
    double rate(int from, int to) {
        if (to <= from) return 0;
        long sum = 0;
        for (int s = from; s < to && s < perSecond.length(); s++) sum += perSecond.get(s);
        return (double) sum / (to - from);
    }

    /** "n n n ..." for seconds [0, to). */
    String timeline(int to) {
        StringBuilder b = new StringBuilder();
        for (int s = 0; s < to && s < perSecond.length(); s++) b.append(s == 0 ? "" : " ").append(perSecond.get(s));
        return b.toString();
    }
}
