package dev.posgate.gateway.posp.wire;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Journal writes that must not be lost when the database goes away in the middle of a
 * transaction (the row is open, the host may have approved): tried at once, then again every
 * second until they succeed or {@code maxAttempts} have failed. They are idempotent (an UPDATE to
 * a final status, an insert that ignores a duplicate). Only requests already inside the database
 * when it failed end up here, so they are bounded by the sessions' in-flight caps: new requests
 * fail at the journal insert and write nothing.
 */
public final class DeferredWrites {
    private static final Logger log = LoggerFactory.getLogger(DeferredWrites.class);
    private static final long RETRY_MS = 1_000;

    private final Vertx vertx;
    private final int maxAttempts;

    public DeferredWrites(Vertx vertx, int maxAttempts) {
        this.vertx = vertx;
        this.maxAttempts = maxAttempts;
    }

    /** Runs {@code write} until it succeeds; {@code what} names it in the logs (no PAN, no key). */
    void submit(String what, Supplier<Future<Void>> write) {
        attempt(what, write, 1);
    }

    private void attempt(String what, Supplier<Future<Void>> write, int n) {
        Future<Void> f;
        try {
            f = write.get();
        } catch (RuntimeException e) {
            f = Future.failedFuture(e);
        }
        f.onSuccess(v -> {
            if (n > 1) log.info("{} recorded after {} attempts", what, n);
        }).onFailure(e -> {
            if (n >= maxAttempts) {
                log.error("{} could not be recorded after {} attempts, giving up: {}", what, n, e.toString());
            } else {
                if (n == 1) log.warn("{} could not be recorded ({}), retrying every {} ms", what, e.toString(), RETRY_MS);
                vertx.setTimer(RETRY_MS, id -> attempt(what, write, n + 1));
            }
        });
    }
}
