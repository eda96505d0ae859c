package dev.posgate.gateway.posp;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.protocol.posp.SignOnMode;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.terminal.pinpad.PinPad;
import dev.posgate.terminal.pos.PosClient;
import dev.posgate.testing.Eventually;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.Test;

/**
 * An upstream timeout answers the terminal 68 and queues a reversal in PostgreSQL; the host
 * ignores reversals until after the gateway restarted, and the new gateway process delivers it.
 */
class ReversalAcrossRestartIT {
    private static final String PAN = "6222021234567890123";

    @Test
    void timedOutPurchaseIsReversedAfterAGatewayRestart() throws Exception {
        try (PospFixture world = PospFixture.start(400)) {
            PosClient pos = signedOnWithReversalsUnanswered(world);

            PosMessage silent = pos.purchase(PAN, 1_999, "123456"); // the host never answers ...999
            PosClient.Reply r = await(pos.send(silent));
            assertEquals("68", r.code());
            assertEquals(Boolean.TRUE, r.macValid());
            Row queued = reversal(world, silent.field(11));
            assertEquals("PENDING", queued.getString("state"));

            // The first process tries (the host stays silent) before it stops.
            Eventually.until("the first process tried the reversal", () -> reversal(world, silent.field(11)).getInteger("attempts") >= 1);
            world.stopGateway();
            world.host.answerReversals(true);
            world.startGateway();

            Row delivered = Eventually.value("the reversal is delivered after the restart", () -> reversal(world, silent.field(11)),
                    row -> "DELIVERED".equals(row.getString("state")));
            assertEquals("DELIVERED", delivered.getString("state"));
            assertTrue(delivered.getInteger("attempts") >= 2, "retried until acknowledged");
            assertTrue(world.host.reversalsReceived().contains("TERM0101:" + silent.field(11)));
            String status = await(world.db().preparedQuery("select status from posp_transaction where tid = $1 and stan = $2 and mti = '0200'")
                    .execute(Tuple.of("TERM0101", silent.field(11)))).iterator().next().getString(0);
            assertEquals("REVERSED", status);
        }
    }

    @Test
    void aTerminalsOwnReversalIsStoredAndForwardedWithoutPanOrPin() throws Exception {
        try (PospFixture world = PospFixture.start(500)) {
            PosClient pos = signedOnWithReversalsUnanswered(world);
            PosMessage purchase = pos.purchase(PAN, 2_500, "123456");
            assertEquals("00", await(pos.send(purchase)).code());
            // the host does not answer the terminal's 0400: the gateway owns delivering it
            PosMessage own = pos.reversalOf(purchase);
            assertEquals("00", await(pos.send(own)).code());
            byte[] stored = await(world.db().preparedQuery("select message from posp_reversal where tid = $1 and stan = $2")
                    .execute(Tuple.of("TERM0101", own.field(11)))).iterator().next().getBuffer(0).getBytes();
            PosMessage queued = PosMessage.unpack(stored);
            assertEquals("0400", queued.mti());
            assertFalse(queued.has(2), "no PAN at rest in the reversal queue");
            assertFalse(queued.has(35), "no track 2");
            assertFalse(queued.has(52), "no PIN block");
            assertEquals(own.field(4), queued.field(4));
        }
    }

    /** TERM0101 signed on, with a host that does not answer reversals. */
    private static PosClient signedOnWithReversalsUnanswered(PospFixture world) throws Exception {
        world.host.answerReversals(false);
        PinPad pad = world.registerTmkTerminal("TERM0101", "SN-0101");
        PosClient pos = world.tmkClient("TERM0101", pad);
        assertEquals("00", await(pos.signOn(SignOnMode.DOUBLE)).code());
        return pos;
    }

    private static Row reversal(PospFixture world, String stan) throws Exception {
        return await(world.db().preparedQuery("select state, attempts from posp_reversal where tid = $1 and stan = $2")
                .execute(Tuple.of("TERM0101", stan))).iterator().next();
    }
}
