package dev.posgate.gateway.posp;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.protocol.posp.BatchUpload;
import dev.posgate.testing.BusinessDayZone;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Batch settlement with batch upload (issue 18 item 3) over TCP: an out-of-balance settlement
 * (flag 2 in field 48 of the 0510), the terminal's 0320 detail messages and its end of upload,
 * reconciled with the journal and recorded per batch. Every MAC both ways recomputed with
 * BouncyCastle's DESede. docs/posp.md "Batch upload".
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(PospFixture.PerClass.class)
class BatchUploadEndToEndIT {
    private static final String PAN = "6222021234567890123";
    private static final String PIN = "123456";
    private final PospFixture world;

    BatchUploadEndToEndIT(PospFixture world) {
        this.world = world;
    }

    private static String today() {
        return BusinessDayZone.todayMmdd();
    }

    private Row settlement(String tid, String batch) throws Exception {
        var rows = await(world.db().preparedQuery("select * from posp_batch_settlement where tid = $1 and batch = $2")
                .execute(Tuple.of(tid, batch)));
        return rows.size() == 0 ? null : rows.iterator().next();
    }

    @Test
    void outOfBalanceSettlementThenUploadThenEndReconcilesAndRecordsTheBatch() throws Exception {
        SignedOnTerminal t = new SignedOnTerminal(world, "BUPL0001", "SN-BUPL-1");
        String batch = t.pos.batch();
        PosMessage a = t.pos.purchase(PAN, 10_000, PIN);
        PosMessage ra = t.send(a);
        assertEquals("00", ra.field(39));
        PosMessage b = t.pos.purchase(PAN, 2_000, PIN);
        assertEquals("00", t.send(b).field(39));
        PosMessage refund = t.pos.refund(PAN, 1_000, batch, a.field(11), today(), ra.field(37));
        assertEquals("00", t.send(refund).field(39));

        assertEquals("12", t.send(t.pos.batchUploadEnd(0)).field(39), "no settlement waits for an upload yet");

        // the terminal lost purchase b and holds a sale c the gateway never approved
        PosMessage settled = t.send(t.pos.settlement(2, 10_500, 1, 1_000));
        assertEquals("0510", settled.mti());
        assertEquals("00", settled.field(39));
        assertEquals('2', settled.field(48).charAt(30), "out of balance: " + settled.field(48));
        assertEquals(batch, t.pos.batch(), "the batch stays open for the upload");
        Row s = settlement(t.tid, batch);
        assertEquals("UPLOADING", s.getString("state"));
        assertFalse(s.getBoolean("in_balance"));
        assertEquals("002000000010500001000000001000", s.getString("terminal_totals"));
        assertEquals("002000000012000001000000001000", s.getString("gateway_totals"));

        PosMessage bad = t.pos.batchUpload(List.of(new BatchUpload.Item(BatchUpload.DOMESTIC_CARD, a.field(11), PAN, 10_000)));
        bad.set(48, "01" + "22");
        assertEquals("30", t.send(bad).field(39));

        PosMessage detail = t.pos.batchUpload(List.of(
                new BatchUpload.Item(BatchUpload.DOMESTIC_CARD, a.field(11), PAN, 10_000),
                new BatchUpload.Item(BatchUpload.DOMESTIC_CARD, refund.field(11), PAN, 1_000),
                new BatchUpload.Item(BatchUpload.DOMESTIC_CARD, "000900", PAN, 500)));
        assertEquals("201", detail.field60().networkMgmtCode());
        PosMessage d = t.send(detail);
        assertEquals("0330", d.mti());
        assertEquals("00", d.field(39));
        assertEquals("00", t.send(detail).field(39), "a repeated detail message keeps each transaction once");

        PosMessage end = t.send(t.pos.batchUploadEnd(3));
        assertEquals("0330", end.mti());
        assertEquals("00", end.field(39));
        assertEquals("0003", end.field(48));
        s = settlement(t.tid, batch);
        assertEquals("RECONCILED", s.getString("state"));
        assertEquals(3, s.getInteger("declared"));
        assertEquals(3, s.getInteger("uploaded"));
        assertEquals(2, s.getInteger("matched"), "the purchase and the refund");
        assertEquals(0, s.getInteger("amount_differs"));
        assertEquals(1, s.getInteger("only_terminal"), "the sale the gateway never approved");
        assertEquals(1, s.getInteger("only_gateway"), "the purchase the terminal lost");
        Row up = await(world.db().preparedQuery("select pan_masked from posp_batch_upload where tid = $1 and stan = '000900'")
                .execute(Tuple.of(t.tid))).iterator().next();
        assertEquals("622202*********0123", up.getString(0), "only the masked PAN is kept");
        assertEquals(String.format("%06d", Integer.parseInt(batch) + 1), await(world.db().preparedQuery("select batch from posp_terminal_state where tid = $1")
                .execute(Tuple.of(t.tid))).iterator().next().getString(0), "the gateway moved the terminal on to its next batch");
        assertEquals("12", t.send(t.pos.batchUploadEnd(3)).field(39), "reconciled: nothing waits for an upload any more");
    }

    @Test
    void aBalancedSettlementIsRecordedAndAnUploadAfterItIs12() throws Exception {
        SignedOnTerminal t = new SignedOnTerminal(world, "BUPL0002", "SN-BUPL-2");
        String batch = t.pos.batch();
        PosMessage p = t.pos.purchase(PAN, 3_000, PIN);
        assertEquals("00", t.send(p).field(39));
        PosMessage settled = t.send(t.pos.settlement(1, 3_000, 0, 0));
        assertEquals('1', settled.field(48).charAt(30));
        Row s = settlement(t.tid, batch);
        assertEquals("BALANCED", s.getString("state"));
        assertTrue(s.getBoolean("in_balance"));
        assertEquals("00", s.getString("host_code"));
        assertEquals("12", t.send(t.pos.batchUpload(List.of(new BatchUpload.Item(BatchUpload.DOMESTIC_CARD, p.field(11), PAN, 3_000)))).field(39));
    }
}
