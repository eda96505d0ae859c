package dev.posgate.gateway.posp.store;

/**
 * The life of a journal row (posp_transaction.status, text in SQL): PENDING from the insert
 * until the terminal is answered, then APPROVED, DECLINED (by the host or the gateway), FAILED
 * (it never reached the host: nothing to reverse), TIMED_OUT (it may have reached the host: a
 * reversal is queued) or REVERSED (a 0200 the host acknowledged the reversal of: out of the
 * totals). A pre-auth moves on from APPROVED to COMPLETED (an approved completion names it) or
 * CANCELLED (an approved cancel does), and back when that is voided or reversed. An offline
 * settlement (or adjustment) an accepted adjustment replaces is ADJUSTED (out of the totals).
 */
public enum JournalStatus {
    PENDING, APPROVED, DECLINED, FAILED, TIMED_OUT, REVERSED, COMPLETED, CANCELLED, ADJUSTED;

    /** The status as stored; null for none. */
    static JournalStatus of(String stored) {
        return stored == null ? null : valueOf(stored);
    }
}
