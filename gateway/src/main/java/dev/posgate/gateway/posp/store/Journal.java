package dev.posgate.gateway.posp.store;

import io.vertx.core.Future;

/**
 * The journal step of the purchase path ({@link FinancialHandler}): one row per (terminal,
 * batch, STAN, MTI), opened before anything leaves for the host and closed with the answer.
 * {@link TransactionJournal} keeps it in PostgreSQL.
 */
public interface Journal {

    /**
     * Records a new message as PENDING, durable before it returns, with the packed upstream 0400
     * owed if this process dies before closing the row ({@code reversal}, null when none would be
     * owed); false when (tid, batch, stan, mti) was seen before (a 0400 whose earlier attempt
     * FAILED is opened again).
     */
    Future<Boolean> open(String tid, String batch, String stan, String mti, TransactionJournal.Kind kind, long amount,
            String panMasked, String origStan, byte[] reversal);

    /** The answer: its status, code and the host's references; the owed reversal is cleared. */
    Future<Void> close(String tid, String batch, String stan, String mti, JournalStatus status, String code, String rrn,
            String authCode);

    /** The outcome of (tid, batch, stan, mti) as journalled (it exists). */
    Future<TransactionJournal.Outcome> outcome(String tid, String batch, String stan, String mti);

    /** The status of the 0200 with this STAN in this batch, or null. */
    Future<JournalStatus> statusOf(String tid, String batch, String stan);

    /** A 0200 whose reversal the host acknowledged leaves the totals. */
    Future<Void> markReversed(String tid, String batch, String stan);
}
