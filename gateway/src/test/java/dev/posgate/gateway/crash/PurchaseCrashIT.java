package dev.posgate.gateway.crash;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.protocol.posp.SignOnMode;
import dev.posgate.terminal.pinpad.PinPad;
import dev.posgate.terminal.pos.PosClient;
import dev.posgate.testing.Eventually;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A purchase forwarded to the host and still unanswered (the host simulator holds amounts ending
 * in 999) when the gateway is SIGKILLed: nobody answered the terminal and no timeout ever fired,
 * so no reversal was queued by the dead process. The restarted gateway finds the journal row it
 * left PENDING, queues the reversal recorded with it, delivers it to the host, and the purchase
 * ends REVERSED (docs/posp.md, "Crash recovery of forwarded messages").
 */
class PurchaseCrashIT {
    private static final String TID = "TBUY0001";
    private static final String PAN = "6222021234567890123";

    @Test
    void purchaseInFlightUpstreamWhenKilledIsReversedAfterRestart() throws Exception {
        // upstream timeout 3 s, HSM timeout 2 s: a row untouched for 3 + 4 × 2 = 11 s was left behind by a dead process
        try (CrashWorld world = CrashWorld.start("purchase", Map.of(Setting.UPSTREAM_TIMEOUT, 3000, Setting.HSM_TIMEOUT, 2000), true)) {
            PinPad pad = world.registerTmkTerminal(TID, "SN-BUY-1");
            PosClient pos = world.pos(TID, pad);
            assertEquals("00", await(pos.signOn(SignOnMode.DOUBLE)).code());

            long received = world.host.messagesReceived();
            PosMessage held = pos.purchase(PAN, 2_999, "123456");
            String stan = held.field(11);
            pos.send(held);
            Eventually.until("the purchase reached the host", () -> world.host.messagesReceived() > received);
            assertEquals("PENDING", status(world, stan), "in flight: forwarded, unanswered");
            world.killGateway();
            assertEquals(0, world.count("select count(*) from posp_reversal where tid = $1", TID), "the dead process queued nothing");

            world.restartGateway();
            assertEquals("DELIVERED", world.awaitValue("DELIVERED",
                    "select state from posp_reversal where tid = $1 and stan = $2", TID, stan), "reversal queued and delivered");
            assertTrue(world.host.reversalsReceived().contains(TID + ":" + stan));
            assertEquals("REVERSED", world.awaitValue("REVERSED",
                    "select status from posp_transaction where tid = $1 and stan = $2 and mti = '0200'", TID, stan));
            System.out.println("PurchaseCrashIT restart-to-ready: " + world.restarts);

            // the terminal carries on: signs on again and buys
            PosClient again = world.pos(TID, pad);
            assertEquals("00", await(again.signOn(SignOnMode.DOUBLE)).code());
            await(again.echo()); // STANs 1–2 of this client's batch were used before the kill
            PosClient.Reply r = await(again.send(again.purchase(PAN, 4_500, "123456")));
            assertEquals("00", r.code());
            assertEquals(Boolean.TRUE, r.macValid());
        }
    }

    private static String status(CrashWorld world, String stan) throws Exception {
        return world.query("select status from posp_transaction where tid = $1 and stan = $2 and mti = '0200'", TID, stan)
                .iterator().next().getString(0);
    }
}
