package dev.posgate.gateway.platform.server;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps on terminal connections, in total and per source address, shared by every listener
 * instance (they run on different event loops, hence the atomics). A refused connection is
 * closed at accept, before any buffer is allocated for it.
 */
public final class ConnectionGuard {
    private final int maxTotal;
    private final int maxPerIp;
    private final AtomicInteger total = new AtomicInteger();
    // compute() is atomic per key, so a count and its removal at zero cannot interleave.
    private final ConcurrentMap<String, Integer> perIp = new ConcurrentHashMap<>();
    private volatile boolean draining;

    public ConnectionGuard(int maxTotal, int maxPerIp) {
        this.maxTotal = maxTotal;
        this.maxPerIp = maxPerIp;
    }

    /** Why a connection was refused, as a metric label; null when admitted. */
    public String tryAdmit(String ip) {
        if (draining) return "draining";
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            return "total_cap";
        }
        boolean[] admitted = {false};
        perIp.compute(ip, (k, n) -> {
            int count = n == null ? 0 : n;
            if (count >= maxPerIp) return n;
            admitted[0] = true;
            return count + 1;
        });
        if (!admitted[0]) {
            total.decrementAndGet();
            return "ip_cap";
        }
        return null;
    }

    public void release(String ip) {
        total.decrementAndGet();
        perIp.computeIfPresent(ip, (k, n) -> n <= 1 ? null : n - 1);
    }

    public void startDraining() {
        draining = true;
    }

    public boolean draining() {
        return draining;
    }

    public int total() {
        return total.get();
    }
}
