package dev.posgate.gateway.posp.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.gateway.posp.store.JournalStatus;
import dev.posgate.gateway.posp.wire.PurchasePath.Answer;
import dev.posgate.gateway.posp.wire.PurchasePath.HostMode;
import dev.posgate.iso8583.pos.PosMessage;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import io.vertx.junit5.VertxExtension;

/**
 * The pre-authorisation family's journal rules on the purchase path ({@link PurchasePath}: real
 * MAC and PIN crypto on an in-process HSM, the journal in memory, a host that approves all):
 * the tolerance, a completion or cancel of a pre-auth that is not there to complete, and the
 * completion void giving the pre-auth back. Docs: docs/posp.md "Pre-authorisation".
 */
@ExtendWith(VertxExtension.class)
class PreAuthorisationTest {
    private static final String BATCH = "000001";
    private static final String DATE = "1203";
    private static final TransactionKind COMPLETION = TransactionKind.completion(15);
    private PurchasePath path;

    @BeforeEach
    void newPath(Vertx vertx) {
        path = new PurchasePath(vertx);
    }

    /** A pre-auth of {@code amount}, approved: its STAN and the host's auth code. */
    private String[] approvedPreAuth(long amount) {
        PosMessage preAuth = path.client.preAuth(PurchasePath.PAN, amount, PurchasePath.PIN);
        Answer a = path.send(TransactionKind.PREAUTH, preAuth);
        assertEquals("00", a.code());
        assertEquals("0110", a.message().mti());
        assertTrue(a.macValid());
        assertNotNull(a.message().field(38));
        return new String[] {preAuth.field(11), a.message().field(38)};
    }

    private InMemoryJournal.Row row(String stan, String mti) {
        return path.journal.row(PurchasePath.TID, BATCH, stan, mti);
    }

    private PosMessage completion(String[] preAuth, long amount) {
        return path.client.completion(PurchasePath.PAN, amount, BATCH, preAuth[0], DATE, preAuth[1], null);
    }

    @Test
    void aCompletionWithinTheToleranceCompletesThePreAuthAndIsLinkedToIt() {
        String[] pa = approvedPreAuth(10_000);
        InMemoryJournal.Row preAuthRow = row(pa[0], "0100");
        assertEquals(JournalStatus.APPROVED, preAuthRow.status);

        PosMessage completion = completion(pa, 11_500);
        Answer a = path.send(COMPLETION, completion);

        assertEquals("00", a.code(), "exactly 15 % above is allowed");
        assertTrue(a.macValid());
        assertEquals("0210", a.message().mti());
        assertEquals(JournalStatus.COMPLETED, preAuthRow.status);
        InMemoryJournal.Row c = row(completion.field(11), "0200");
        assertEquals(JournalStatus.APPROVED, c.status);
        assertEquals(preAuthRow.id, c.origId);
        assertEquals(pa[1], path.host.received.get(1).field(38), "the pre-auth's auth code goes up in 38");
        assertEquals(BATCH + pa[0] + DATE, path.host.received.get(1).field(61));
    }

    @Test
    void aCompletionAboveTheToleranceIs61AndNeverReachesTheHost() {
        String[] pa = approvedPreAuth(10_000);

        PosMessage completion = completion(pa, 11_501);
        Answer a = path.send(COMPLETION, completion);

        assertEquals("61", a.code());
        assertTrue(a.macValid());
        assertEquals(1, path.host.received.size(), "only the pre-auth reached the host");
        assertEquals(JournalStatus.APPROVED, row(pa[0], "0100").status, "the pre-auth can still be completed");
        assertEquals(JournalStatus.DECLINED, row(completion.field(11), "0200").status);
        assertEquals("00", path.send(COMPLETION, completion(pa, 9_000)).code(), "a completion below the amount is fine");
    }

    @Test
    void aSecondCompletionOfTheSamePreAuthIs12() {
        String[] pa = approvedPreAuth(10_000);
        assertEquals("00", path.send(COMPLETION, completion(pa, 10_000)).code());

        Answer again = path.send(COMPLETION, completion(pa, 10_000));

        assertEquals("12", again.code());
        assertTrue(again.macValid());
        assertEquals(2, path.host.received.size());
    }

    @Test
    void aCancelAfterTheCompletionIs12AndACompletionAfterTheCancelIs12() {
        String[] pa = approvedPreAuth(10_000);
        assertEquals("00", path.send(COMPLETION, completion(pa, 10_000)).code());
        Answer cancel = path.send(TransactionKind.PREAUTH_CANCEL,
                path.client.preAuthCancel(PurchasePath.PAN, 10_000, BATCH, pa[0], DATE, pa[1]));
        assertEquals("12", cancel.code());
        assertEquals(JournalStatus.COMPLETED, row(pa[0], "0100").status);

        String[] other = approvedPreAuth(5_000);
        PosMessage cancelOther = path.client.preAuthCancel(PurchasePath.PAN, 5_000, BATCH, other[0], DATE, other[1]);
        Answer cancelled = path.send(TransactionKind.PREAUTH_CANCEL, cancelOther);
        assertEquals("00", cancelled.code());
        assertEquals("0110", cancelled.message().mti());
        assertEquals(JournalStatus.CANCELLED, row(other[0], "0100").status);
        assertEquals(row(other[0], "0100").id, row(cancelOther.field(11), "0100").origId);
        assertEquals("12", path.send(COMPLETION, completion(other, 5_000)).code());
    }

    @Test
    void anUnknownOrDeclinedPreAuthOrAWrongAuthCodeIs25() {
        String[] pa = approvedPreAuth(10_000);
        assertEquals("25", path.send(COMPLETION, completion(new String[] {"999999", pa[1]}, 100)).code(), "unknown");
        assertEquals("25", path.send(COMPLETION, completion(new String[] {pa[0], "ZZZZZZ"}, 100)).code(), "wrong 38");
        row(pa[0], "0100").status = JournalStatus.DECLINED;
        assertEquals("25", path.send(COMPLETION, completion(pa, 100)).code(), "declined");
        PosMessage purchase = path.client.purchase(PurchasePath.PAN, 100, PurchasePath.PIN);
        Answer p = path.send(TransactionKind.PURCHASE, purchase);
        assertEquals("25", path.send(COMPLETION, completion(new String[] {purchase.field(11), p.message().field(38)}, 100)).code(),
                "a purchase is not a pre-auth");
        PosMessage noAuthCode = completion(pa, 100);
        noAuthCode.unset(38);
        assertEquals("30", path.send(COMPLETION, noAuthCode).code());
        assertEquals(2, path.host.received.size(), "none of them reached the host");
    }

    @Test
    void aCompletionVoidGivesThePreAuthBackToBeCompletedAgainAndOnlyOnce() {
        String[] pa = approvedPreAuth(10_000);
        PosMessage first = completion(pa, 10_000);
        Answer c1 = path.send(COMPLETION, first);
        assertEquals("00", c1.code());

        PosMessage voidOfFirst = path.client.completionVoid(PurchasePath.PAN, 10_000, first.field(11), c1.message().field(38));
        Answer v = path.send(TransactionKind.COMPLETION_VOID, voidOfFirst);

        assertEquals("00", v.code());
        assertTrue(v.macValid());
        assertEquals(JournalStatus.APPROVED, row(pa[0], "0100").status, "the pre-auth is open again");
        assertEquals(row(first.field(11), "0200").id, row(voidOfFirst.field(11), "0200").origId);
        assertEquals(JournalStatus.APPROVED, row(first.field(11), "0200").status, "the completion stays, a debit the void credits");

        assertEquals("00", path.send(COMPLETION, completion(pa, 8_000)).code(), "completed again");
        assertEquals(JournalStatus.COMPLETED, row(pa[0], "0100").status);
        Answer voidAgain = path.send(TransactionKind.COMPLETION_VOID,
                path.client.completionVoid(PurchasePath.PAN, 10_000, first.field(11), c1.message().field(38)));
        assertEquals("12", voidAgain.code(), "the first completion is voided already");
        assertEquals(JournalStatus.COMPLETED, row(pa[0], "0100").status);
        assertEquals("25", path.send(TransactionKind.COMPLETION_VOID,
                path.client.completionVoid(PurchasePath.PAN, 10_000, pa[0], pa[1])).code(), "a pre-auth is not a completion");
    }

    @Test
    void aCompletionWhoseAnswerIsLostIsReversedAndGivesThePreAuthBack() {
        String[] pa = approvedPreAuth(10_000);
        path.host.mode = HostMode.TIME_OUT;

        PosMessage completion = completion(pa, 10_000);
        Answer a = path.send(COMPLETION, completion);

        assertEquals("68", a.code());
        assertEquals(1, path.reversals.size());
        PosMessage reversal = path.reversals.get(0);
        assertEquals("0400", reversal.mti());
        assertEquals("20", reversal.field60().typeCode(), "the reversal keeps 60.1");
        assertEquals(JournalStatus.TIMED_OUT, row(completion.field(11), "0200").status);
        assertEquals(JournalStatus.APPROVED, row(pa[0], "0100").status);
        path.host.mode = HostMode.ANSWER;
        assertEquals("00", path.send(COMPLETION, completion(pa, 10_000)).code());
    }

    @Test
    void theReversalOfAnApprovedCompletionOrCancelGivesThePreAuthBackAndOfAPreAuthReversesIt() {
        String[] pa = approvedPreAuth(10_000);
        PosMessage completion = completion(pa, 10_000);
        assertEquals("00", path.send(COMPLETION, completion).code());

        Answer r = path.send(TransactionKind.REVERSAL, path.client.reversalOf(completion));

        assertEquals("00", r.code());
        assertEquals(JournalStatus.REVERSED, row(completion.field(11), "0200").status);
        assertEquals(JournalStatus.APPROVED, row(pa[0], "0100").status);

        PosMessage cancel = path.client.preAuthCancel(PurchasePath.PAN, 10_000, BATCH, pa[0], DATE, pa[1]);
        assertEquals("00", path.send(TransactionKind.PREAUTH_CANCEL, cancel).code());
        assertEquals(JournalStatus.CANCELLED, row(pa[0], "0100").status);
        assertEquals("00", path.send(TransactionKind.REVERSAL, path.client.reversalOf(cancel)).code());
        assertEquals(JournalStatus.APPROVED, row(pa[0], "0100").status);

        PosMessage preAuth = path.client.preAuth(PurchasePath.PAN, 3_000, PurchasePath.PIN);
        assertEquals("00", path.send(TransactionKind.PREAUTH, preAuth).code());
        Answer rp = path.send(TransactionKind.REVERSAL, path.client.reversalOf(preAuth));
        assertEquals("00", rp.code());
        assertEquals("10", path.host.received.get(path.host.received.size() - 1).field60().typeCode());
        assertEquals(JournalStatus.REVERSED, row(preAuth.field(11), "0100").status);
    }

    @Test
    void aRepeatedPreAuthIs94() {
        PosMessage preAuth = path.client.preAuth(PurchasePath.PAN, 3_000, PurchasePath.PIN);
        assertEquals("00", path.send(TransactionKind.PREAUTH, preAuth).code());

        Answer again = path.send(TransactionKind.PREAUTH, preAuth);

        assertEquals("94", again.code());
        assertTrue(again.macValid());
        assertEquals(1, path.host.received.size());
    }
}
