package dev.posgate.hsm.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import org.junit.jupiter.api.Test;

/**
 * The pool runs on a context of its own, but the future {@link HsmPool#execute} returns completes on
 * the caller's: a session confined to its event loop continues there. Checked by context identity,
 * not only by thread, since the pool's context may share an event-loop thread with the caller's.
 */
class HsmPoolContextTest extends PoolTestSupport {

    /** Where a reply was handled: the context and thread of the completion, and the caller's. */
    private record Where(Context caller, Thread callerThread, Context completion, Thread completionThread, String reply) {}

    @Test
    void aCallFromAnEventLoopCompletesOnThatEventLoop() {
        HsmPool pool = started(config(server()).connectionsPerHost(1).build());
        Context caller = vertx.getOrCreateContext();
        assertTrue(caller.isEventLoopContext());

        Where where = await(callFrom(caller, pool));

        assertEquals("ED00", where.reply().substring(0, 4));
        assertSame(where.caller(), where.completion(), "completed on the caller's context");
        assertSame(where.callerThread(), where.completionThread(), "completed on the caller's event-loop thread");
    }

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
