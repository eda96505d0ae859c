package dev.posgate.link;

import io.vertx.core.Promise;
import java.time.Duration;

/** One request's journey through a pool; touched on the pool's context only. */
final class LinkRequest<Req, Rep> {
    final Req value;
    final String description;
    /** A health probe: not metered, never queued, never resent. */
    final boolean internal;
    final Duration timeout;
    final long startNanos;
    final Promise<Rep> promise;
    Ticker.Timer timer;
    LinkConnection<Req, Rep> conn;
    String id;
    boolean written;
    boolean done;
    boolean queued;
    int sends;

    LinkRequest(Req value, String description, boolean internal, Duration timeout, long startNanos, Promise<Rep> promise) {
        this.value = value;
        this.description = description;
        this.internal = internal;
        this.timeout = timeout;
        this.startNanos = startNanos;
        this.promise = promise;
    }
}
