package dev.posgate.gateway.platform.server;

import io.vertx.core.shareddata.Shareable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * New connections per source IP, shared by every listener instance (plain and TLS, on different
 * event loops): one atomic arrival time per address, updated by compare-and-set. Addresses whose
 * bucket has refilled are swept away, so the map holds only recent senders.
 */
final class IpConnectionRate implements Shareable {
    private final RateLimit limit;
    private final ConcurrentMap<String, AtomicLong> arrivals = new ConcurrentHashMap<>();

    IpConnectionRate(RateLimit limit) {
        this.limit = limit;
    }

    boolean admit(String ip, long now) {
        AtomicLong tat = arrivals.get(ip);
        if (tat == null) tat = arrivals.computeIfAbsent(ip, k -> new AtomicLong(RateLimit.FRESH));
        while (true) {
            long current = tat.get();
            long next = limit.admit(current, now);
            if (next == current) return false;
            if (tat.compareAndSet(current, next)) return true;
        }
    }

    /** Forgets addresses with a full bucket again (their next connection is admitted either way). */
    void sweep(long now) {
        arrivals.values().removeIf(tat -> tat.get() <= now);
    }

    int tracked() {
        return arrivals.size();
    }
}
