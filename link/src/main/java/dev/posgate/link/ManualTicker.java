package dev.posgate.link;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A {@link Ticker} that only moves when a test calls {@link #advance}. Due tasks run in due order,
 * each on the Vert.x context that scheduled it (or on the caller's thread when scheduled outside
 * one), so a pool under test keeps its thread confinement. Thread-safe.
 */
public final class ManualTicker implements Ticker {
    private record Task(long due, long seq, Context context, Runnable run, boolean[] cancelled) {}

    private final List<Task> tasks = new ArrayList<>();
    private long now;
    private long seq;

    @Override
    public synchronized long nanos() {
        return now;
    }

    @Override
    public synchronized Timer schedule(Duration delay, Runnable task) {
        boolean[] cancelled = {false};
        tasks.add(new Task(now + Math.max(0, delay.toNanos()), seq++, Vertx.currentContext(), task, cancelled));
        return () -> {
            synchronized (ManualTicker.this) {
                cancelled[0] = true;
            }
        };
    }

    /** Moves time forward by {@code by} and runs every task now due. */
    public void advance(Duration by) {
        List<Task> due = new ArrayList<>();
        synchronized (this) {
            now += by.toNanos();
            for (Task t : tasks) {
                if (t.due <= now) due.add(t);
            }
            tasks.removeAll(due);
        }
        due.sort(Comparator.comparingLong(Task::due).thenComparingLong(Task::seq));
        for (Task t : due) {
            Runnable guarded = () -> {
                boolean skip;
                synchronized (this) {
                    skip = t.cancelled[0];
                }
                if (!skip) t.run.run();
            };
            if (t.context != null) {
                t.context.runOnContext(v -> guarded.run());
            } else {
                guarded.run();
            }
        }
    }

    /** Tasks scheduled and neither run nor cancelled (a test waits for a timer to be armed). */
    public synchronized int pending() {
        int n = 0;
        for (Task t : tasks) {
            if (!t.cancelled[0]) n++;
        }
        return n;
    }
}
