package dev.posgate.gateway.posp.store;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.sqlclient.DatabaseException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One prepared statement's executions that an event loop asks for in one turn (typically the
 * transactions whose messages or HSM replies arrived in one read), sent to PostgreSQL as one
 * pipelined batch in one implicit transaction: one round trip and one commit for all of them
 * (issue 19). Named after the database technique it is: several writers made durable by one
 * commit, each told only after that commit, so a caller still acts only once its own row is
 * durable. Unlike the server's own group commit the rows share one transaction, so one refused
 * row would abort its neighbours: when the server refuses the batch (a bad row, or a deadlock
 * with another loop's batch taking the same keys in another order; nothing in it committed),
 * each row is executed again alone, in the callers' order, and each caller gets its own outcome.
 * A batch lost with its connection (it may have committed) fails every caller, as a lone
 * statement would. Calls from outside an event loop run alone.
 *
 * @param <T> what a caller learns from its row's result
 */
final class GroupCommit<T> {

    /** One loop's executions waiting for the end of its turn; touched on that loop only. */
    private static final class Batch<T> {
        List<Tuple> rows = new ArrayList<>();
        List<Promise<T>> waiting = new ArrayList<>();
    }

    private final Pool pool;
    private final String sql;
    private final Function<RowSet<Row>, T> outcome;
    private final Map<Thread, Batch<T>> batches = new ConcurrentHashMap<>();

    /** {@code outcome} maps the result of one row's execution (its own rows, e.g. RETURNING). */
    GroupCommit(Pool pool, String sql, Function<RowSet<Row>, T> outcome) {
        this.pool = pool;
        this.sql = sql;
        this.outcome = outcome;
    }

    /** Executes {@code sql} with {@code row}; completes after the commit that made it durable. */
    Future<T> execute(Tuple row) {
        ContextInternal ctx = (ContextInternal) Vertx.currentContext();
        if (ctx == null || !ctx.isEventLoopContext() || !ctx.inThread()) return alone(row);
        Batch<T> batch = batches.computeIfAbsent(Thread.currentThread(), t -> new Batch<>());
        if (batch.rows.isEmpty()) ctx.runOnContext(v -> flush(batch));
        Promise<T> done = ctx.promise();
        batch.rows.add(row);
        batch.waiting.add(done);
        return done.future();
    }

    /** At the end of the loop's turn: everything asked for so far, in one round trip. */
    private void flush(Batch<T> batch) {
        List<Tuple> rows = batch.rows;
        List<Promise<T>> waiting = batch.waiting;
        batch.rows = new ArrayList<>();
        batch.waiting = new ArrayList<>();
        if (rows.size() == 1) {
            alone(rows.get(0)).onComplete(waiting.get(0));
            return;
        }
        pool.preparedQuery(sql).executeBatch(rows).onComplete(ar -> {
            if (ar.succeeded()) {
                // one result per row, in the rows' order, chained by next()
                RowSet<Row> result = ar.result();
                for (Promise<T> p : waiting) {
                    if (result == null) {
                        p.fail(new IllegalStateException("a batch of " + rows.size() + " rows returned fewer results"));
                        continue;
                    }
                    p.complete(outcome.apply(result));
                    result = result.next();
                }
            } else if (ar.cause() instanceof DatabaseException) {
                oneByOne(rows, waiting, 0);
            } else {
                for (Promise<T> p : waiting) p.fail(ar.cause());
            }
        });
    }

    /**
     * The server refused the batch and rolled all of it back: each row again alone, one after the
     * other so that rows of the same key keep their order (the first of two duplicates still wins).
     */
    private void oneByOne(List<Tuple> rows, List<Promise<T>> waiting, int i) {
        if (i == rows.size()) return;
        alone(rows.get(i)).onComplete(ar -> {
            waiting.get(i).handle(ar);
            oneByOne(rows, waiting, i + 1);
        });
    }

    private Future<T> alone(Tuple row) {
        return pool.preparedQuery(sql).execute(row).map(outcome);
    }
}
