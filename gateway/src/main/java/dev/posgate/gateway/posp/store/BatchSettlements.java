package dev.posgate.gateway.posp.store;

import dev.posgate.protocol.posp.BatchTotals;
import dev.posgate.protocol.posp.BatchUpload;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * The result of each settlement per (terminal, batch) and the batch upload that follows an
 * out-of-balance one (docs/posp.md, "Batch upload"): posp_batch_settlement and posp_batch_upload.
 */
public final class BatchSettlements {
    /** What the end of an upload found: the counts of the comparison with the journal. */
    public record Reconciliation(int declared, int uploaded, int matched, int amountDiffers, int onlyTerminal, int onlyGateway) {
        public boolean clean() {
            return declared == uploaded && amountDiffers == 0 && onlyTerminal == 0 && onlyGateway == 0;
        }
    }

    private final Pool pool;

    public BatchSettlements(Pool pool) {
        this.pool = pool;
    }

    /** Records a settlement (a repeated 0500 of the batch replaces the earlier result and any upload). */
    public Future<Void> settled(String tid, String batch, BatchTotals terminal, BatchTotals gateway, String hostCode) {
        boolean balanced = terminal.equals(gateway);
        return pool.withTransaction(c -> c.preparedQuery("delete from posp_batch_upload where tid = $1 and batch = $2")
                .execute(Tuple.of(tid, batch))
                .compose(v -> c.preparedQuery("insert into posp_batch_settlement (tid, batch, terminal_totals, gateway_totals,"
                                + " in_balance, host_code, state) values ($1, $2, $3, $4, $5, $6, $7)"
                                + " on conflict (tid, batch) do update set terminal_totals = excluded.terminal_totals,"
                                + " gateway_totals = excluded.gateway_totals, in_balance = excluded.in_balance,"
                                + " host_code = excluded.host_code, state = excluded.state, declared = null, uploaded = null,"
                                + " matched = null, amount_differs = null, only_terminal = null, only_gateway = null,"
                                + " settled_at = now(), reconciled_at = null")
                        .execute(Tuple.of(tid, batch, terminal.digits(), gateway.digits(), balanced, hostCode,
                                balanced ? "BALANCED" : "UPLOADING")))
                .mapEmpty());
    }

    /**
     * Keeps the uploaded transactions (a repeated one, same STAN, is kept once); false when the
     * batch is not waiting for an upload (no out-of-balance settlement, or reconciled already).
     */
    public Future<Boolean> upload(String tid, String batch, String uploadStan, List<BatchUpload.Item> items, List<String> maskedPans) {
        List<Tuple> rows = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            BatchUpload.Item it = items.get(i);
            rows.add(Tuple.of(tid, batch, it.stan(), it.cardClass(), maskedPans.get(i), it.amount(), uploadStan));
        }
        return pool.withTransaction(c -> c.preparedQuery("select 1 from posp_batch_settlement where tid = $1 and batch = $2"
                        + " and state = 'UPLOADING' for share")
                .execute(Tuple.of(tid, batch))
                .compose(open -> open.size() == 0 ? Future.succeededFuture(false)
                        : c.preparedQuery("insert into posp_batch_upload (tid, batch, stan, type_code, pan_masked, amount, upload_stan)"
                                + " values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing").executeBatch(rows).map(true)));
    }

    /** Money-moving kinds whose approved rows the terminal's upload lists. */
    private static final String MONEY = "('PURCHASE', 'COMPLETION', 'OFFLINE', 'ADJUSTMENT', 'VOID', 'COMPLETION_VOID', 'REFUND')";

    /**
     * The end of the upload: the uploaded transactions are compared with the journal's approved
     * debits and credits of the batch by STAN and amount, and the result recorded (RECONCILED);
     * null when the batch was not waiting for an upload.
     */
    public Future<Reconciliation> endUpload(String tid, String batch, int declared) {
        return pool.withTransaction(c -> c.preparedQuery("with j as (select stan, amount from posp_transaction where tid = $1"
                        + " and batch = $2 and mti in ('0200', '0220') and status = 'APPROVED' and kind in " + MONEY + "),"
                        + " u as (select stan, amount from posp_batch_upload where tid = $1 and batch = $2),"
                        + " r as (select count(u.stan) as uploaded,"
                        + " count(*) filter (where j.stan is not null and u.stan is not null and j.amount = u.amount) as matched,"
                        + " count(*) filter (where j.stan is not null and u.stan is not null and j.amount <> u.amount) as differs,"
                        + " count(*) filter (where j.stan is null) as only_terminal,"
                        + " count(*) filter (where u.stan is null) as only_gateway from j full join u on j.stan = u.stan)"
                        + " update posp_batch_settlement s set state = 'RECONCILED', declared = $3, uploaded = r.uploaded,"
                        + " matched = r.matched, amount_differs = r.differs, only_terminal = r.only_terminal,"
                        + " only_gateway = r.only_gateway, reconciled_at = now() from r"
                        + " where s.tid = $1 and s.batch = $2 and s.state = 'UPLOADING'"
                        + " returning s.uploaded, s.matched, s.amount_differs, s.only_terminal, s.only_gateway")
                .execute(Tuple.of(tid, batch, declared))
                .map(rows -> {
                    if (rows.size() == 0) return null;
                    Row r = rows.iterator().next();
                    return new Reconciliation(declared, r.getInteger(0), r.getInteger(1), r.getInteger(2), r.getInteger(3),
                            r.getInteger(4));
                }));
    }
}
