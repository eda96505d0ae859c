package dev.posgate.gateway.posp.store;

import dev.posgate.protocol.posp.BatchTotals;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * Financial messages the POSP accepted (after their MAC verified), one row per (terminal, batch,
 * STAN, MTI). The unique key is the duplicate-transmission check: a second row is refused and the
 * terminal gets {@code 94}. Only a masked PAN is kept. {@link #totals} are the settlement totals:
 * approved purchases (debits) and approved voids (credits), reversed ones excluded.
 */
public final class TransactionJournal implements Journal {
    public enum Kind { PURCHASE, BALANCE, VOID, REVERSAL }

    private final Pool pool;

    public TransactionJournal(Pool pool) {
        this.pool = pool;
    }

    /**
     * Records a new message as PENDING; false when (tid, batch, stan, mti) was seen before. A
     * terminal repeats a 0400 with the same STAN until it is answered, so a 0400 whose earlier
     * attempt FAILED (it never reached the host) is opened again instead.
     * {@code reversal} (packed upstream 0400, no PAN or PIN; null when none would be owed) is what
     * {@link InterruptedForwards} queues if this process dies before closing the row.
     */
    @Override
    public Future<Boolean> open(String tid, String batch, String stan, String mti, Kind kind, long amount,
            String panMasked, String origStan, byte[] reversal) {
        return pool.preparedQuery("insert into posp_transaction (tid, batch, stan, mti, kind, amount, pan_masked, orig_stan, status,"
                        + " reversal) values ($1, $2, $3, $4, $5, $6, $7, $8, 'PENDING', $9)"
                        + " on conflict (tid, batch, stan, mti) do update set status = 'PENDING', reversal = excluded.reversal,"
                        + " response_code = null, updated_at = now()"
                        + " where posp_transaction.mti = '0400' and posp_transaction.status = 'FAILED' returning id")
                .execute(Tuple.of(tid, batch, stan, mti, kind.name(), amount, panMasked, origStan,
                        reversal == null ? null : Buffer.buffer(reversal)))
                .map(rows -> rows.size() == 1);
    }

    @Override
    public Future<Void> close(String tid, String batch, String stan, String mti, JournalStatus status, String code,
            String rrn, String authCode) {
        return pool.preparedQuery("update posp_transaction set status = $5, response_code = $6, rrn = $7, auth_code = $8,"
                        + " reversal = null, updated_at = now() where tid = $1 and batch = $2 and stan = $3 and mti = $4")
                .execute(Tuple.of(tid, batch, stan, mti, status.name(), code, rrn, authCode))
                .mapEmpty();
    }

    /** Status and response code of a journalled message. */
    public record Outcome(JournalStatus status, String responseCode) {}

    /** The outcome of (tid, batch, stan, mti) as journalled (it exists). */
    @Override
    public Future<Outcome> outcome(String tid, String batch, String stan, String mti) {
        return pool.preparedQuery("select status, response_code from posp_transaction where tid = $1 and batch = $2 and stan = $3"
                        + " and mti = $4")
                .execute(Tuple.of(tid, batch, stan, mti))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new Outcome(JournalStatus.of(r.getString("status")), r.getString("response_code"));
                });
    }

    /** The status of the 0200 with this STAN in this batch, or null. */
    @Override
    public Future<JournalStatus> statusOf(String tid, String batch, String stan) {
        return pool.preparedQuery("select status from posp_transaction where tid = $1 and batch = $2 and stan = $3 and mti = '0200'")
                .execute(Tuple.of(tid, batch, stan))
                .map(rows -> rows.size() == 0 ? null : JournalStatus.of(rows.iterator().next().getString(0)));
    }

    /** A 0200 reversed (by the terminal's 0400 or by the gateway after a timeout) leaves the totals. */
    @Override
    public Future<Void> markReversed(String tid, String batch, String stan) {
        return pool.preparedQuery("update posp_transaction set status = 'REVERSED', reversal = null, updated_at = now()"
                        + " where tid = $1 and batch = $2 and stan = $3 and mti = '0200'")
                .execute(Tuple.of(tid, batch, stan))
                .mapEmpty();
    }

    public Future<BatchTotals> totals(String tid, String batch) {
        return pool.preparedQuery("select"
                        + " count(*) filter (where kind = 'PURCHASE') as dc, coalesce(sum(amount) filter (where kind = 'PURCHASE'), 0) as da,"
                        + " count(*) filter (where kind = 'VOID') as cc, coalesce(sum(amount) filter (where kind = 'VOID'), 0) as ca"
                        + " from posp_transaction where tid = $1 and batch = $2 and mti = '0200' and status = 'APPROVED'")
                .execute(Tuple.of(tid, batch))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new BatchTotals(r.getLong("dc").intValue(), r.getLong("da"), r.getLong("cc").intValue(), r.getLong("ca"));
                });
    }
}
