package dev.posgate.gateway.posp;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.crypto.KeyComponents;
import dev.posgate.crypto.Parity;
import dev.posgate.gateway.platform.db.KeyRecord;
import dev.posgate.gateway.support.Metrics;
import dev.posgate.protocol.posp.SignOnMode;
import dev.posgate.protocol.posp.WorkingKeyBlock;
import dev.posgate.iso8583.pos.MacBlock;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.terminal.net.TerminalLink;
import dev.posgate.terminal.pinpad.PinPad;
import dev.posgate.terminal.pos.PosClient;
import dev.posgate.testing.Eventually;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Sign-on and transactions of a TMK terminal, end to end over TCP (gateway, PostgreSQL, HSMs, host simulator). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(PospFixture.PerClass.class)
class PospEndToEndIT {
    private static final String PAN = "6222021234567890123";
    private final PospFixture world;

    PospEndToEndIT(PospFixture world) {
        this.world = world;
    }

    @Test
    void signOnWithEachCodeDeliversKeysUnderTheTmkInTheSpecifiedLayout() throws Exception {
        PinPad pad = world.registerTmkTerminal("TERM0001", "SN-0001");
        PosClient pos = world.tmkClient("TERM0001", pad);
        byte[] tmk = Parity.adjustOdd(KeyComponents.combine(PospFixture.TMK_1, PospFixture.TMK_2));
        int[] lengths = {24, 40, 60};
        SignOnMode[] modes = {SignOnMode.SINGLE, SignOnMode.DOUBLE, SignOnMode.DOUBLE_WITH_TDK};
        for (int i = 0; i < modes.length; i++) {
            // Independent check of the layout: key(n) KCV(4) ..., each key ECB under the TMK.
            PosClient.SignOnResult r = SignedOnTerminal.signOnInLayout(pos, modes[i], lengths[i], tmk);
            assertEquals("0810", r.reply().mti());
            for (int f : new int[] {11, 12, 13, 32, 37, 39, 41, 42, 60, 62}) assertTrue(r.reply().has(f), "field " + f);
        }
        // Keys are versioned per sign-on, stored under the LMK, the last one ACTIVE.
        KeyRecord mak = await(world.keys().active(KeyRecord.OwnerType.TERMINAL, "SN-0001", "MAK", 1)).orElseThrow();
        assertEquals(3, mak.version());
        assertTrue(await(world.keys().active(KeyRecord.OwnerType.TERMINAL, "SN-0001", "TDK", 1)).isPresent());
        String batch = await(world.db().preparedQuery("select batch from posp_terminal_state where tid = $1")
                .execute(Tuple.of("TERM0001"))).iterator().next().getString(0);
        assertEquals(pos.batch(), batch);
    }

    @Test
    void unknownTerminalGets97AndTerminalWithoutTmkIsToldToDownloadOne() throws Exception {
        PosClient stranger = world.tmkClient("NOBODY01", new PinPad());
        assertEquals("97", await(stranger.signOn(SignOnMode.DOUBLE)).code());
        world.register("TERM0009", "SN-0009", dev.posgate.gateway.platform.db.Terminal.KeyScheme.TMK);
        PosClient noTmk = world.tmkClient("TERM0009", new PinPad());
        PosClient.SignOnResult r = await(noTmk.signOn(SignOnMode.DOUBLE));
        assertEquals("97", r.code());
        assertEquals(4, r.reply().header().processingRequirement());
        // both refusals are key operations refused: audited with their reason
        var audit = await(world.gateway.app().database().pool().query(
                "select subject, result, detail->>'reason' as reason from audit_log where action = 'pos.sign_on' "
                        + "and subject in ('NOBODY01', 'TERM0009') order by id").execute());
        assertEquals(2, audit.size());
        var rows = audit.iterator();
        var unknown = rows.next();
        assertEquals("NOBODY01", unknown.getString("subject"));
        assertEquals("97", unknown.getString("result"));
        assertEquals("unknown TID", unknown.getString("reason"));
        assertEquals("no ACTIVE TMK", rows.next().getString("reason"));
    }

    @Test
    void terminalNotSignedOnTodayGets77WithSignOnAgain() throws Exception {
        PinPad pad = world.registerTmkTerminal("TERM0002", "SN-0002");
        PosClient pos = world.tmkClient("TERM0002", pad);
        // Never signed on: the message cannot even be MACed, so a placeholder MAC is sent.
        PosMessage early = pos.purchase(PAN, 100, null).set(64, new byte[8]);
        PosClient.Reply r = await(pos.sendRaw(early.pack()));
        assertEquals("77", r.code());
        assertEquals(3, r.processingRequirement());

        assertEquals("00", await(pos.signOn(SignOnMode.DOUBLE)).code());
        assertTrue(pos.signedOn());
        assertEquals("00", await(pos.send(pos.purchase(PAN, 100, null))).code());
        // Signed on yesterday (in the business time zone) is not today.
        world.changeSignOnState("update posp_terminal_state set signed_on_date = signed_on_date - 1 where tid = $1",
                Tuple.of("TERM0002"));
        PosClient.Reply stale = await(pos.send(pos.purchase(PAN, 100, null)));
        assertEquals("77", stale.code());
        assertEquals(3, stale.processingRequirement());
        assertFalse(pos.signedOn(), "the terminal knows it must sign on again");
    }

    @Test
    void purchaseWithPinIsApprovedByTheHostAndWrongPinGets55() throws Exception {
        PosClient pos = signedOn("TERM0003", "SN-0003");

        PosClient.Reply ok = await(pos.send(pos.purchase(PAN, 12_345, "123456")));
        assertEquals("00", ok.code());
        assertEquals(Boolean.TRUE, ok.macValid(), "response MACed with the MAK");
        assertNotNull(ok.message().field(38), "authorisation code from the host");
        assertEquals("000000012345", ok.message().field(4));

        PosClient.Reply wrong = await(pos.send(pos.purchase(PAN, 12_345, "654321")));
        assertEquals("55", wrong.code());
        assertEquals(Boolean.TRUE, wrong.macValid());

        PosClient.Reply balance = await(pos.send(pos.balanceInquiry(PAN, "123456")));
        assertEquals("00", balance.code());
    }

    @Test
    void badMacGetsA0WithoutAMac() throws Exception {
        PosClient pos = signedOn("TERM0004", "SN-0004");
        long before = world.host.messagesReceived();
        byte[] body = pos.seal(pos.purchase(PAN, 500, "123456"));
        body[body.length - 1] ^= 0x01;
        PosClient.Reply r = await(pos.sendRaw(body));
        assertEquals("A0", r.code());
        assertNull(r.macValid(), "no working key is used for the answer");
        assertEquals(before, world.host.messagesReceived(), "nothing forwarded upstream");
    }

    @Test
    void duplicateStanInABatchGets94() throws Exception {
        PosClient pos = signedOn("TERM0005", "SN-0005");
        byte[] body = pos.seal(pos.purchase(PAN, 700, "123456"));
        assertEquals("00", await(pos.sendRaw(body)).code());
        PosClient.Reply again = await(pos.sendRaw(body));
        assertEquals("94", again.code());
        assertEquals(Boolean.TRUE, again.macValid());
        assertEquals(1.0, Metrics.value(world.gateway, "posgate_replays_refused_total{window=\"stan\"}"));
    }

    @Test
    void aRepeatedReversalIsAnsweredAsTheFirstAndReachesTheHostOnce() throws Exception {
        PosClient pos = signedOn("TERM0010", "SN-0010");
        PosMessage purchase = pos.purchase(PAN, 1_200, "123456");
        assertEquals("00", await(pos.send(purchase)).code());
        // a terminal repeats its 0400 with the same STAN until it sees an answer
        byte[] reversal = pos.seal(pos.reversalOf(purchase));
        PosClient.Reply first = await(pos.sendRaw(reversal));
        PosClient.Reply again = await(pos.sendRaw(reversal));
        assertEquals("00", first.code());
        assertEquals("00", again.code());
        assertEquals(Boolean.TRUE, again.macValid());
        assertEquals(1, world.host.reversalsReceived().stream().filter(("TERM0010:" + purchase.field(11))::equals).count());
        // a repeated purchase is still a duplicate
        assertEquals("94", await(pos.sendRaw(pos.seal(purchase))).code());
    }

    @Test
    void unansweredPurchaseIsReversedFirstOnTheNextConnectionAndLeavesTheHostLedger() throws Exception {
        PosClient pos = signedOn("TERM0011", "SN-0011");
        String batch = pos.batch();
        PosMessage answered = pos.purchase(PAN, 1_200, "123456");
        assertEquals("00", await(pos.sendReversible(answered)).code());
        assertFalse(pos.hasPendingReversal(), "an answered purchase leaves nothing to reverse");
        assertEquals(1_200L, world.host.ledger().get("TERM0011:" + batch + ":" + answered.field(11)));

        // A link that gives up after 1 ms: the host approves the purchase, the terminal never sees it.
        TerminalLink impatient = await(TerminalLink.connect(world.vertx, "127.0.0.1", world.gateway.port(), Duration.ofMillis(1)));
        pos.relink(impatient);
        PosMessage unanswered = pos.purchase(PAN, 3_300, "123456");
        String key = "TERM0011:" + batch + ":" + unanswered.field(11);
        assertThrows(ExecutionException.class, () -> await(pos.sendReversible(unanswered)));
        assertTrue(pos.hasPendingReversal());
        assertThrows(IllegalStateException.class, () -> pos.sendReversible(pos.purchase(PAN, 100, null)),
                "no new purchase before the reversal");
        Eventually.until("the host approved it", () -> world.host.ledger().containsKey(key));
        assertEquals(3_300L, world.host.ledger().get(key), "the host approved it");
        await(impatient.close());

        long applied = world.host.reversalsApplied();
        pos.relink(await(TerminalLink.connect(world.vertx, "127.0.0.1", world.gateway.port(), Duration.ofSeconds(10))));
        PosClient.Reply reversal = await(pos.sendPendingReversal());
        assertEquals("0410", reversal.message().mti());
        assertEquals("00", reversal.code());
        assertEquals(unanswered.field(11), reversal.message().field(11), "the reversal carries the original STAN");
        assertFalse(pos.hasPendingReversal());
        assertNull(world.host.ledger().get(key), "off the host's ledger");
        assertEquals(applied + 1, world.host.reversalsApplied());
        assertEquals(1_200L, world.host.ledger().get("TERM0011:" + batch + ":" + answered.field(11)), "the answered one stays");
        String status = await(world.db().preparedQuery("select status from posp_transaction where tid = $1 and stan = $2 and mti = '0200'")
                .execute(Tuple.of("TERM0011", unanswered.field(11)))).iterator().next().getString(0);
        assertEquals("REVERSED", status);
        // The terminal goes on over the new connection with the next STAN.
        assertEquals("00", await(pos.sendReversible(pos.purchase(PAN, 500, null))).code());
    }

    @Test
    void settlementTotalsAreReconciledWithTheJournal() throws Exception {
        PosClient pos = signedOn("TERM0006", "SN-0006");
        PosMessage p1 = pos.purchase(PAN, 1_000, "123456");
        assertEquals("00", await(pos.send(p1)).code());
        assertEquals("00", await(pos.send(pos.purchase(PAN, 2_500, "123456"))).code());
        PosMessage p3 = pos.purchase(PAN, 4_000, null);
        assertEquals("00", await(pos.send(p3)).code());
        assertEquals("00", await(pos.send(pos.voidOf(PAN, 1_000, p1.field(11)))).code());
        // The terminal reverses p3: it leaves the totals.
        assertEquals("00", await(pos.send(pos.reversalOf(p3))).code());
        // A void of an unknown original is refused.
        assertEquals("25", await(pos.send(pos.voidOf(PAN, 1_000, "999998"))).code());

        PosClient.Reply wrong = await(pos.send(pos.settlement(3, 7_500, 1, 1_000)));
        assertEquals("00", wrong.code());
        assertTrue(wrong.message().field(48).endsWith("2"), "out of balance");
        assertEquals(pos.batch(), wrong.message().field60().batch());
        long settlements = world.host.messagesReceived();

        PosClient.Reply right = await(pos.send(pos.settlement(2, 3_500, 1, 1_000)));
        assertEquals("00", right.code());
        assertEquals("002000000003500001000000001000" + "1", right.message().field(48));
        assertEquals(Boolean.TRUE, right.macValid());
        assertEquals(settlements + 1, world.host.messagesReceived(), "the settlement went on to the host");
        String batch = await(world.db().preparedQuery("select batch from posp_terminal_state where tid = $1")
                .execute(Tuple.of("TERM0006"))).iterator().next().getString(0);
        assertEquals("000002", batch, "next batch after a balanced settlement");
        assertEquals("000002", pos.batch(), "the terminal moved to the next batch too");
    }

    @Test
    void terminalWithTheX919ProfileIsMacedWithX919BothWays() throws Exception {
        PinPad pad = world.registerTmkTerminal("TERM0007", "SN-0007", dev.posgate.gateway.platform.db.Terminal.MacAlgorithm.X919);
        PosClient x919 = world.client("TERM0007", new dev.posgate.terminal.pos.PinPadKeys(pad, 1), true);
        assertEquals("00", await(x919.signOn(SignOnMode.DOUBLE)).code());
        PosClient.Reply ok = await(x919.send(x919.purchase(PAN, 300, "123456")));
        assertEquals("00", ok.code());
        assertEquals(Boolean.TRUE, ok.macValid());
        // The same keys with the ECB MAC do not pass for this terminal.
        PosClient ecb = world.client("TERM0007", new dev.posgate.terminal.pos.PinPadKeys(pad, 1), false);
        assertEquals("A0", await(ecb.send(ecb.purchase(PAN, 300, "123456"))).code());
    }

    @Test
    void fieldSixtyTwoCodecRoundTrips() {
        byte[] f62 = new byte[60];
        for (int i = 0; i < f62.length; i++) f62[i] = (byte) i;
        WorkingKeyBlock b = WorkingKeyBlock.decode(SignOnMode.DOUBLE_WITH_TDK, f62);
        assertArrayEquals(f62, b.encode());
        assertArrayEquals(Arrays.copyOfRange(f62, 40, 56), b.tdk().encryptedKey());
        assertFalse(SignOnMode.ofCode("002") != null);
        assertEquals(MacBlock.MAC_LENGTH, 8);
    }

    /** A registered TMK terminal, signed on with 003. */
    private PosClient signedOn(String tid, String sn) throws Exception {
        PosClient pos = world.tmkClient(tid, world.registerTmkTerminal(tid, sn));
        assertEquals("00", await(pos.signOn(SignOnMode.DOUBLE)).code());
        return pos;
    }
}
