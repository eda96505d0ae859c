package dev.posgate.gateway.posp.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.gateway.posp.wire.PurchasePath.Answer;
import dev.posgate.gateway.posp.wire.PurchasePath.HostMode;
import dev.posgate.gateway.spi.Response;
import dev.posgate.gateway.spi.SessionContext;
import dev.posgate.iso8583.pos.PosMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import io.vertx.junit5.VertxExtension;
import dev.posgate.gateway.posp.store.JournalStatus;

/**
 * The purchase path step by step ({@link PurchasePath}: production PIN, MAC and answer steps on
 * an in-process HSM, the journal in memory, a host that answers as told). Milliseconds per test.
 */
@ExtendWith(VertxExtension.class)
class FinancialHandlerTest {
    private PurchasePath path;

    /** {@code vertx} (one per test): only {@link DeferredWrites} would use it, to retry a write after a second; no test here gets that far. */
    @BeforeEach
    void newPath(Vertx vertx) {
        path = new PurchasePath(vertx);
    }

    @Test
    void anApprovedPurchaseIsJournalledBeforeItLeavesAndAnsweredWithTheHostsReferences() {
        PosMessage purchase = path.client.purchase(PurchasePath.PAN, 12_345, PurchasePath.PIN);
        String stan = purchase.field(11);

        Answer a = path.send(TransactionKind.PURCHASE, purchase);

        assertEquals("00", a.code());
        assertTrue(a.macValid(), "MACed with the terminal's MAK");
        assertEquals("000000000001", a.message().field(37));
        assertEquals("A00001", a.message().field(38));
        assertEquals(List.of(true), path.host.macValid, "the host's copy carries a valid ZAK MAC");
        assertEquals(List.of(PurchasePath.PIN), path.host.pins, "the PIN reaches the host under the ZPK");
        PosMessage up = path.host.received.get(0);
        assertFalse(Arrays.equals(purchase.binary(52), up.binary(52)), "field 52 re-encrypted");
        assertEquals("12345678", up.field(32));
        assertEquals(List.of("PENDING with owed reversal"), path.host.rowOnArrival,
                "the row that owes the reversal is written before the request leaves");
        assertEquals(List.of("journal open 0200 " + stan, "host got 0200 " + stan, "journal close 0200 " + stan + " APPROVED 00"),
                path.events);
        InMemoryJournal.Row row = path.journal.row(PurchasePath.TID, "000001", stan, "0200");
        assertEquals("622202*********0123", row.panMasked);
        assertEquals(12_345, row.amount);
        assertEquals("000000000001", row.rrn);
        assertNull(row.reversal, "closing clears the owed reversal");
        assertTrue(path.reversals.isEmpty());
    }

    @Test
    void theSameTerminalAndStanAgainIsADuplicateAndNeverReachesTheHost() {
        PosMessage purchase = path.client.purchase(PurchasePath.PAN, 500, PurchasePath.PIN);
        assertEquals("00", path.send(TransactionKind.PURCHASE, purchase).code());

        Answer again = path.send(TransactionKind.PURCHASE, purchase);

        assertEquals("94", again.code());
        assertTrue(again.macValid());
        assertEquals(1, path.host.received.size());
        assertEquals(1.0, path.replaysRefused());
        assertEquals(JournalStatus.APPROVED, path.journal.row(PurchasePath.TID, "000001", purchase.field(11), "0200").status);
    }

    @Test
    void theReversalOfAnApprovedPurchaseTakesItOutOfTheTotalsAndARepeatIsAnsweredAlike() {
        PosMessage purchase = path.client.purchase(PurchasePath.PAN, 800, PurchasePath.PIN);
        String stan = purchase.field(11);
        assertEquals("00", path.send(TransactionKind.PURCHASE, purchase).code());

        PosMessage reversal = path.client.reversalOf(purchase);
        Answer a = path.send(TransactionKind.REVERSAL, reversal);

        assertEquals("00", a.code());
        assertTrue(a.macValid());
        PosMessage up = path.host.received.get(1);
        assertEquals("0400", up.mti());
        assertFalse(up.has(52), "no PIN in a reversal");
        assertEquals("98", up.field(39), "the terminal's reason code");
        assertEquals(JournalStatus.REVERSED, path.journal.row(PurchasePath.TID, "000001", stan, "0200").status);
        assertEquals(JournalStatus.APPROVED, path.journal.row(PurchasePath.TID, "000001", stan, "0400").status);

        Answer repeat = path.send(TransactionKind.REVERSAL, path.client.reversalOf(purchase));
        assertEquals("00", repeat.code(), "a settled reversal repeated gets its first answer");
        assertEquals(2, path.host.received.size(), "without the host");
        assertEquals(0.0, path.replaysRefused());
    }

    @Test
    void theReversalOfAnUnknownPurchaseIsAnsweredWithTheHostsCode() {
        PosMessage never = path.client.purchase(PurchasePath.PAN, 800, PurchasePath.PIN);

        Answer a = path.send(TransactionKind.REVERSAL, path.client.reversalOf(never));

        assertEquals("25", a.code());
        assertTrue(a.macValid());
        assertEquals(JournalStatus.DECLINED, path.journal.row(PurchasePath.TID, "000001", never.field(11), "0400").status);
        assertNull(path.journal.row(PurchasePath.TID, "000001", never.field(11), "0200"));
        assertEquals("25", path.send(TransactionKind.REVERSAL, path.client.reversalOf(never)).code(),
                "repeated: the journalled answer, without the host");
        assertEquals(1, path.host.received.size());
    }

    @Test
    void aHostTimeoutAnswers68AndQueuesTheReversalBeforeTheRowIsClosed() {
        path.host.mode = HostMode.TIME_OUT;
        PosMessage purchase = path.client.purchase(PurchasePath.PAN, 900, PurchasePath.PIN);
        String stan = purchase.field(11);

        Answer a = path.send(TransactionKind.PURCHASE, purchase);

        assertEquals("68", a.code());
        assertTrue(a.macValid());
        assertEquals(List.of("journal open 0200 " + stan, "host got 0200 " + stan + " (no answer)", "reversal queued " + stan,
                "journal close 0200 " + stan + " TIMED_OUT 68"), path.events);
        PosMessage reversal = path.reversals.get(0);
        assertEquals("0400", reversal.mti());
        assertEquals("98", reversal.field(39));
        assertEquals("000000000900", reversal.field(4));
        assertFalse(reversal.has(2), "no PAN at rest in the queue");
        assertFalse(reversal.has(52), "no PIN at rest in the queue");
    }

    @Test
    void aTerminalsReversalTheHostDoesNotAnswerIsQueuedAndAcknowledged() {
        PosMessage purchase = path.client.purchase(PurchasePath.PAN, 900, PurchasePath.PIN);
        path.host.mode = HostMode.TIME_OUT;

        Answer a = path.send(TransactionKind.REVERSAL, path.client.reversalOf(purchase));

        assertEquals("00", a.code(), "store and forward: the gateway owns delivering it");
        assertEquals(1, path.reversals.size());
        assertEquals("98", path.reversals.get(0).field(39), "the terminal's reason code kept");
        assertEquals(JournalStatus.APPROVED, path.journal.row(PurchasePath.TID, "000001", purchase.field(11), "0400").status);
    }

    @Test
    void noConnectionToTheHostAnswers91AndOwesNothing() {
        path.host.mode = HostMode.NO_CONNECTION;
        PosMessage purchase = path.client.purchase(PurchasePath.PAN, 900, PurchasePath.PIN);

        Answer a = path.send(TransactionKind.PURCHASE, purchase);

        assertEquals("91", a.code());
        assertTrue(path.reversals.isEmpty());
        assertEquals(JournalStatus.FAILED, path.journal.row(PurchasePath.TID, "000001", purchase.field(11), "0200").status);
    }

    @Test
    void aBalanceInquiryTheHostDoesNotAnswerOwesNoReversal() {
        path.host.mode = HostMode.TIME_OUT;
        PosMessage inquiry = path.client.balanceInquiry(PurchasePath.PAN, PurchasePath.PIN);

        Answer a = path.send(TransactionKind.BALANCE, inquiry);

        assertEquals("68", a.code());
        assertTrue(path.reversals.isEmpty());
        InMemoryJournal.Row row = path.journal.row(PurchasePath.TID, "000001", inquiry.field(11), "0200");
        assertEquals(JournalStatus.FAILED, row.status);
    }

    @Test
    void aPinBlockThatDoesNotDecryptUnderThePikIs55AndNeverReachesTheHost() {
        PosMessage purchase = path.purchaseWithForeignPin(700);

        Answer a = path.send(TransactionKind.PURCHASE, purchase);

        assertEquals("55", a.code());
        assertTrue(a.macValid());
        assertTrue(path.host.received.isEmpty());
        assertEquals(JournalStatus.DECLINED, path.journal.row(PurchasePath.TID, "000001", purchase.field(11), "0200").status);
        assertTrue(path.reversals.isEmpty());
    }

    @Test
    void aHostAnswerWithABadMacIs96AndTheRequestIsReversed() {
        path.host.mode = HostMode.BAD_MAC;
        PosMessage purchase = path.client.purchase(PurchasePath.PAN, 1_000, PurchasePath.PIN);

        Answer a = path.send(TransactionKind.PURCHASE, purchase);

        assertEquals("96", a.code());
        assertTrue(a.macValid());
        assertEquals(1, path.reversals.size(), "the host may have approved what it answered");
        InMemoryJournal.Row row = path.journal.row(PurchasePath.TID, "000001", purchase.field(11), "0200");
        assertEquals(JournalStatus.TIMED_OUT, row.status);
        assertNull(row.rrn, "nothing of a forged answer is kept");
    }

    @Test
    void aVoidIsForwardedOnlyWhenItsOriginalWasApproved() {
        Answer unknown = path.send(TransactionKind.VOID, path.client.voidOf(PurchasePath.PAN, 100, "999999"));
        assertEquals("25", unknown.code());
        assertTrue(path.host.received.isEmpty());

        PosMessage purchase = path.client.purchase(PurchasePath.PAN, 100, PurchasePath.PIN);
        assertEquals("00", path.send(TransactionKind.PURCHASE, purchase).code());
        PosMessage voidOf = path.client.voidOf(PurchasePath.PAN, 100, purchase.field(11));
        assertEquals("00", path.send(TransactionKind.VOID, voidOf).code());
        assertEquals(purchase.field(11), path.journal.row(PurchasePath.TID, "000001", voidOf.field(11), "0200").origStan);
        assertEquals(2, path.host.received.size());
    }

    /**
     * A process that dies with the request at the host leaves the row PENDING with the reversal
     * it owes, packed without PAN or PIN: what {@link InterruptedForwards} queues after a restart.
     */
    @Test
    void aForwardLeftWithoutAnswerLeavesThePendingRowWithItsOwedReversal() {
        path.host.mode = HostMode.SILENT;
        PosMessage purchase = path.client.purchase(PurchasePath.PAN, 4_200, PurchasePath.PIN);

        Future<Response> f = path.run(TransactionKind.PURCHASE, purchase);

        assertFalse(f.isComplete());
        InMemoryJournal.Row row = path.journal.row(PurchasePath.TID, "000001", purchase.field(11), "0200");
        assertEquals(JournalStatus.PENDING, row.status);
        assertNotNull(row.reversal);
        PosMessage owed = PosMessage.unpack(row.reversal);
        assertEquals("0400", owed.mti());
        assertEquals(purchase.field(11), owed.field(11));
        assertEquals("000000004200", owed.field(4));
        assertEquals("98", owed.field(39));
        assertEquals(PurchasePath.TID, owed.field(41));
        assertFalse(owed.has(2));
        assertFalse(owed.has(52));
        assertFalse(owed.has(35));
        assertTrue(path.reversals.isEmpty(), "nothing queued by a live node yet");
    }

    @Test
    void aBalanceInquiryIsJournalledWithoutAnOwedReversal() {
        path.host.mode = HostMode.SILENT;
        PosMessage inquiry = path.client.balanceInquiry(PurchasePath.PAN, PurchasePath.PIN);

        path.run(TransactionKind.BALANCE, inquiry);

        assertNull(path.journal.row(PurchasePath.TID, "000001", inquiry.field(11), "0200").reversal);
    }

    /**
     * The host approved, then the journal write of the answer failed: the terminal is not told
     * "approved" (the dispatcher answers 96), so the approval is reversed — queued first, then
     * the row closed TIMED_OUT (closing clears the reversal the row holds for a restart).
     */
    @Test
    void aFailureAfterTheRequestLeftQueuesItsReversalThenClosesTheRowTimedOut() {
        path.journal.closesToFail = 1;
        PosMessage purchase = path.client.purchase(PurchasePath.PAN, 300, PurchasePath.PIN);
        String stan = purchase.field(11);

        Future<Response> f = path.run(TransactionKind.PURCHASE, purchase);

        assertTrue(f.failed(), "the dispatcher turns it into 96");
        assertEquals(List.of("journal open 0200 " + stan, "host got 0200 " + stan, "journal close refused 0200 " + stan,
                "reversal queued " + stan, "journal close 0200 " + stan + " TIMED_OUT 96"), path.events);
        assertEquals(1, path.reversals.size());
    }

    @Test
    void aFailureBeforeTheRequestLeftClosesTheRowFailedAndOwesNothing() {
        path.hsmDown = true;
        PosMessage purchase = path.client.purchase(PurchasePath.PAN, 300, PurchasePath.PIN);
        String stan = purchase.field(11);

        Future<Response> f = path.run(TransactionKind.PURCHASE, purchase);

        assertTrue(f.failed());
        assertEquals(List.of("journal open 0200 " + stan, "journal close 0200 " + stan + " FAILED 96"), path.events);
        assertTrue(path.reversals.isEmpty());
        assertTrue(path.host.received.isEmpty());
    }

    @Test
    void aReversalWhoseFirstAttemptFailedIsTriedAgain() {
        PosMessage purchase = path.client.purchase(PurchasePath.PAN, 300, PurchasePath.PIN);
        assertEquals("00", path.send(TransactionKind.PURCHASE, purchase).code());
        path.host.mode = HostMode.NO_CONNECTION;
        assertEquals("91", path.send(TransactionKind.REVERSAL, path.client.reversalOf(purchase)).code());
        path.host.mode = HostMode.ANSWER;

        assertEquals("00", path.send(TransactionKind.REVERSAL, path.client.reversalOf(purchase)).code());

        assertEquals(JournalStatus.REVERSED, path.journal.row(PurchasePath.TID, "000001", purchase.field(11), "0200").status);
    }

    @Test
    void aRequestWhoseMacDoesNotVerifyIsRefusedBeforeTheJournal() {
        PosMessage purchase = path.client.purchase(PurchasePath.PAN, 300, PurchasePath.PIN);
        byte[] body = path.client.seal(purchase);
        body[body.length - 1] ^= 0x01;

        Response r = new FinancialHandler(TransactionKind.PURCHASE, path.steps)
                .handle(new SessionContext(1, "unit"), PosMessage.unpack(body)).result();

        assertEquals("A0", PosMessage.unpack(r.body()).field(39));
        assertTrue(path.events.isEmpty());
    }
}
