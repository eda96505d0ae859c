package dev.posgate.gateway.posp;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.posgate.crypto.Kcv;
import dev.posgate.crypto.KeyComponents;
import dev.posgate.crypto.Parity;
import dev.posgate.crypto.Tdes;
import dev.posgate.gateway.support.Frames;
import dev.posgate.gateway.support.Metrics;
import dev.posgate.gateway.support.TerminalConnection;
import dev.posgate.iso8583.pos.Field60;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.protocol.posp.SignOnMode;
import dev.posgate.terminal.pos.PosClient;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 14, the gateway side: what real terminals send is answered, end to end over TCP (gateway,
 * PostgreSQL, HSMs, host simulator). MACs of answers are checked by the terminal's own software
 * PIN pad, independently of the gateway's HSM.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(PospFixture.PerClass.class)
class RealTerminalsEndToEndIT {
    private static final String PAN = "6222021234567890123";
    private final PospFixture world;

    RealTerminalsEndToEndIT(PospFixture world) {
        this.world = world;
    }

    /** Item 3: a purchase with a bad digit in field 4 gets 0210/30 without MAC; the connection goes on. */
    @Test
    void aPurchaseWithABadFieldIsAnswered30WithoutMacAndTheConnectionStaysOpen() throws Exception {
        PosClient pos = signedOn("TERM1401", "SN-1401");
        long forwarded = world.host.messagesReceived();
        PosMessage purchase = pos.purchase(PAN, 987_654, "123456");
        byte[] body = pos.seal(purchase);
        int amount = indexOf(body, new byte[] {0x00, 0x00, 0x00, (byte) 0x98, 0x76, 0x54}); // field 4, BCD
        body[amount + 5] = 0x5A; // a nibble A in the amount

        PosClient.Reply bad = await(pos.sendRaw(body));
        assertEquals("0210", bad.message().mti());
        assertEquals("30", bad.code());
        assertNull(bad.macValid(), "no MAC on a format error");
        assertEquals(purchase.field(11), bad.message().field(11));
        assertEquals("TERM1401", bad.message().field(41));
        assertEquals("898310048990001", bad.message().field(42));
        assertEquals(forwarded, world.host.messagesReceived(), "nothing forwarded");
        assertEquals(1.0, Metrics.value(world.gateway, "posgate_pos_format_errors_total{field=\"4\",outcome=\"answered\"}"));

        // the same connection carries the terminal's next purchase
        PosClient.Reply ok = await(pos.send(pos.purchase(PAN, 100, "123456")));
        assertEquals("00", ok.code());
        assertEquals(Boolean.TRUE, ok.macValid());
    }

    /** Item 4: a swiped card without field 2; the PAN of track 2 goes into the PIN translation, the journal (masked) and to the host. */
    @Test
    void aSwipedPurchaseWithoutField2TakesThePanFromTrack2() throws Exception {
        PosClient pos = signedOn("TERM1402", "SN-1402");
        PosMessage swiped = pos.purchase(PAN, 4_321, "123456"); // PIN block formed with the card's PAN
        swiped.unset(2).set(35, PAN + "=49121010000000000").set(22, "021");

        PosClient.Reply r = await(pos.send(swiped));
        assertEquals("00", r.code(), "the host verified the PIN translated with the track's PAN");
        assertEquals(Boolean.TRUE, r.macValid());
        assertNotNull(r.message().field(38));
        assertFalse(r.message().has(2), "no PAN added to the answer");
        assertEquals(4_321L, world.host.ledger().get("TERM1402:" + pos.batch() + ":" + swiped.field(11)));
        Row row = await(world.db().preparedQuery("select pan_masked from posp_transaction where tid = $1 and stan = $2")
                .execute(Tuple.of("TERM1402", swiped.field(11)))).iterator().next();
        assertEquals("622202*********0123", row.getString(0));

        PosClient.Reply wrongPin = await(pos.send(pos.purchase(PAN, 4_321, "654321").unset(2).set(35, PAN + "=4912101")));
        assertEquals("55", wrongPin.code());
        assertEquals(Boolean.TRUE, wrongPin.macValid());
    }

    /** Item 8: after 0820/002 a purchase gets 77 with processing requirement 3 until the next sign-on. */
    @Test
    void signOffEndsTheSessionUntilTheNextSignOn() throws Exception {
        PosClient pos = signedOn("TERM1403", "SN-1403");
        assertEquals("00", await(pos.send(pos.purchase(PAN, 100, null))).code());

        PosMessage signOff = PosMessage.create(PosClient.TPDU, PosClient.HEADER, "0820")
                .set(11, pos.nextStan()).set(41, "TERM1403").set(42, "898310048990001")
                .set(new Field60("00", pos.batch(), "002"));
        PosClient.Reply off = await(pos.sendRaw(signOff.pack()));
        assertEquals("0830", off.message().mti());
        assertEquals("00", off.code());

        PosClient.Reply after = await(pos.send(pos.purchase(PAN, 100, null)));
        assertEquals("77", after.code(), "the MAK of the ended session is no longer accepted");
        assertEquals(3, after.processingRequirement());
        assertNull(after.macValid(), "no working key is used for the answer");

        assertEquals("00", await(pos.signOn(SignOnMode.DOUBLE)).code());
        PosClient.Reply again = await(pos.send(pos.purchase(PAN, 100, null)));
        assertEquals("00", again.code());
        assertEquals(Boolean.TRUE, again.macValid());
        assertEquals(1L, await(world.db().preparedQuery("select count(*) from audit_log where action = 'pos.sign_off'"
                + " and subject = $1 and (detail->>'sessionEnded')::boolean").execute(Tuple.of("TERM1403"))).iterator().next().getLong(0));
    }

    /**
     * Item 6: a sign-on as real terminals send it (no 11, no 63; 12, 13, 46, 53 and 62 present) is
     * answered with keys; 60.3 codes the gateway does not implement get 12 and the connection stays open.
     */
    @Test
    void aSignOnWithoutStanOrOperatorAndWithTerminalFieldsIsAnsweredAndUnknownCodesGet12() throws Exception {
        world.registerTmkTerminal("TERM1404", "SN-1404");
        PosMessage signOn = PosMessage.create(PosClient.TPDU, PosClient.HEADER, "0800")
                .set(12, "101010").set(13, "1202").set(41, "TERM1404").set(42, "898310048990001")
                .setGbk(46, "终端硬件 P100 固件 V1.2").set(53, "2600000000000000").set(new Field60("00", "000001", "003"))
                .set(62, "SN-1404".getBytes(StandardCharsets.US_ASCII));
        try (TerminalConnection t = world.gateway.connect()) {
            PosMessage reply = PosMessage.unpack(t.exchange(signOn.pack()));
            assertEquals("0810", reply.mti());
            assertEquals("00", reply.field(39));
            assertFalse(reply.has(11), "no STAN to echo");
            byte[] f62 = reply.binary(62);
            assertEquals(40, f62.length);
            byte[] tmk = Parity.adjustOdd(KeyComponents.combine(PospFixture.TMK_1, PospFixture.TMK_2));
            for (int off = 0; off < f62.length; off += 20) { // independent check: key(16) KCV(4), ECB under the TMK
                byte[] clear = Tdes.decryptEcb(tmk, Arrays.copyOfRange(f62, off, off + 16));
                assertArrayEquals(Kcv.of(clear, 4), Arrays.copyOfRange(f62, off + 16, off + 20));
            }

            assertEquals("终端硬件 P100 固件 V1.2", await(world.db().preparedQuery("select detail->>'terminalInfo' from audit_log"
                    + " where action = 'pos.sign_on' and subject = $1").execute(Tuple.of("TERM1404"))).iterator().next().getString(0),
                    "field 46 recorded with the terminal's sign-on");

            for (String[] unknown : new String[][] {{"0800", "373"}, {"0800", "382"}, {"0820", "999"}, {"0800", "000"}}) {
                PosMessage m = PosMessage.create(PosClient.TPDU, PosClient.HEADER, unknown[0]).set(11, "000077")
                        .set(41, "TERM1404").set(42, "898310048990001").set(new Field60("00", "000001", unknown[1]));
                PosMessage answer = PosMessage.unpack(t.exchange(m.pack()));
                assertEquals("12", answer.field(39), unknown[0] + "/" + unknown[1]);
                assertEquals("000077", answer.field(11));
            }
            assertEquals("00", PosMessage.unpack(t.exchange(Frames.echoRequest("000078"))).field(39), "still open");
        }
    }

    /** A registered TMK terminal, signed on with 003. */
    private PosClient signedOn(String tid, String sn) throws Exception {
        PosClient pos = world.tmkClient(tid, world.registerTmkTerminal(tid, sn));
        assertEquals("00", await(pos.signOn(SignOnMode.DOUBLE)).code());
        return pos;
    }

    private static int indexOf(byte[] in, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= in.length; i++) {
            for (int j = 0; j < what.length; j++) if (in[i + j] != what[j]) continue outer;
            return i;
        }
        throw new AssertionError("not found");
    }
}
