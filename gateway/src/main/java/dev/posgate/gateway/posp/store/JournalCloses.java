package dev.posgate.gateway.posp.store;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Journal rows closed together: the closes an event loop asks for in one turn (typically the
 * transactions whose HSM replies arrived in one read) go to PostgreSQL as one pipelined batch of
 * the same prepared UPDATE, each row looked up by its unique key as before, in one implicit
 * transaction: one round trip and one commit for all of them (issue 19, "closing rows batched
 * without weakening what a crash leaves behind"). Each caller's future completes only when the
 * batch has committed, so a terminal still hears its answer after its row is durable; if the
 * batch fails, every close in it fails and each takes the path a failed close always took.
 * Calls from outside an event loop run alone.
 */
final class JournalCloses {
    static final String CLOSE = "update posp_transaction set status = $5, response_code = $6, rrn = $7, auth_code = $8,"
            + " reversal = null, updated_at = now() where tid = $1 and batch = $2 and stan = $3 and mti = $4";

    /** One loop's closes waiting for the end of its turn; touched on that loop only. */
    private static final class Batch {
        List<Tuple> rows = new ArrayList<>();
        List<Promise<Void>> waiting = new ArrayList<>();
    }

    private final Pool pool;
    private final Map<Thread, Batch> batches = new ConcurrentHashMap<>();

    JournalCloses(Pool pool) {
        this.pool = pool;
    }

    Future<Void> close(Tuple row) {
        ContextInternal ctx = (ContextInternal) Vertx.currentContext();
        if (ctx == null || !ctx.isEventLoopContext() || !ctx.inThread()) {
            return pool.preparedQuery(CLOSE).execute(row).mapEmpty();
        }
        Batch batch = batches.computeIfAbsent(Thread.currentThread(), t -> new Batch());
        if (batch.rows.isEmpty()) ctx.runOnContext(v -> flush(batch));
        Promise<Void> done = ctx.promise();
        batch.rows.add(row);
        batch.waiting.add(done);
        return done.future();
    }

    /** At the end of the loop's turn: everything asked for so far, in one round trip. */
    private void flush(Batch batch) {
        List<Tuple> rows = batch.rows;
        List<Promise<Void>> waiting = batch.waiting;
        batch.rows = new ArrayList<>();
        batch.waiting = new ArrayList<>();
        Future<?> written = rows.size() == 1
                ? pool.preparedQuery(CLOSE).execute(rows.get(0))
                : pool.preparedQuery(CLOSE).executeBatch(rows);
        written.onComplete(ar -> {
            for (Promise<Void> p : waiting) {
                if (ar.succeeded()) p.complete();
                else p.fail(ar.cause());
            }
        });
    }
}
