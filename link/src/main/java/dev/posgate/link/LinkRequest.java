package dev.posgate.link;

import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import java.time.Duration;

/** One request's journey through a pool; touched on its partition's context only (handed over whole). */
final class LinkRequest<Req, Rep> {
    final Req value;
    final String description;
    /** A health probe: not metered, never queued, never resent. */
    final boolean internal;
    final Duration timeout;
    final long startNanos;
    final Promise<Rep> promise;
    /** The context the request was made on (its promise's), or null for a probe. */
    final ContextInternal caller;
    /**
     * The partition that holds the request (the pool's inner type, hence Object); read by other
     * partitions to route a reply that arrived on their connection.
     */
    volatile Object partition;
    /** The request's own id while it is registered link-wide, or null. */
    String ownId;
    /** Times the request moved to another partition because its own had no connection up. */
    int handOvers;
    Ticker.Timer timer;
    LinkConnection<Req, Rep> conn;
    String id;
    boolean written;
    boolean done;
    boolean queued;
    int sends;

    LinkRequest(Req value, String description, boolean internal, Duration timeout, long startNanos, Promise<Rep> promise,
            ContextInternal caller) {
        this.value = value;
        this.description = description;
        this.internal = internal;
        this.timeout = timeout;
        this.startNanos = startNanos;
        this.promise = promise;
        this.caller = caller;
    }
}
