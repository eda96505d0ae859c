package dev.posgate.hsm.pool;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import org.junit.jupiter.api.Test;

/**
 * A call from a worker context (blocking code that asks the HSM) completes on that worker context,
 * not on the pool's; {@link HsmPoolCallerContextTest} covers event-loop callers and every outcome.
 * Checked by context identity, not only by thread.
 */
class HsmPoolWorkerContextTest extends PoolTestSupport {

    /** Where a reply was handled: the context and thread of the completion, and the caller's. */
    private record Where(Context caller, Thread callerThread, Context completion, Thread completionThread, String reply) {}

    @Test
    void aCallFromAWorkerCompletesOnThatWorkerContext() {
        HsmPool pool = started(config(server()).connectionsPerHost(1).build());
        Context worker = ((VertxInternal) vertx).createWorkerContext();
        assertTrue(worker.isWorkerContext());

        Where where = await(callFrom(worker, pool));

        assertSame(worker, where.completion(), "completed on the caller's worker context");
    }

    private static Future<Where> callFrom(Context caller, HsmPool pool) {
        Promise<Where> where = Promise.promise();
        caller.runOnContext(v -> {
            Context callingContext = Vertx.currentContext();
            Thread callingThread = Thread.currentThread();
            pool.execute(b("EC0001")).onComplete(ar -> {
                if (ar.failed()) {
                    where.fail(ar.cause());
                } else {
                    where.complete(new Where(callingContext, callingThread, Vertx.currentContext(),
                            Thread.currentThread(), s(ar.result())));
                }
            });
        });
        return where.future();
    }
}
