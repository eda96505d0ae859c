package dev.posgate.gateway.posp;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.testing.BusinessDayZone;
import dev.posgate.testing.Eventually;
import dev.posgate.gateway.posp.store.AdviceVault;
import dev.posgate.gateway.posp.store.TransactionJournal;
import dev.posgate.gateway.platform.db.AuditLog;
import dev.posgate.gateway.platform.db.KeyRecord;
import dev.posgate.gateway.platform.db.KeyRepository;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.KeyWithKcv;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Refund, offline settlement and adjustments (issue 18 item 2) end to end over TCP: terminal →
 * gateway (PostgreSQL, software HSM) → host simulator. The gateway answers each 0220 advice as soon
 * as it is journalled with its forward state, then forwards it until the host acknowledges it.
 * Every request's and answer's MAC is recomputed here with BouncyCastle's DESede under the MAK
 * decrypted from field 62 with the clear TMK. docs/posp.md "Refunds, offline settlement and adjustments".
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(PospFixture.PerClass.class)
class RefundEndToEndIT {
    private static final String PAN = "6222021234567890123";
    private static final String PIN = "123456";
    private final PospFixture world;

    RefundEndToEndIT(PospFixture world) {
        this.world = world;
    }

    /** The gateway's advice vault as a second node would have it: the DEK from key_record, the same LMK. */
    private AdviceVault vault() {
        return new AdviceVault(world.hostHsm, new KeyRepository(world.db()), new AuditLog(world.db()), 60_000);
    }

    private static String today() {
        return BusinessDayZone.todayMmdd();
    }

    private void delivered(SignedOnTerminal t, PosMessage advice, String hostCode) throws Exception {
        Eventually.until("advice " + advice.field(11) + " acknowledged by the host",
                () -> "DELIVERED".equals(t.row(advice.field(11), "0220").getString("advice_state")));
        assertEquals(hostCode, t.row(advice.field(11), "0220").getString("advice_code"));
        assertTrue(t.row(advice.field(11), "0220").getBoolean("dropped"), "the stored message is gone once delivered");
        assertEquals(hostCode, world.host.advices().get(t.key(advice)));
    }

    @Test
    void partialRefundsUpToTheOriginalThenTheCapThenSettlementInBalance() throws Exception {
        SignedOnTerminal t = new SignedOnTerminal(world, "REFD0001", "SN-REFD-1");
        String batch = t.pos.batch();
        PosMessage purchase = t.pos.purchase(PAN, 10_000, PIN);
        PosMessage p = t.send(purchase);
        assertEquals("00", p.field(39));
        String rrn = p.field(37);

        PosMessage first = t.pos.refund(PAN, 3_000, batch, purchase.field(11), today(), rrn);
        assertEquals("200000", first.field(3));
        assertEquals("25", first.field60().typeCode());
        PosMessage r1 = t.send(first);
        assertEquals("0230", r1.mti());
        assertEquals("00", r1.field(39));
        delivered(t, first, "00");
        PosMessage atHost = world.host.requestsReceived().get("REFD0001:" + first.field(11) + ":0220");
        assertEquals(rrn, atHost.field(37));
        assertEquals(batch + purchase.field(11) + today(), atHost.field(61));
        assertFalse(atHost.has(52));
        Row r = t.row(first.field(11), "0220");
        assertEquals("REFUND", r.getString("kind"));
        assertEquals(t.row(purchase.field(11), "0200").getLong("id"), r.getLong("orig_id"));

        PosMessage second = t.pos.refund(PAN, 5_000, batch, purchase.field(11), today(), rrn);
        assertEquals("00", t.send(second).field(39));
        PosMessage over = t.pos.refund(PAN, 2_001, batch, purchase.field(11), today(), rrn);
        assertEquals("61", t.send(over).field(39), "3 000 + 5 000 + 2 001 > 10 000");
        assertEquals("DECLINED", t.row(over.field(11), "0220").getString("status"));
        assertNull(t.row(over.field(11), "0220").getString("advice_state"), "a refused refund is not forwarded");
        PosMessage rest = t.pos.refund(PAN, 2_000, batch, purchase.field(11), today(), rrn);
        assertEquals("00", t.send(rest).field(39), "exactly what is left");
        assertEquals("61", t.send(t.pos.refund(PAN, 1, batch, purchase.field(11), today(), rrn)).field(39));
        assertEquals(10_000L, t.row(purchase.field(11), "0200").getLong("refunded"));
        delivered(t, second, "00");
        delivered(t, rest, "00");
        assertFalse(world.host.requestsReceived().containsKey("REFD0001:" + over.field(11) + ":0220"), "a refused refund never reaches the host");
        assertEquals(10_000L, world.host.refunded().get(t.key(purchase)), "the host's own cap agrees");

        assertEquals("25", t.send(t.pos.refund(PAN, 100, batch, purchase.field(11), today(), "000000000000")).field(39),
                "37 must be the original's reference");
        assertEquals("12", t.send(t.pos.reversalOf(first)).field(39), "an advice is not reversed");

        // debits: the purchase; credits: the three accepted refunds
        PosMessage settled = t.send(t.pos.settlement(1, 10_000, 3, 10_000));
        assertEquals("00", settled.field(39));
        assertTrue(settled.field(48).endsWith("1"), "in balance: " + settled.field(48));
    }

    /** Journals an approved purchase of 10 000 (batch and STAN 000001) straight into {@code journal}; its id. */
    private static long approvedPurchase(TransactionJournal journal, String tid) throws Exception {
        assertTrue(await(journal.open(tid, "000001", "000001", "0200", TransactionJournal.Kind.PURCHASE, 10_000, null, null, null)));
        await(journal.close(tid, "000001", "000001", "0200", dev.posgate.gateway.posp.store.JournalStatus.APPROVED, "00",
                "000000000001", "000001"));
        long purchaseId = await(journal.original(tid, "000001", "000001")).id();
        return purchaseId;
    }

    /** The statement that accepts a refund is the cap: 10 refunds of 3 000 racing on one purchase of 10 000, 3 win. */
    @Test
    void concurrentRefundsNeverExceedTheOriginal() throws Exception {
        TransactionJournal journal = new TransactionJournal(world.db(), vault());
        String tid = "REFDRACE";
        long purchaseId = approvedPurchase(journal, tid);
        List<Future<Boolean>> accepts = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String stan = String.format("%06d", 100 + i);
            assertTrue(await(journal.open(tid, "000001", stan, "0220", TransactionJournal.Kind.REFUND, 3_000, null, "000001", null)));
        }
        for (int i = 0; i < 10; i++) {
            accepts.add(journal.accept(tid, "000001", String.format("%06d", 100 + i), "0220", TransactionJournal.Effect.REFUND,
                    purchaseId, 3_000, new byte[] {1}));
        }
        await(Future.join(accepts));
        long won = accepts.stream().filter(f -> Boolean.TRUE.equals(f.result())).count();
        assertEquals(3, won);
        assertEquals(9_000L, await(journal.original(tid, "000001", "000001")).refunded());
        assertEquals(3L, await(world.db().preparedQuery("select count(*) from posp_transaction where tid = $1 and kind = 'REFUND'"
                + " and status = 'APPROVED' and advice_state = 'QUEUED'").execute(Tuple.of(tid))).iterator().next().getLong(0));
        await(world.db().preparedQuery("update posp_transaction set advice_state = 'DELIVERED' where tid = $1").execute(Tuple.of(tid)));
        // and the table refuses any excess whatever writes it
        Throwable e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> await(world.db().preparedQuery(
                "update posp_transaction set refunded = refunded + 1001 where id = $1").execute(Tuple.of(purchaseId))));
        assertTrue(e.getMessage().contains("posp_transaction_refund_cap"), e.getMessage());
    }

    /**
     * A void and a refund of one purchase exclude each other in the database: a refund finds a
     * void in progress and matches nothing; a void's check waits for a refund holding the
     * purchase's row lock and reads what it refunded.
     */
    @Test
    void aVoidAndARefundOfOnePurchaseExcludeEachOther() throws Exception {
        TransactionJournal journal = new TransactionJournal(world.db(), vault());
        String tid = "REFDVOID";
        long purchaseId = approvedPurchase(journal, tid);
        assertTrue(await(journal.open(tid, "000001", "000002", "0200", TransactionJournal.Kind.VOID, 10_000, null, "000001", null)));
        assertTrue(await(journal.open(tid, "000001", "000003", "0220", TransactionJournal.Kind.REFUND, 1_000, null, "000001", null)));
        assertFalse(await(journal.accept(tid, "000001", "000003", "0220", TransactionJournal.Effect.REFUND, purchaseId, 1_000,
                new byte[] {1})), "a void in progress: nothing to refund");
        await(journal.close(tid, "000001", "000002", "0200", dev.posgate.gateway.posp.store.JournalStatus.DECLINED, "05", null, null));

        // a refund holds the purchase's row lock and has raised refunded, not committed yet
        io.vertx.sqlclient.SqlConnection held = await(world.db().getConnection());
        try {
            io.vertx.sqlclient.Transaction tx = await(held.begin());
            await(held.preparedQuery("select 1 from posp_transaction where id = $1 for update").execute(Tuple.of(purchaseId)));
            await(held.preparedQuery("update posp_transaction set refunded = 1000 where id = $1").execute(Tuple.of(purchaseId)));
            Future<Long> voidCheck = journal.refundedOf(tid, "000001", "000001");
            assertFalse(voidCheck.isComplete(), "the void's check waits for the refund's commit");
            await(tx.commit());
            assertEquals(1_000L, await(voidCheck), "and then sees what it refunded");
        } finally {
            held.close();
        }
    }

    @Test
    void offlineSettlementAndItsAdjustmentsReachTheHost() throws Exception {
        SignedOnTerminal t = new SignedOnTerminal(world, "REFD0002", "SN-REFD-2");
        PosMessage offline = t.pos.offlineSettlement(PAN, 5_000, "OFF123");
        PosMessage o = t.send(offline);
        assertEquals("0230", o.mti());
        assertEquals("00", o.field(39));
        delivered(t, offline, "00");
        assertEquals(5_000L, world.host.offlineSettlements().get(t.key(offline)));

        PosMessage tip = t.pos.adjustment(PAN, 5_600, offline.field(11), true);
        assertEquals("34", tip.field60().typeCode());
        assertEquals("00", t.send(tip).field(39));
        assertEquals("ADJUSTED", t.row(offline.field(11), "0220").getString("status"));
        delivered(t, tip, "00");
        assertEquals(5_600L, world.host.offlineSettlements().get(t.key(tip)));
        assertFalse(world.host.offlineSettlements().containsKey(t.key(offline)), "replaced at the host");
        assertEquals("12", t.send(t.pos.adjustment(PAN, 1_000, offline.field(11), false)).field(39), "adjusted already");

        PosMessage settled = t.send(t.pos.settlement(1, 5_600, 0, 0));
        assertEquals("00", settled.field(39));
        assertTrue(settled.field(48).endsWith("1"), "the adjustment counts in place of the offline sale: " + settled.field(48));
    }

    /**
     * Duplicates: the terminal resends an advice (same body) and gets the same answer, applied
     * once; the queue sends an advice again (as after a crash between the host's 0230 and the
     * DELIVERED write) and the host recognises it by (TID, batch, STAN) and applies it once.
     */
    @Test
    void repeatedAdvicesAreAppliedOnceAtTheGatewayAndAtTheHost() throws Exception {
        SignedOnTerminal t = new SignedOnTerminal(world, "REFD0003", "SN-REFD-3");
        PosMessage purchase = t.pos.purchase(PAN, 8_000, PIN);
        PosMessage p = t.send(purchase);
        PosMessage refund = t.pos.refund(PAN, 8_000, t.pos.batch(), purchase.field(11), today(), p.field(37));
        byte[] body = t.pos.seal(refund);
        assertEquals("00", PosMessage.unpack(await(t.link.request(body))).field(39));
        PosMessage again = PosMessage.unpack(await(t.link.request(body)));
        assertEquals("00", again.field(39), "the first answer again");
        assertEquals(8_000L, t.row(purchase.field(11), "0200").getLong("refunded"), "refunded once");
        delivered(t, refund, "00");

        long received = world.host.advicesReceived();
        // queued again as the accepting statement stores it: sealed under the advice DEK (never clear at rest)
        AdviceVault.Sealed sealed = await(vault().seal(world.host.requestsReceived().get(t.tid + ":" + refund.field(11) + ":0220").pack()));
        await(world.db().preparedQuery("update posp_transaction set advice_state = 'QUEUED', advice = $2, advice_key_id = $3,"
                        + " advice_iv = $4, advice_next_at = now() where tid = $1 and mti = '0220'")
                .execute(Tuple.of(t.tid, io.vertx.core.buffer.Buffer.buffer(sealed.body()), sealed.keyId(),
                        io.vertx.core.buffer.Buffer.buffer(sealed.iv()))));
        delivered(t, refund, "00");
        assertTrue(world.host.advicesReceived() > received, "sent again");
        assertEquals(8_000L, world.host.refunded().get(t.key(purchase)), "applied once by the host");
    }

    /** The host does not answer: the terminal has its 00 already; the gateway retries until the host acknowledges. */
    @Test
    void anUnansweredAdviceIsRetriedUntilAcknowledged() throws Exception {
        SignedOnTerminal t = new SignedOnTerminal(world, "REFD0004", "SN-REFD-4");
        world.host.answerAdvices(false);
        PosMessage offline;
        try {
            offline = t.pos.offlineSettlement(PAN, 1_234, null);
            assertEquals("00", t.send(offline).field(39), "answered without waiting for the host");
            Eventually.until("attempted again", () -> t.row(offline.field(11), "0220").getInteger("advice_attempts") >= 2);
            assertEquals("QUEUED", t.row(offline.field(11), "0220").getString("advice_state"));
        } finally {
            world.host.answerAdvices(true);
        }
        delivered(t, offline, "00");
        assertEquals(1_234L, world.host.offlineSettlements().get(t.key(offline)));
    }

    /** The stored advice's columns: ciphertext, the key_record id of its DEK, the IV. */
    private Row stored(SignedOnTerminal t, PosMessage advice) throws Exception {
        return await(world.db().preparedQuery("select advice, advice_key_id, advice_iv from posp_transaction"
                        + " where tid = $1 and stan = $2 and mti = '0220'")
                .execute(Tuple.of(t.tid, advice.field(11)))).iterator().next();
    }

    /**
     * The advice DEK is rotated while an offline settlement waits (docs/posp.md, "Stored advices at
     * rest"): the old version is RETIRED, a fresh node seals under the new one, and the row sealed
     * under the retired one still opens: the host gets the PAN.
     */
    @Test
    void anAdviceSealedUnderARetiredKeyStillOpensAfterARotation() throws Exception {
        SignedOnTerminal t = new SignedOnTerminal(world, "REFD0005", "SN-REFD-5");
        world.host.answerAdvices(false);
        PosMessage offline;
        long oldKey;
        long newKey;
        try {
            offline = t.pos.offlineSettlement(PAN, 700, null);
            assertEquals("00", t.send(offline).field(39));
            oldKey = stored(t, offline).getLong("advice_key_id");
            KeyWithKcv next = await(world.hostHsm.generateKey(KeyType.DEK));
            newKey = await(world.db().withTransaction(tx -> world.keys().store(tx, KeyRecord.OwnerType.SYSTEM, AdviceVault.OWNER,
                    AdviceVault.KEY_TYPE, 0, next.key().toWire(), next.kcv().storedHex(), KeyRecord.State.ACTIVE))).id();
            assertEquals(newKey, await(vault().seal(new byte[] {1, 2, 3})).keyId(), "new advices are sealed under the new version");
        } finally {
            world.host.answerAdvices(true);
        }
        assertEquals("RETIRED", await(world.db().preparedQuery("select state from key_record where id = $1")
                .execute(Tuple.of(oldKey))).iterator().next().getString(0));
        delivered(t, offline, "00");
        assertEquals(PAN, world.host.requestsReceived().get(t.tid + ":" + offline.field(11) + ":0220").field(2));
    }

    /**
     * An advice a gateway before V16 stored in clear (as V15 wrote it: no key) is sealed at the
     * next start, before the queue runs, then forwarded.
     */
    @Test
    void anAdviceStoredInClearBeforeTheEncryptionIsSealedAtStartUp() throws Exception {
        SignedOnTerminal t = new SignedOnTerminal(world, "REFD0006", "SN-REFD-6");
        world.host.answerAdvices(false);
        PosMessage offline;
        try {
            offline = t.pos.offlineSettlement(PAN, 800, null);
            assertEquals("00", t.send(offline).field(39));
            String key = t.tid + ":" + offline.field(11) + ":0220";
            Eventually.until("sent once", () -> world.host.requestsReceived().containsKey(key));
            byte[] clear = world.host.requestsReceived().get(key).pack();
            // the row as V15 left it; the constraint V16 adds (NOT VALID) is lifted for the write only
            await(world.db().withTransaction(tx -> tx.query("alter table posp_transaction drop constraint posp_transaction_advice_sealed")
                    .execute()
                    .compose(v -> tx.preparedQuery("update posp_transaction set advice = $2, advice_key_id = null, advice_iv = null"
                            + " where tid = $1 and mti = '0220'").execute(Tuple.of(t.tid, io.vertx.core.buffer.Buffer.buffer(clear))))
                    .compose(v -> tx.query("alter table posp_transaction add constraint posp_transaction_advice_sealed check (advice"
                            + " is null or (advice_key_id is not null and advice_iv is not null)) not valid").execute())));
            assertNull(stored(t, offline).getLong("advice_key_id"));
            world.stopGateway();
            world.startGateway();
            Row sealed = stored(t, offline);
            assertNotNull(sealed.getLong("advice_key_id"), "sealed at start-up");
            assertFalse(HexFormat.of().formatHex(sealed.getBuffer("advice").getBytes()).contains(PAN));
        } finally {
            world.host.answerAdvices(true);
        }
        Eventually.until("acknowledged after the restart", () -> "DELIVERED".equals(await(world.db().preparedQuery(
                "select advice_state from posp_transaction where tid = $1 and mti = '0220'").execute(Tuple.of(t.tid)))
                .iterator().next().getString(0)));
        assertEquals(800L, world.host.offlineSettlements().get(t.key(offline)));
    }
}
