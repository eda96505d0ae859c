package dev.posgate.link;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The connection slots of a pool and the choice among them: the up connection with the fewest
 * requests in flight and room for one more, a rotating start breaking ties so that load alternates
 * between hosts. Confined to its partition's context (see {@link LinkPool}).
 */
final class LinkSlots<Req, Rep> implements Iterable<LinkSlot<Req, Rep>> {
    private final List<LinkSlot<Req, Rep>> slots;
    private final int maxInFlight;
    private int up;
    private int roundRobin;

    /**
     * The slots of partition {@code partition} of {@code partitions}: the connection indexes
     * {@code i} with {@code i % partitions == partition}, to every host.
     */
    LinkSlots(List<HostAndPort> hosts, int perHost, int maxInFlight, int partition, int partitions) {
        List<LinkSlot<Req, Rep>> s = new ArrayList<>();
        // interleave hosts so that round-robin alternates between them
        for (int i = partition; i < perHost; i += partitions) {
            for (HostAndPort h : hosts) {
                s.add(new LinkSlot<>(h, i));
            }
        }
        this.slots = List.copyOf(s);
        this.maxInFlight = maxInFlight;
    }

    @Override
    public Iterator<LinkSlot<Req, Rep>> iterator() {
        return slots.iterator();
    }

    int size() {
        return slots.size();
    }

    /** Slots up. */
    int up() {
        return up;
    }

    /**
     * Moves {@code slot} to {@code state}; returns +1 when this brought the first slot up, -1 when it
     * took the last one down, 0 otherwise.
     */
    int setState(LinkSlot<Req, Rep> slot, LinkMetrics.State state) {
        LinkMetrics.State old = slot.state;
        slot.state = state;
        if (state == LinkMetrics.State.UP && old != LinkMetrics.State.UP) {
            return up++ == 0 ? 1 : 0;
        }
        if (old == LinkMetrics.State.UP && state != LinkMetrics.State.UP) {
            return --up == 0 ? -1 : 0;
        }
        return 0;
    }

    /** Least in-flight among up connections with room; {@code null} when all are full or down. */
    LinkConnection<Req, Rep> pick() {
        int n = slots.size();
        LinkConnection<Req, Rep> best = null;
        int start = roundRobin;
        roundRobin = (roundRobin + 1) % n;
        for (int i = 0; i < n; i++) {
            LinkConnection<Req, Rep> c = slots.get((start + i) % n).usable();
            if (c == null) continue;
            int load = c.inflight.size();
            if (load >= maxInFlight) continue;
            if (best == null || load < best.inflight.size()) best = c;
        }
        return best;
    }

    /** The slot whose current connection is {@code conn}, if any. */
    LinkSlot<Req, Rep> slotOf(LinkConnection<Req, Rep> conn) {
        for (LinkSlot<Req, Rep> s : slots) {
            if (s.conn == conn) return s;
        }
        return null;
    }

    /** The request in flight with {@code id} on any connection (ids unique link-wide), or null. */
    LinkRequest<Req, Rep> inFlight(String id) {
        for (LinkSlot<Req, Rep> s : slots) {
            LinkRequest<Req, Rep> r = s.conn == null ? null : s.conn.inflight.get(id);
            if (r != null) return r;
        }
        return null;
    }
}
