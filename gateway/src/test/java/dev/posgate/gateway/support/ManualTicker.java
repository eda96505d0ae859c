package dev.posgate.gateway.support;

import dev.posgate.gateway.platform.time.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link Ticker} that moves only when the test says so. */
public final class ManualTicker implements Ticker {
    // far from 0 and from Long.MIN_VALUE, like a real nanoTime reading: no arithmetic edge is hidden
    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);

    @Override
    public long nanos() {
        return now.get();
    }

    /** Moves time forward by {@code d}. */
    public void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }
}
