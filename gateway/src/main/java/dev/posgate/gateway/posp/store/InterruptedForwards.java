package dev.posgate.gateway.posp.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Journal rows a gateway process left PENDING when it died (SIGKILL, power loss) with the message
 * possibly forwarded: nobody answered the terminal and no upstream timeout fired, so no reversal
 * was queued. A row still PENDING after {@code staleAfter} — longer than any live node takes to
 * close one (the upstream timeout plus the HSM commands on the path) — gets the reversal stored
 * with it queued, and is closed as the timeout path would have closed it: a purchase or void
 * TIMED_OUT (REVERSED once the host acknowledges), a terminal's own reversal APPROVED (store and
 * forward). Claimed with SKIP LOCKED in one transaction with the queue insert, so two nodes never
 * resolve one row and a crash between the two writes loses nothing.
 */
public final class InterruptedForwards {
    private static final Logger log = LoggerFactory.getLogger(InterruptedForwards.class);
    private static final int BATCH = 50;

    private final Vertx vertx;
    private final Pool pool;
    private final Duration staleAfter;
    private final Duration period;
    private long timer = -1;
    private boolean scanning;

    public InterruptedForwards(Vertx vertx, Pool pool, Duration staleAfter, Duration period) {
        this.vertx = vertx;
        this.pool = pool;
        this.staleAfter = staleAfter;
        this.period = period;
    }

    public void start() {
        timer = vertx.setPeriodic(100, period.toMillis(), id -> scan());
    }

    public void stop() {
        if (timer >= 0) vertx.cancelTimer(timer);
    }

    /**
     * A pre-auth cancel, completion or completion void left PENDING had moved its pre-auth
     * (docs/posp.md "Pre-authorisation"); being reversed, it gives the move back, as a live node
     * does when such a message ends without approval.
     */
    private static final String GIVE_BACK = "update posp_transaction p set status = case c.kind when 'COMPLETION_VOID'"
            + " then 'COMPLETED' else 'APPROVED' end, updated_at = now() from posp_transaction c"
            + " where c.id = any($1) and c.orig_id is not null and c.kind in ('PREAUTH_CANCEL', 'COMPLETION', 'COMPLETION_VOID')"
            + " and p.id = case when c.kind = 'COMPLETION_VOID' then (select x.orig_id from posp_transaction x where x.id = c.orig_id)"
            + " else c.orig_id end"
            + " and p.status = case c.kind when 'PREAUTH_CANCEL' then 'CANCELLED' when 'COMPLETION' then 'COMPLETED' else 'APPROVED' end";

    /**
     * A 0220 advice left PENDING by a dead process was never accepted (acceptance is one statement
     * that applies its effect and queues it), so nothing was applied and nothing is owed: it is
     * closed FAILED, and the terminal's resend of it is opened again and processed
     * ({@link TransactionJournal#open}).
     */
    private Future<Void> failStaleAdvices() {
        return pool.preparedQuery("update posp_transaction set status = 'FAILED', response_code = '96', updated_at = now()"
                        + " where status = 'PENDING' and mti in ('0220', '0620', '0320') and advice_state is null"
                        + " and updated_at < now() - make_interval(secs => $1)")
                .execute(Tuple.of(staleAfter.toMillis() / 1000.0))
                .onSuccess(rows -> {
                    if (rows.rowCount() > 0) log.warn("{} advice(s) left PENDING by a stopped process: closed FAILED", rows.rowCount());
                })
                .mapEmpty();
    }

    /** Resolves the stale rows found; returns how many. */
    Future<Integer> scan() {
        if (scanning) return Future.succeededFuture(0);
        scanning = true;
        return failStaleAdvices().compose(stale -> pool.withTransaction(tx -> tx.preparedQuery("select id, tid, stan, kind, reversal from posp_transaction"
                                + " where status = 'PENDING' and reversal is not null and updated_at < now() - make_interval(secs => $1)"
                                + " order by id limit $2 for update skip locked")
                        .execute(Tuple.of(staleAfter.toMillis() / 1000.0, BATCH))
                        .compose(rows -> {
                            if (rows.size() == 0) return Future.succeededFuture(0);
                            List<Tuple> queued = new ArrayList<>();
                            List<Tuple> closed = new ArrayList<>();
                            for (Row r : rows) {
                                queued.add(Tuple.of(r.getString("tid"), r.getString("stan"), r.getBuffer("reversal")));
                                boolean terminalReversal = TransactionJournal.Kind.REVERSAL.name().equals(r.getString("kind"));
                                closed.add(Tuple.of(r.getLong("id"),
                                        (terminalReversal ? JournalStatus.APPROVED : JournalStatus.TIMED_OUT).name()));
                            }
                            return tx.preparedQuery("insert into posp_reversal (tid, stan, message) values ($1, $2, $3) on conflict do nothing")
                                    .executeBatch(queued)
                                    .compose(v -> tx.preparedQuery(GIVE_BACK).execute(Tuple.tuple().addArrayOfLong(
                                            closed.stream().map(t -> t.getLong(0)).toArray(Long[]::new))))
                                    .compose(v -> tx.preparedQuery("update posp_transaction set status = $2, reversal = null,"
                                            + " updated_at = now() where id = $1").executeBatch(closed))
                                    .map(v -> rows.size());
                        })))
                .onSuccess(n -> {
                    if (n > 0) log.warn("{} journal row(s) left PENDING by a stopped process: reversal queued", n);
                })
                .onFailure(e -> log.warn("interrupted-forward scan failed: {}", e.toString()))
                .onComplete(ar -> scanning = false);
    }
}
