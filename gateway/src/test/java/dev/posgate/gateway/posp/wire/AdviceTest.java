package dev.posgate.gateway.posp.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.gateway.posp.store.JournalStatus;
import dev.posgate.gateway.posp.wire.PurchasePath.Answer;
import dev.posgate.iso8583.pos.PosMessage;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import io.vertx.junit5.VertxExtension;

/**
 * The 0220 advices on the purchase path ({@link PurchasePath}: real MAC crypto on an in-process
 * HSM, the journal in memory): a refund is checked against its original (61 and 37) and the cap,
 * accepted durably with its upstream copy queued and answered {@code 00} without waiting for the
 * host; offline settlements and adjustments likewise. Docs: docs/posp.md "Refunds, offline
 * settlement and adjustments".
 */
@ExtendWith(VertxExtension.class)
class AdviceTest {
    private static final String BATCH = "000001";
    private static final String DATE = "1203";
    private PurchasePath path;

    @BeforeEach
    void newPath(Vertx vertx) {
        path = new PurchasePath(vertx);
    }

    /** An approved purchase: its STAN and the host's reference (37). */
    private String[] approvedPurchase(long amount) {
        PosMessage purchase = path.client.purchase(PurchasePath.PAN, amount, PurchasePath.PIN);
        Answer a = path.send(TransactionKind.PURCHASE, purchase);
        assertEquals("00", a.code());
        assertNotNull(a.message().field(37));
        return new String[] {purchase.field(11), a.message().field(37)};
    }

    private PosMessage refund(String[] purchase, long amount) {
        return path.client.refund(PurchasePath.PAN, amount, BATCH, purchase[0], DATE, purchase[1]);
    }

    private InMemoryJournal.Row row(String stan, String mti) {
        return path.journal.row(PurchasePath.TID, BATCH, stan, mti);
    }

    private long queuedAdvices() {
        return path.events.stream().filter("advice queued"::equals).count();
    }

    @Test
    void aRefundIsAcceptedLinkedAndQueuedForTheHostWithoutWaitingForIt() {
        String[] p = approvedPurchase(10_000);
        PosMessage refund = refund(p, 4_000);

        Answer a = path.send(TransactionKind.REFUND, refund);

        assertEquals("00", a.code());
        assertEquals("0230", a.message().mti());
        assertTrue(a.macValid());
        InMemoryJournal.Row r = row(refund.field(11), "0220");
        assertEquals(JournalStatus.APPROVED, r.status);
        assertEquals(row(p[0], "0200").id, r.origId);
        assertEquals(4_000, row(p[0], "0200").refunded);
        assertEquals(1, path.host.received.size(), "the handler does not forward: the advice queue does");
        assertEquals(1, queuedAdvices());
        PosMessage up = PosMessage.unpack(r.advice);
        assertEquals("0220", up.mti());
        assertEquals(p[1], up.field(37), "the original's reference goes to the host");
        assertEquals(BATCH + p[0] + DATE, up.field(61));
        assertEquals("25", up.field60().typeCode());
        assertEquals("200000", up.field(3));
        assertFalse(up.has(52));
        assertFalse(up.has(2), "no PAN at rest for a refund: the host finds the original by 61 and 37");
        assertTrue(path.events.indexOf("journal accept 0220 " + refund.field(11) + " REFUND") < path.events.indexOf("advice queued"));
    }

    @Test
    void partialRefundsAreSummedAndTheOneThatWouldExceedTheOriginalIs61() {
        String[] p = approvedPurchase(10_000);
        assertEquals("00", path.send(TransactionKind.REFUND, refund(p, 3_000)).code());
        assertEquals("00", path.send(TransactionKind.REFUND, refund(p, 5_000)).code());
        PosMessage over = refund(p, 2_001);

        Answer a = path.send(TransactionKind.REFUND, over);

        assertEquals("61", a.code());
        assertTrue(a.macValid());
        assertEquals(JournalStatus.DECLINED, row(over.field(11), "0220").status);
        assertNull(row(over.field(11), "0220").advice, "nothing queued for a refused refund");
        assertEquals(8_000, row(p[0], "0200").refunded);
        assertEquals("00", path.send(TransactionKind.REFUND, refund(p, 2_000)).code(), "exactly the rest is allowed");
        assertEquals(10_000, row(p[0], "0200").refunded);
        assertEquals("61", path.send(TransactionKind.REFUND, refund(p, 1)).code());
        assertEquals(3, queuedAdvices());
    }

    @Test
    void aRefundThatARacingRefundOvertookAtAcceptanceIs61() {
        String[] p = approvedPurchase(10_000);
        // another connection's refund takes 7 000 between this one's check and its accepting statement
        path.journal.beforeAccept = () -> {
            path.journal.beforeAccept = null;
            row(p[0], "0200").refunded += 7_000;
        };
        PosMessage refund = refund(p, 4_000);

        Answer a = path.send(TransactionKind.REFUND, refund);

        assertEquals("61", a.code());
        assertEquals(JournalStatus.DECLINED, row(refund.field(11), "0220").status);
        assertEquals(7_000, row(p[0], "0200").refunded);
        assertEquals(0, queuedAdvices());
    }

    @Test
    void aRefundMustNameAnApprovedPurchaseByBatchStanAndReference() {
        String[] p = approvedPurchase(10_000);
        assertEquals("25", path.send(TransactionKind.REFUND, refund(new String[] {p[0], "999999999999"}, 100)).code(),
                "wrong reference");
        assertEquals("25", path.send(TransactionKind.REFUND, refund(new String[] {"000999", p[1]}, 100)).code(), "unknown STAN");
        PosMessage noRef = refund(p, 100);
        noRef.unset(37);
        assertEquals("30", path.send(TransactionKind.REFUND, noRef).code());
        assertEquals("13", path.send(TransactionKind.REFUND, refund(p, 0)).code());
        PosMessage declined = path.client.purchase(PurchasePath.PAN, 5_000, PurchasePath.PIN);
        path.host.mode = PurchasePath.HostMode.TIME_OUT;
        assertEquals("68", path.send(TransactionKind.PURCHASE, declined).code());
        path.host.mode = PurchasePath.HostMode.ANSWER;
        assertEquals("25", path.send(TransactionKind.REFUND, refund(new String[] {declined.field(11), p[1]}, 100)).code(),
                "a purchase that timed out is not refundable");
        assertEquals(0, row(p[0], "0200").refunded);
        assertEquals(0, queuedAdvices());
    }

    @Test
    void aRepeatedAdviceGetsItsFirstAnswerAgainAndIsAppliedOnce() {
        String[] p = approvedPurchase(10_000);
        PosMessage refund = refund(p, 6_000);
        assertEquals("00", path.send(TransactionKind.REFUND, refund).code());
        byte[] queued = row(refund.field(11), "0220").advice;

        Answer again = path.send(TransactionKind.REFUND, refund);

        assertEquals("00", again.code(), "a terminal resends an advice it got no answer to");
        assertTrue(again.macValid());
        assertEquals(6_000, row(p[0], "0200").refunded);
        assertEquals(1, queuedAdvices());
        assertArrayEquals(queued, row(refund.field(11), "0220").advice);

        PosMessage over = refund(p, 5_000);
        assertEquals("61", path.send(TransactionKind.REFUND, over).code());
        assertEquals("61", path.send(TransactionKind.REFUND, over).code(), "a repeat of a refused advice gets its code");
    }

    @Test
    void aRefundedPurchaseIsNotVoidedAndAVoidedOneIsNotRefunded() {
        String[] p = approvedPurchase(10_000);
        assertEquals("00", path.send(TransactionKind.REFUND, refund(p, 1_000)).code());
        Answer v = path.send(TransactionKind.VOID, path.client.voidOf(PurchasePath.PAN, 10_000, p[0]));
        assertEquals("12", v.code());
        assertTrue(v.macValid());

        String[] q = approvedPurchase(5_000);
        assertEquals("00", path.send(TransactionKind.VOID, path.client.voidOf(PurchasePath.PAN, 5_000, q[0])).code());
        PosMessage refund = refund(q, 1_000);
        assertEquals("61", path.send(TransactionKind.REFUND, refund).code(), "nothing left to refund of a voided purchase");
        assertEquals(0, row(q[0], "0200").refunded);
    }

    /** The answer's MAC fails after the refund was accepted: the accepted row is final, not closed FAILED. */
    @Test
    void anAcceptedAdviceStaysAcceptedWhenItsAnswerCannotBeSealed() {
        String[] p = approvedPurchase(10_000);
        FinancialHandler.Steps s = path.steps;
        FinancialHandler.Steps failingSeal = new FinancialHandler.Steps(s.admission(), s.tracks(), s.journal(), s.pins(), s.host(),
                s.reversals(), (t, request, code, reply) -> io.vertx.core.Future.failedFuture(new IllegalStateException("HSM unavailable")),
                s.deferred(), s.metrics(), s.acquirerId(), s.advices());
        PosMessage refund = refund(p, 2_000);

        var f = new FinancialHandler(TransactionKind.REFUND, failingSeal)
                .handle(new dev.posgate.gateway.spi.SessionContext(1, "unit"), PosMessage.unpack(path.client.seal(refund)));

        assertTrue(f.failed(), "the terminal gets 96 from the dispatcher");
        InMemoryJournal.Row r = row(refund.field(11), "0220");
        assertEquals(JournalStatus.APPROVED, r.status);
        assertEquals(2_000, row(p[0], "0200").refunded);
        assertNotNull(r.advice);
        assertEquals("00", path.send(TransactionKind.REFUND, refund).code(), "its resend gets the 00 it missed");
        assertEquals(2_000, row(p[0], "0200").refunded);
        assertTrue(path.events.stream().noneMatch(e -> e.startsWith("journal close 0220 " + refund.field(11))));
    }

    @Test
    void anAdviceIsNotReversed() {
        String[] p = approvedPurchase(10_000);
        PosMessage refund = refund(p, 1_000);
        assertEquals("00", path.send(TransactionKind.REFUND, refund).code());

        Answer r = path.send(TransactionKind.REVERSAL, path.client.reversalOf(refund));

        assertEquals("12", r.code());
        assertTrue(r.macValid());
        assertEquals(JournalStatus.APPROVED, row(refund.field(11), "0220").status);
        assertEquals(1, path.host.received.size(), "nothing reached the host");
    }

    @Test
    void offlineSettlementsAreAcceptedAndAdjustmentsReplaceThem() {
        PosMessage offline = path.client.offlineSettlement(PurchasePath.PAN, 5_000, "OFF001");
        Answer a = path.send(TransactionKind.OFFLINE, offline);
        assertEquals("00", a.code());
        assertEquals("0230", a.message().mti());
        assertTrue(a.macValid());
        InMemoryJournal.Row o = row(offline.field(11), "0220");
        assertEquals(JournalStatus.APPROVED, o.status);
        assertEquals("30", PosMessage.unpack(o.advice).field60().typeCode());
        assertEquals("OFF001", PosMessage.unpack(o.advice).field(38));
        assertEquals(PurchasePath.PAN, PosMessage.unpack(o.advice).field(2), "the host needs the card of an offline sale");

        PosMessage tipTooLow = path.client.adjustment(PurchasePath.PAN, 4_999, offline.field(11), true);
        assertEquals("13", path.send(TransactionKind.TIP_ADJUSTMENT, tipTooLow).code());
        PosMessage tip = path.client.adjustment(PurchasePath.PAN, 5_500, offline.field(11), true);
        assertEquals("00", path.send(TransactionKind.TIP_ADJUSTMENT, tip).code());
        assertEquals(JournalStatus.ADJUSTED, o.status);
        assertEquals(o.id, row(tip.field(11), "0220").origId);

        PosMessage again = path.client.adjustment(PurchasePath.PAN, 4_000, offline.field(11), false);
        assertEquals("12", path.send(TransactionKind.ADJUSTMENT, again).code(), "adjusted already: adjust the adjustment");
        PosMessage down = path.client.adjustment(PurchasePath.PAN, 4_000, tip.field(11), false);
        assertEquals("00", path.send(TransactionKind.ADJUSTMENT, down).code());
        assertEquals(JournalStatus.ADJUSTED, row(tip.field(11), "0220").status);
        assertEquals(JournalStatus.APPROVED, row(down.field(11), "0220").status);
        assertEquals("25", path.send(TransactionKind.ADJUSTMENT,
                path.client.adjustment(PurchasePath.PAN, 100, "000777", false)).code());
        assertEquals("13", path.send(TransactionKind.OFFLINE, path.client.offlineSettlement(PurchasePath.PAN, 0, null)).code());
        assertEquals(3, queuedAdvices());
        assertTrue(path.host.received.isEmpty());
    }
}
