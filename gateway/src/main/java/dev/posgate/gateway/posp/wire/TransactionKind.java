package dev.posgate.gateway.posp.wire;

import dev.posgate.gateway.spi.ResultCode;
import dev.posgate.gateway.posp.upstream.UpstreamMessages;
import dev.posgate.iso8583.pos.PosMessage;
import io.vertx.core.Future;
import dev.posgate.gateway.posp.store.Journal;
import dev.posgate.gateway.posp.store.JournalStatus;
import dev.posgate.gateway.posp.store.TransactionJournal;

/**
 * What sets the financial messages apart on the purchase path; {@link FinancialHandler}
 * runs the steps they share. The base class is the purchase; the others override the few places
 * where they differ.
 */
public abstract class TransactionKind {
    public static final TransactionKind PURCHASE = new Purchase();
    public static final TransactionKind BALANCE = new BalanceInquiry();
    public static final TransactionKind VOID = new VoidOfPurchase();
    public static final TransactionKind REVERSAL = new Reversal();
    public static final TransactionKind PREAUTH = new PreAuth();
    public static final TransactionKind PREAUTH_CANCEL = new PreAuthFollowUp(TransactionJournal.Kind.PREAUTH_CANCEL, -1);
    public static final TransactionKind COMPLETION_VOID = new CompletionVoid();
    /** Refund (0220, 60.1 25): an advice against an approved purchase or completion named by 61 and 37. */
    public static final TransactionKind REFUND = new Refund();
    /** Offline settlement (0220, 60.1 30): an advice of a sale the terminal approved offline. */
    public static final TransactionKind OFFLINE = new OfflineSettlement();
    /** Settlement adjustment (0220, 60.1 32): a new amount for the offline settlement named by 61. */
    public static final TransactionKind ADJUSTMENT = new Adjustment(false);
    /** Tip adjustment (0220, 60.1 34): as {@link #ADJUSTMENT}, the new amount not below the old one. */
    public static final TransactionKind TIP_ADJUSTMENT = new Adjustment(true);
    /** IC-card script result notification (0620): the card's script results (DF31 in 55), stored and forwarded. */
    public static final TransactionKind SCRIPT_RESULT = new IcNotice(TransactionJournal.Kind.SCRIPT_RESULT);
    /** IC-card TC upload (0320, 60.3 203): the transaction certificate (9F26 in 55) of an approved IC sale, stored and forwarded. */
    public static final TransactionKind TC_UPLOAD = new IcNotice(TransactionJournal.Kind.TC_UPLOAD);

    /**
     * Pre-auth completion, refused before the host ({@code 61}) when its amount exceeds the
     * authorised amount by more than {@code tolerancePercent} (posp.preauth.completion.tolerance.percent).
     */
    public static TransactionKind completion(int tolerancePercent) {
        if (tolerancePercent < 0) throw new IllegalArgumentException("tolerance must not be negative: " + tolerancePercent);
        return new PreAuthFollowUp(TransactionJournal.Kind.COMPLETION, tolerancePercent);
    }

    /** How a transaction ends: the journal status and the code the terminal gets. */
    record Decision(JournalStatus status, String code) {
        Decision(JournalStatus status, ResultCode code) {
            this(status, code.code());
        }
    }

    private final TransactionJournal.Kind journalKind;

    private TransactionKind(TransactionJournal.Kind journalKind) {
        this.journalKind = journalKind;
    }

    TransactionJournal.Kind journalKind() {
        return journalKind;
    }

    /** Whether the host must be told to undo it when its answer is lost. */
    boolean owesReversal() {
        return true;
    }

    /**
     * Whether it is an advice (0220): accepted durably and answered by the gateway, then forwarded
     * to the host by {@link dev.posgate.gateway.posp.upstream.AdviceQueue} until acknowledged.
     */
    boolean storeAndForward() {
        return false;
    }

    /**
     * Whether the stored advice keeps the PAN (field 2) for the host: only an offline settlement,
     * whose card the host has not seen; a refund and an adjustment name their original (61, 37).
     */
    boolean advicePan() {
        return false;
    }

    /** Whether a PIN block in field 52 is translated for the host. */
    boolean translatesPin() {
        return true;
    }

    /** The STAN of the original it names (61.2), journalled with it; null when none. */
    String originalStan(PosMessage request) {
        return null;
    }

    /** Checked after the journal, before the host: null to go on, else how it ends without the host. */
    Future<Decision> refusal(Journal journal, FinancialTransaction tx) {
        return Future.succeededFuture();
    }

    /** The code a repeat of an already journalled message gets; null for a duplicate ({@code 94}). */
    Future<String> answerToRepeat(Journal journal, FinancialTransaction tx) {
        return Future.succeededFuture();
    }

    /** After the host approved it, before the row is closed. */
    Future<Void> approved(Journal journal, FinancialTransaction tx) {
        return Future.succeededFuture();
    }

    /** The upstream 0400 owed for {@code up}: no PAN and no PIN (the host matches by terminal, batch and STAN). */
    PosMessage owedReversal(PosMessage up) {
        return UpstreamMessages.reversalOf(up);
    }

    /** How it ends when it may have reached the host but its answer is lost, its reversal queued. */
    Decision lost(String code) {
        return new Decision(JournalStatus.TIMED_OUT, code);
    }

    @Override
    public String toString() {
        return journalKind.name();
    }

    private static final class Purchase extends TransactionKind {
        Purchase() {
            super(TransactionJournal.Kind.PURCHASE);
        }
    }

    /** Changes nothing at the host: nothing to reverse. */
    private static final class BalanceInquiry extends TransactionKind {
        BalanceInquiry() {
            super(TransactionJournal.Kind.BALANCE);
        }

        @Override
        boolean owesReversal() {
            return false;
        }
    }

    /**
     * Forwarded only when the purchase it names (61.1 batch, 61.2 STAN) was approved, else {@code 25},
     * and nothing of it has been refunded, else {@code 12}.
     */
    private static final class VoidOfPurchase extends TransactionKind {
        VoidOfPurchase() {
            super(TransactionJournal.Kind.VOID);
        }

        @Override
        String originalStan(PosMessage request) {
            return stanOf61(request);
        }

        @Override
        Future<Decision> refusal(Journal journal, FinancialTransaction tx) {
            String origStan = stanOf61(tx.request());
            if (origStan == null) return malformed();
            String origBatch = originalBatch(tx.request());
            return journal.statusOf(tx.tid(), origBatch, origStan).compose(status -> status != JournalStatus.APPROVED
                    ? refused(ResultCode.NO_SUCH_RECORD)
                    // a purchase refunded in part or whole is not voided (the refunds would be credited twice): 12
                    : journal.refundedOf(tx.tid(), origBatch, origStan).map(refunded -> refunded != null && refunded > 0
                            ? new Decision(JournalStatus.DECLINED, ResultCode.INVALID_TRANSACTION) : null));
        }
    }

    /** 0100, 60.1 10: the host holds the amount; its auth code (38) is what a cancel or completion quotes. */
    private static final class PreAuth extends TransactionKind {
        PreAuth() {
            super(TransactionJournal.Kind.PREAUTH);
        }
    }

    /** 61.1 batch and 61.2 STAN of the original (61.3, its date MMDD, is carried to the host, not checked). */
    static String originalBatch(PosMessage request) {
        return names61(request) ? request.field(61).substring(0, 6) : null;
    }

    static String stanOf61(PosMessage request) {
        return names61(request) ? request.field(61).substring(6, 12) : null;
    }

    /** Whether 61 holds at least 61.1 and 61.2 (12 digits): a kind that names its original needs them, else {@code 30}. */
    static boolean names61(PosMessage request) {
        return request.has(61) && request.field(61).length() >= 12;
    }

    /** The journal row of the original 61 names (this terminal's, by 61.1 batch and 61.2 STAN). */
    static Future<TransactionJournal.Original> originalOf61(Journal journal, FinancialTransaction tx) {
        return journal.original(tx.tid(), originalBatch(tx.request()), stanOf61(tx.request()));
    }

    static Future<Decision> refused(ResultCode code) {
        return Future.succeededFuture(new Decision(JournalStatus.DECLINED, code));
    }

    /** A message without a field its kind needs (or with one too short): {@code 30}, FAILED. */
    static Future<Decision> malformed() {
        return Future.succeededFuture(new Decision(JournalStatus.FAILED, ResultCode.FORMAT_ERROR));
    }

    /**
     * The answer a repeat gets once its first attempt is settled: {@code 00} when that one ended APPROVED
     * or {@code alsoApproved}, its own code when DECLINED; null (a duplicate, {@code 94}) otherwise.
     */
    static Future<String> firstAnswer(Journal journal, FinancialTransaction tx, JournalStatus alsoApproved) {
        return journal.outcome(tx.tid(), tx.batch(), tx.stan(), tx.mti()).map(o -> {
            JournalStatus status = o.status();
            if (status == JournalStatus.APPROVED || status == alsoApproved) return ResultCode.APPROVED.code();
            return status == JournalStatus.DECLINED ? o.responseCode() : null;
        });
    }

    /**
     * Pre-auth cancel (0100, 60.1 11) and completion (0200, 60.1 20): the pre-auth named by 61
     * (batch, STAN) and 38 (its auth code) must be an APPROVED pre-auth of this terminal. Unknown,
     * not a pre-auth, not approved (declined, failed, timed out, reversed) or 38 not its auth code:
     * {@code 25}; already COMPLETED or CANCELLED: {@code 12}; a completion above the amount plus
     * the tolerance: {@code 61}. Then the pre-auth moves to COMPLETED / CANCELLED in the same
     * statement that links this row to it (a racing second one finds it moved: {@code 12}); the
     * move is given back unless the host approves.
     */
    private static final class PreAuthFollowUp extends TransactionKind {
        private final int tolerancePercent;

        PreAuthFollowUp(TransactionJournal.Kind kind, int tolerancePercent) {
            super(kind);
            this.tolerancePercent = tolerancePercent;
        }

        private JournalStatus moveTo() {
            return journalKind() == TransactionJournal.Kind.COMPLETION ? JournalStatus.COMPLETED : JournalStatus.CANCELLED;
        }

        @Override
        String originalStan(PosMessage request) {
            return stanOf61(request);
        }

        @Override
        Future<Decision> refusal(Journal journal, FinancialTransaction tx) {
            PosMessage request = tx.request();
            if (!names61(request) || !request.has(38)) return malformed();
            return originalOf61(journal, tx).compose(o -> {
                if (o == null || o.kind() != TransactionJournal.Kind.PREAUTH) return refused(ResultCode.NO_SUCH_RECORD);
                if (o.status() == JournalStatus.COMPLETED || o.status() == JournalStatus.CANCELLED) {
                    return refused(ResultCode.INVALID_TRANSACTION);
                }
                if (o.status() != JournalStatus.APPROVED || !request.field(38).equals(o.authCode())) return refused(ResultCode.NO_SUCH_RECORD);
                if (tolerancePercent >= 0 && tx.amount() * 100 > o.amount() * (100L + tolerancePercent)) {
                    return refused(ResultCode.EXCEEDS_AMOUNT_LIMIT);
                }
                return journal.claim(tx.tid(), tx.batch(), tx.stan(), tx.mti(), journalKind(), o.id(), o.id(),
                        JournalStatus.APPROVED, moveTo()).compose(moved -> {
                            if (!moved) return refused(ResultCode.INVALID_TRANSACTION);
                            tx.claimed(new FinancialTransaction.Claim(o.id(), JournalStatus.APPROVED, moveTo()));
                            return Future.succeededFuture();
                        });
            });
        }
    }

    /**
     * Completion void (0200, 60.1 21): 61 names an APPROVED completion of this terminal (38, when
     * sent, its auth code), else {@code 25}; the pre-auth goes back from COMPLETED to APPROVED, so
     * it can be completed again, only while that completion is its live one (not voided, no later
     * completion), else {@code 12}. The completion row itself stays APPROVED and counts as a debit,
     * the void as a credit, as a purchase and its void do.
     */
    private static final class CompletionVoid extends TransactionKind {
        CompletionVoid() {
            super(TransactionJournal.Kind.COMPLETION_VOID);
        }

        @Override
        String originalStan(PosMessage request) {
            return stanOf61(request);
        }

        @Override
        Future<Decision> refusal(Journal journal, FinancialTransaction tx) {
            PosMessage request = tx.request();
            if (!names61(request)) return malformed();
            return originalOf61(journal, tx).compose(o -> {
                if (o == null || o.kind() != TransactionJournal.Kind.COMPLETION || o.status() != JournalStatus.APPROVED
                        || o.origId() == null || (request.has(38) && !request.field(38).equals(o.authCode()))) {
                    return refused(ResultCode.NO_SUCH_RECORD);
                }
                return journal.claim(tx.tid(), tx.batch(), tx.stan(), tx.mti(), journalKind(), o.id(), o.origId(),
                        JournalStatus.COMPLETED, JournalStatus.APPROVED).compose(moved -> {
                            if (!moved) return refused(ResultCode.INVALID_TRANSACTION);
                            tx.claimed(new FinancialTransaction.Claim(o.origId(), JournalStatus.COMPLETED, JournalStatus.APPROVED));
                            return Future.succeededFuture();
                        });
            });
        }
    }

    /**
     * A terminal's own 0400: no PIN for the host; a repeat is answered idempotently; approved, it
     * takes the original out of the totals; its answer lost, it is queued and acknowledged
     * {@code 00} (the gateway owns delivering it: store and forward).
     */
    private static final class Reversal extends TransactionKind {
        Reversal() {
            super(TransactionJournal.Kind.REVERSAL);
        }

        @Override
        boolean translatesPin() {
            return false;
        }

        /** An advice (0220: refund, offline, adjustment) is not reversed: {@code 12}, nothing sent to the host. */
        @Override
        Future<Decision> refusal(Journal journal, FinancialTransaction tx) {
            return journal.original(tx.tid(), tx.batch(), tx.stan()).map(o -> o != null && ADVICE_KINDS.contains(o.kind())
                    ? new Decision(JournalStatus.DECLINED, ResultCode.INVALID_TRANSACTION) : null);
        }

        /**
         * With the first attempt's answer once that attempt is settled; a FAILED one was opened
         * again by the journal; one still in progress is a duplicate.
         */
        @Override
        Future<String> answerToRepeat(Journal journal, FinancialTransaction tx) {
            return firstAnswer(journal, tx, JournalStatus.TIMED_OUT);
        }

        @Override
        Future<Void> approved(Journal journal, FinancialTransaction tx) {
            return journal.markReversed(tx.tid(), tx.batch(), tx.stan());
        }

        /** A terminal's reversal keeps its reason code. */
        @Override
        PosMessage owedReversal(PosMessage up) {
            PosMessage reversal = super.owedReversal(up);
            if (up.has(39)) reversal.set(39, up.field(39));
            return reversal;
        }

        @Override
        Decision lost(String code) {
            return new Decision(JournalStatus.APPROVED, ResultCode.APPROVED);
        }
    }

    private static final java.util.Set<TransactionJournal.Kind> ADVICE_KINDS = java.util.EnumSet.of(
            TransactionJournal.Kind.REFUND, TransactionJournal.Kind.OFFLINE, TransactionJournal.Kind.ADJUSTMENT);

    /**
     * The 0220 advices: no PIN is translated or kept (the advice waits at rest in the journal), no
     * reversal is owed (the gateway answered it and owns its delivery), and a repeat of an advice
     * already answered gets that answer again (a terminal resends an advice it got no answer to).
     * The check ({@link #refusal}) sets what {@link FinancialTransaction#acceptance} the journal
     * applies in the statement that accepts it.
     */
    private abstract static class Advice extends TransactionKind {
        Advice(TransactionJournal.Kind kind) {
            super(kind);
        }

        @Override
        boolean storeAndForward() {
            return true;
        }

        @Override
        boolean owesReversal() {
            return false;
        }

        @Override
        boolean translatesPin() {
            return false;
        }

        @Override
        Future<String> answerToRepeat(Journal journal, FinancialTransaction tx) {
            return firstAnswer(journal, tx, JournalStatus.ADJUSTED);
        }

        static Future<Decision> accepting(FinancialTransaction tx, TransactionJournal.Effect effect, Long originalId,
                ResultCode onRace) {
            tx.accepting(new FinancialTransaction.Acceptance(effect, originalId, onRace));
            return Future.succeededFuture();
        }
    }

    /**
     * Refund (0220, 60.1 25, field 3 200000): 61 (batch, STAN, date MMDD) and 37 (its host
     * reference) name an APPROVED purchase or completion of this terminal, else {@code 25}; 61
     * shorter than 12 digits or no 37: {@code 30}; amount 0: {@code 13}; the refunds of that
     * original, this one included, above its amount: {@code 61} (also when a concurrent refund
     * took what was left between this check and the accepting statement, which enforces the cap).
     */
    private static final class Refund extends Advice {
        Refund() {
            super(TransactionJournal.Kind.REFUND);
        }

        @Override
        String originalStan(PosMessage request) {
            return stanOf61(request);
        }

        @Override
        Future<Decision> refusal(Journal journal, FinancialTransaction tx) {
            PosMessage request = tx.request();
            if (!names61(request) || !request.has(37)) return malformed();
            if (tx.amount() <= 0) return refused(ResultCode.INVALID_AMOUNT);
            return originalOf61(journal, tx).compose(o -> {
                if (o == null || (o.kind() != TransactionJournal.Kind.PURCHASE && o.kind() != TransactionJournal.Kind.COMPLETION)
                        || o.status() != JournalStatus.APPROVED || !request.field(37).equals(o.rrn())) {
                    return refused(ResultCode.NO_SUCH_RECORD);
                }
                if (o.refunded() + tx.amount() > o.amount()) return refused(ResultCode.EXCEEDS_AMOUNT_LIMIT);
                return accepting(tx, TransactionJournal.Effect.REFUND, o.id(), ResultCode.EXCEEDS_AMOUNT_LIMIT);
            });
        }
    }

    /** Offline settlement (0220, 60.1 30, field 3 000000): a debit the terminal approved offline; amount 0: {@code 13}. */
    private static final class OfflineSettlement extends Advice {
        OfflineSettlement() {
            super(TransactionJournal.Kind.OFFLINE);
        }

        @Override
        boolean advicePan() {
            return true;
        }

        @Override
        Future<Decision> refusal(Journal journal, FinancialTransaction tx) {
            if (tx.amount() <= 0) return refused(ResultCode.INVALID_AMOUNT);
            return accepting(tx, TransactionJournal.Effect.NONE, null, ResultCode.SYSTEM_MALFUNCTION);
        }
    }

    /**
     * Settlement adjustment (0220, 60.1 32) and tip adjustment (34): field 4 is the new amount of
     * the offline settlement (or the adjustment) 61 names, which must be APPROVED, else {@code 25};
     * it becomes ADJUSTED and this one counts in its place. Amount 0, or a tip adjustment below the
     * amount it adjusts: {@code 13}; adjusted meanwhile by another: {@code 12}.
     */
    private static final class Adjustment extends Advice {
        private final boolean tip;

        Adjustment(boolean tip) {
            super(TransactionJournal.Kind.ADJUSTMENT);
            this.tip = tip;
        }

        @Override
        String originalStan(PosMessage request) {
            return stanOf61(request);
        }

        @Override
        Future<Decision> refusal(Journal journal, FinancialTransaction tx) {
            PosMessage request = tx.request();
            if (!names61(request)) return malformed();
            if (tx.amount() <= 0) return refused(ResultCode.INVALID_AMOUNT);
            return originalOf61(journal, tx).compose(o -> {
                if (o == null || (o.kind() != TransactionJournal.Kind.OFFLINE && o.kind() != TransactionJournal.Kind.ADJUSTMENT)) {
                    return refused(ResultCode.NO_SUCH_RECORD);
                }
                if (o.status() == JournalStatus.ADJUSTED) return refused(ResultCode.INVALID_TRANSACTION);
                if (o.status() != JournalStatus.APPROVED) return refused(ResultCode.NO_SUCH_RECORD);
                if (tip && tx.amount() < o.amount()) return refused(ResultCode.INVALID_AMOUNT);
                return accepting(tx, TransactionJournal.Effect.ADJUST, o.id(), ResultCode.INVALID_TRANSACTION);
            });
        }
    }

    /**
     * The IC-card notices, script result notification (0620) and TC upload (0320, 60.3 203): 55 is
     * required ({@code 30} without it; a malformed one is {@code 30} before this check), nothing is
     * applied to the journal (no effect, not in the totals), and they are accepted and forwarded
     * by the advice queue like an 0220, with the card's PAN (the stored message is encrypted).
     */
    private static final class IcNotice extends Advice {
        IcNotice(TransactionJournal.Kind kind) {
            super(kind);
        }

        @Override
        boolean advicePan() {
            return true;
        }

        @Override
        Future<Decision> refusal(Journal journal, FinancialTransaction tx) {
            if (!tx.request().has(55)) return malformed();
            return accepting(tx, TransactionJournal.Effect.NONE, null, ResultCode.SYSTEM_MALFUNCTION);
        }
    }
}
