package dev.posgate.gateway.posp;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.testing.BusinessDayZone;
import dev.posgate.testing.Eventually;
import io.vertx.sqlclient.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The pre-authorisation family (issue 18 item 1) end to end over TCP: terminal → gateway
 * (PostgreSQL, software HSM) → host simulator and back. Every request's MAC and every answer's
 * MAC is recomputed here with BouncyCastle's DESede under the MAK decrypted from the sign-on's
 * field 62 with the clear TMK, independently of the PIN pad and the HSM. docs/posp.md
 * "Pre-authorisation".
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(PospFixture.PerClass.class)
class PreAuthEndToEndIT {
    private static final String PAN = "6222021234567890123";
    private static final String PIN = "123456";
    private final PospFixture world;

    PreAuthEndToEndIT(PospFixture world) {
        this.world = world;
    }

    private static String today() {
        return BusinessDayZone.todayMmdd();
    }

    @Test
    void preAuthCompletionVoidAndCompletionAgainThenSettlement() throws Exception {
        SignedOnTerminal t = new SignedOnTerminal(world, "PREA0001", "SN-PREA-1");
        String batch = t.pos.batch();

        PosMessage preAuth = t.pos.preAuth(PAN, 10_000, PIN);
        assertEquals("030000", preAuth.field(3));
        PosMessage pa = t.send(preAuth);
        assertEquals("0110", pa.mti());
        assertEquals("00", pa.field(39));
        String auth = pa.field(38);
        assertNotNull(auth, "the host's auth code");
        assertEquals(10_000L, world.host.preAuths().get(t.key(preAuth)));
        Row paRow = t.row(preAuth.field(11), "0100");
        assertEquals("PREAUTH", paRow.getString("kind"));
        assertEquals("APPROVED", paRow.getString("status"));
        assertEquals(auth, paRow.getString("auth_code"));

        // above 10 000 + 15 %: refused before the host
        long before = world.host.messagesReceived();
        PosMessage tooMuch = t.pos.completion(PAN, 11_501, batch, preAuth.field(11), today(), auth, null);
        PosMessage refused = t.send(tooMuch);
        assertEquals("0210", refused.mti());
        assertEquals("61", refused.field(39));
        assertEquals(before, world.host.messagesReceived(), "never reached the host");
        assertEquals("DECLINED", t.row(tooMuch.field(11), "0200").getString("status"));

        PosMessage completion = t.pos.completion(PAN, 11_000, batch, preAuth.field(11), today(), auth, PIN);
        PosMessage c = t.send(completion);
        assertEquals("00", c.field(39));
        assertEquals("COMPLETED", t.row(preAuth.field(11), "0100").getString("status"));
        Row cRow = t.row(completion.field(11), "0200");
        assertEquals("COMPLETION", cRow.getString("kind"));
        assertEquals(paRow.getLong("id"), cRow.getLong("orig_id"), "linked to its pre-auth");
        assertEquals(11_000L, world.host.ledger().get(t.key(completion)));
        PosMessage atHost = world.host.requestsReceived().get("PREA0001:" + completion.field(11) + ":0200");
        assertEquals(auth, atHost.field(38));
        assertEquals(batch + preAuth.field(11) + today(), atHost.field(61));

        assertEquals("12", t.send(t.pos.completion(PAN, 1_000, batch, preAuth.field(11), today(), auth, null)).field(39),
                "a completed pre-auth is not completed twice");

        PosMessage voidOfIt = t.pos.completionVoid(PAN, 11_000, completion.field(11), c.field(38));
        assertEquals("200000", voidOfIt.field(3));
        PosMessage v = t.send(voidOfIt);
        assertEquals("00", v.field(39));
        assertEquals("APPROVED", t.row(preAuth.field(11), "0100").getString("status"), "the void gives the pre-auth back");
        assertEquals(cRow.getLong("id"), t.row(voidOfIt.field(11), "0200").getLong("orig_id"));
        assertFalse(world.host.ledger().containsKey(t.key(completion)), "voided at the host");

        PosMessage again = t.pos.completion(PAN, 9_000, batch, preAuth.field(11), today(), auth, null);
        assertEquals("00", t.send(again).field(39));
        assertEquals("COMPLETED", t.row(preAuth.field(11), "0100").getString("status"));
        assertEquals("12", t.send(t.pos.completionVoid(PAN, 11_000, completion.field(11), c.field(38))).field(39),
                "the first completion is voided already");

        // debits: the two completions; credits: the void; pre-auths move no money
        PosMessage settled = t.send(t.pos.settlement(2, 20_000, 1, 11_000));
        assertEquals("00", settled.field(39));
        assertTrue(settled.field(48).endsWith("1"), "in balance: " + settled.field(48));
    }

    @Test
    void preAuthCancelCancelsItAndACompletionAfterwardsIs12() throws Exception {
        SignedOnTerminal t = new SignedOnTerminal(world, "PREA0002", "SN-PREA-2");
        PosMessage preAuth = t.pos.preAuth(PAN, 5_000, PIN);
        PosMessage pa = t.send(preAuth);
        assertEquals("00", pa.field(39));

        PosMessage cancel = t.pos.preAuthCancel(PAN, 5_000, t.pos.batch(), preAuth.field(11), today(), pa.field(38));
        assertEquals("200000", cancel.field(3));
        PosMessage r = t.send(cancel);
        assertEquals("0110", r.mti());
        assertEquals("00", r.field(39));
        assertEquals("CANCELLED", t.row(preAuth.field(11), "0100").getString("status"));
        assertEquals(t.row(preAuth.field(11), "0100").getLong("id"), t.row(cancel.field(11), "0100").getLong("orig_id"));
        assertFalse(world.host.preAuths().containsKey(t.key(preAuth)), "released at the host");

        assertEquals("12", t.send(t.pos.completion(PAN, 5_000, t.pos.batch(), preAuth.field(11), today(), pa.field(38), null))
                .field(39));
        assertEquals("25", t.send(t.pos.preAuthCancel(PAN, 5_000, t.pos.batch(), "999990", today(), pa.field(38))).field(39),
                "unknown pre-auth");
    }

    @Test
    void theReversalOfAPreAuthAndARepeatedPreAuth() throws Exception {
        SignedOnTerminal t = new SignedOnTerminal(world, "PREA0003", "SN-PREA-3");
        PosMessage preAuth = t.pos.preAuth(PAN, 7_000, PIN);
        byte[] body = t.pos.seal(preAuth);
        assertEquals("00", PosMessage.unpack(await(t.link.request(body))).field(39));
        PosMessage dup = PosMessage.unpack(await(t.link.request(body)));
        assertEquals("94", dup.field(39), "the same STAN again, as for purchases");

        PosMessage reversal = t.pos.reversalOf(preAuth);
        assertEquals("10", reversal.field60().typeCode());
        PosMessage r = t.send(reversal);
        assertEquals("0410", r.mti());
        assertEquals("00", r.field(39));
        assertEquals("REVERSED", t.row(preAuth.field(11), "0100").getString("status"));
        assertTrue(world.host.reversalsReceived().contains("PREA0003:" + preAuth.field(11)));
        assertFalse(world.host.preAuths().containsKey(t.key(preAuth)));
        assertEquals("25", t.send(t.pos.completion(PAN, 7_000, t.pos.batch(), preAuth.field(11), today(), "000000", null))
                .field(39), "a reversed pre-auth cannot be completed");
    }

    @Test
    void aPreAuthWhoseAnswerIsLostIsReversedByTheGatewayStoreAndForward() throws Exception {
        SignedOnTerminal t = new SignedOnTerminal(world, "PREA0004", "SN-PREA-4");
        // the host simulator never answers an amount ending in 999
        PosMessage preAuth = t.pos.preAuth(PAN, 4_999, PIN);
        PosMessage lost = t.send(preAuth);
        assertEquals("68", lost.field(39));
        Eventually.until("the gateway's reversal reached the host",
                () -> world.host.reversalsReceived().contains("PREA0004:" + preAuth.field(11)));
        Eventually.until("the row is reversed once the host acknowledged it",
                () -> "REVERSED".equals(t.row(preAuth.field(11), "0100").getString("status")));
        PosMessage up = world.host.requestsReceived().get("PREA0004:" + preAuth.field(11) + ":0400");
        assertEquals("10", up.field60().typeCode(), "the reversal keeps 60.1");
        assertEquals("030000", up.field(3));
    }

    /**
     * Timeouts: a completion, a completion void and a cancel whose answers are lost (the host
     * stalls) are answered 68, reversed by the gateway (store and forward), and give back the
     * pre-auth move they made, so the terminal can do them again.
     */
    @Test
    void lostAnswersOfACompletionAVoidAndACancelGiveTheirMoveBack() throws Exception {
        SignedOnTerminal t = new SignedOnTerminal(world, "PREA0005", "SN-PREA-5");
        String batch = t.pos.batch();
        PosMessage preAuth = t.pos.preAuth(PAN, 10_000, PIN);
        PosMessage pa = t.send(preAuth);
        assertEquals("00", pa.field(39));
        String auth = pa.field(38);

        PosMessage lostCompletion = t.pos.completion(PAN, 10_000, batch, preAuth.field(11), today(), auth, null);
        assertEquals("68", lostWhileStalled(t, lostCompletion).field(39));
        assertEquals("APPROVED", t.row(preAuth.field(11), "0100").getString("status"));
        reversedAtTheHost(t, lostCompletion);

        PosMessage completion = t.pos.completion(PAN, 10_000, batch, preAuth.field(11), today(), auth, null);
        PosMessage c = t.send(completion);
        assertEquals("00", c.field(39));
        PosMessage lostVoid = t.pos.completionVoid(PAN, 10_000, completion.field(11), c.field(38));
        assertEquals("68", lostWhileStalled(t, lostVoid).field(39));
        assertEquals("COMPLETED", t.row(preAuth.field(11), "0100").getString("status"), "the void's move given back");
        reversedAtTheHost(t, lostVoid);
        assertEquals("00", t.send(t.pos.completionVoid(PAN, 10_000, completion.field(11), c.field(38))).field(39));
        assertEquals("APPROVED", t.row(preAuth.field(11), "0100").getString("status"));

        PosMessage lostCancel = t.pos.preAuthCancel(PAN, 10_000, batch, preAuth.field(11), today(), auth);
        assertEquals("68", lostWhileStalled(t, lostCancel).field(39));
        assertEquals("APPROVED", t.row(preAuth.field(11), "0100").getString("status"));
        reversedAtTheHost(t, lostCancel);
        assertEquals("00", t.send(t.pos.preAuthCancel(PAN, 10_000, batch, preAuth.field(11), today(), auth)).field(39));
        assertEquals("CANCELLED", t.row(preAuth.field(11), "0100").getString("status"));
    }

    private PosMessage lostWhileStalled(SignedOnTerminal t, PosMessage m) throws Exception {
        world.host.stall(true);
        try {
            return t.send(m);
        } finally {
            world.host.stall(false);
        }
    }

    private void reversedAtTheHost(SignedOnTerminal t, PosMessage lost) throws Exception {
        Eventually.until("the gateway's reversal of " + lost.field(11) + " reached the host",
                () -> world.host.reversalsReceived().contains(t.tid + ":" + lost.field(11)));
        Eventually.until("acknowledged", () -> "REVERSED".equals(t.row(lost.field(11), lost.mti()).getString("status")));
    }
}
