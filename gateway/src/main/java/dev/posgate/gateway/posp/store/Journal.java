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

    /**
     * A 0100 or 0200 whose reversal the host acknowledged: REVERSED (out of the totals). When it was
     * APPROVED, what it did to its original is undone (a reversed cancel or completion gives the
     * pre-auth back its APPROVED status, a reversed completion void completes it again).
     */
    Future<Void> markReversed(String tid, String batch, String stan);

    /** The 0100, 0200 or 0220 with this STAN in this batch (the row a later message names), or null. */
    Future<TransactionJournal.Original> original(String tid, String batch, String stan);

    /**
     * The pre-auth family's move, in one statement: row {@code targetId} goes from {@code from} to
     * {@code to} only if it is in {@code from} (for a completion void: only while the completion
     * {@code originalId} is the pre-auth's live completion, not voided yet), and the message's row
     * (tid, batch, stan, mti) is linked to {@code originalId}. False, and nothing written, otherwise.
     */
    Future<Boolean> claim(String tid, String batch, String stan, String mti, TransactionJournal.Kind kind, long originalId,
            long targetId, JournalStatus from, JournalStatus to);

    /** Undoes a {@link #claim} whose message was not approved: {@code targetId} back from {@code to} to {@code from}. */
    Future<Void> release(long targetId, JournalStatus from, JournalStatus to);

    /**
     * Accepts the PENDING advice (tid, batch, stan, mti) with {@code advice} (the packed upstream
     * 0220, stored only encrypted under the advice DEK by {@link AdviceVault}; {@code advice} is
     * wiped) queued for forwarding and {@code effect} applied to {@code originalId}, all in one
     * statement; false, and nothing written, when the effect does not apply (a refund over what is
     * left of its original, an original moved meanwhile).
     */
    Future<Boolean> accept(String tid, String batch, String stan, String mti, TransactionJournal.Effect effect, Long originalId,
            long amount, byte[] advice);

    /** What has been refunded of the 0200 (tid, batch, stan), read under its row lock; null when there is none. */
    Future<Long> refundedOf(String tid, String batch, String stan);
}
