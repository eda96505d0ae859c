package dev.posgate.link;

/**
 * What a pool reports as it works, for its user to turn into meters (the HSM pool keeps its
 * {@code hsm.*} names). Called on the contexts of the pool's partitions, several event loops
 * at once when the pool spreads over them ({@link LinkPoolOptions#perEventLoop}): an implementation
 * must be thread-safe (atomics, Micrometer meters, concurrent maps). Every method defaults to nothing.
 */
public interface LinkMetrics<Req, Rep> {
    /** How a request ended. */
    enum Outcome { OK, TIMEOUT, UNAVAILABLE, OVERSIZE }

    /** Why a reply frame was dropped. */
    enum Drop { UNKNOWN_ID, LATE, MALFORMED, OVERSIZE }

    /** A connection slot's state. */
    enum State { DOWN, CONNECTING, UP }

    /** A user request ended ({@code reply} only for {@link Outcome#OK}); probes are not reported. */
    default void completed(Req request, Outcome outcome, Rep reply, long nanos) {
    }

    /** Requests written or being written and awaiting their reply: +1 / -1. */
    default void inflight(int delta) {
    }

    /** Requests waiting for a free connection: +1 / -1. */
    default void queued(int delta) {
    }

    /** A slot changed state (every slot starts {@link State#DOWN}). */
    default void state(State from, State to) {
    }

    default void dropped(Drop reason) {
    }

    /** A health probe (including a new connection's) passed or failed. */
    default void health(boolean ok) {
    }
}
