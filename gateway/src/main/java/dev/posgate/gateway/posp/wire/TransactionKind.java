package dev.posgate.gateway.posp.wire;

import dev.posgate.gateway.spi.ResultCode;
import dev.posgate.gateway.posp.upstream.UpstreamMessages;
import dev.posgate.iso8583.pos.PosMessage;
import io.vertx.core.Future;
import dev.posgate.gateway.posp.store.Journal;
import dev.posgate.gateway.posp.store.JournalStatus;
import dev.posgate.gateway.posp.store.TransactionJournal;

/**
 * What sets the four financial messages apart on the purchase path; {@link FinancialHandler}
 * runs the steps they share. The base class is the purchase; the others override the few places
 * where they differ.
 */
public abstract class TransactionKind {
    public static final TransactionKind PURCHASE = new Purchase();
    public static final TransactionKind BALANCE = new BalanceInquiry();
    public static final TransactionKind VOID = new VoidOfPurchase();
    public static final TransactionKind REVERSAL = new Reversal();

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

    /** Forwarded only when the purchase it names (61.1 batch, 61.2 STAN) was approved; else {@code 25}. */
    private static final class VoidOfPurchase extends TransactionKind {
        VoidOfPurchase() {
            super(TransactionJournal.Kind.VOID);
        }

        @Override
        String originalStan(PosMessage request) {
            return request.has(61) && request.field(61).length() >= 12 ? request.field(61).substring(6, 12) : null;
        }

        @Override
        Future<Decision> refusal(Journal journal, FinancialTransaction tx) {
            String origStan = originalStan(tx.request());
            if (origStan == null) return Future.succeededFuture(new Decision(JournalStatus.FAILED, ResultCode.FORMAT_ERROR));
            String origBatch = tx.request().field(61).substring(0, 6);
            return journal.statusOf(tx.tid(), origBatch, origStan).map(status -> status == JournalStatus.APPROVED
                    ? null : new Decision(JournalStatus.DECLINED, ResultCode.NO_SUCH_RECORD));
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

        /**
         * With the first attempt's answer once that attempt is settled; a FAILED one was opened
         * again by the journal; one still in progress is a duplicate.
         */
        @Override
        Future<String> answerToRepeat(Journal journal, FinancialTransaction tx) {
            return journal.outcome(tx.tid(), tx.batch(), tx.stan(), tx.mti()).map(o -> switch (o.status()) {
                case APPROVED, TIMED_OUT -> ResultCode.APPROVED.code();
                case DECLINED -> o.responseCode();
                default -> null;
            });
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
}
