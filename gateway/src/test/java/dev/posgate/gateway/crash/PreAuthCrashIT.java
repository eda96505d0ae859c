package dev.posgate.gateway.crash;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.protocol.posp.SignOnMode;
import dev.posgate.terminal.pinpad.PinPad;
import dev.posgate.terminal.pos.PosClient;
import dev.posgate.testing.BusinessDayZone;
import dev.posgate.testing.Eventually;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A pre-auth completion forwarded and unanswered (the host simulator holds amounts ending in 999)
 * when the gateway is SIGKILLed: the completion had already moved its pre-auth to COMPLETED. The
 * restarted gateway queues and delivers the completion's reversal and gives the pre-auth back
 * (APPROVED), so the terminal completes it again (docs/posp.md, "Pre-authorisation").
 */
class PreAuthCrashIT {
    private static final String TID = "TPRE0001";
    private static final String PAN = "6222021234567890123";

    @Test
    void completionInFlightWhenKilledIsReversedAndThePreAuthCanBeCompletedAgain() throws Exception {
        try (CrashWorld world = CrashWorld.start("preauth", Map.of(Setting.UPSTREAM_TIMEOUT, 3000, Setting.HSM_TIMEOUT, 2000), true)) {
            PinPad pad = world.registerTmkTerminal(TID, "SN-PRE-1");
            PosClient pos = world.pos(TID, pad);
            assertEquals("00", await(pos.signOn(SignOnMode.DOUBLE)).code());
            PosMessage preAuth = pos.preAuth(PAN, 10_000, "123456");
            PosClient.Reply pa = await(pos.send(preAuth));
            assertEquals("00", pa.code());
            String date = BusinessDayZone.todayMmdd();

            long received = world.host.messagesReceived();
            PosMessage held = pos.completion(PAN, 2_999, pos.batch(), preAuth.field(11), date, pa.message().field(38), null);
            String stan = held.field(11);
            pos.send(held);
            Eventually.until("the completion reached the host", () -> world.host.messagesReceived() > received);
            assertEquals("PENDING", status(world, stan, "0200"));
            assertEquals("COMPLETED", status(world, preAuth.field(11), "0100"), "moved before forwarding");
            world.killGateway();

            world.restartGateway();
            assertEquals("DELIVERED", world.awaitValue("DELIVERED",
                    "select state from posp_reversal where tid = $1 and stan = $2", TID, stan), "reversal queued and delivered");
            assertTrue(world.host.reversalsReceived().contains(TID + ":" + stan));
            assertEquals("REVERSED", world.awaitValue("REVERSED",
                    "select status from posp_transaction where tid = $1 and stan = $2 and mti = '0200'", TID, stan));
            assertEquals("APPROVED", status(world, preAuth.field(11), "0100"), "the pre-auth given back");

            PosClient again = world.pos(TID, pad);
            assertEquals("00", await(again.signOn(SignOnMode.DOUBLE)).code());
            await(again.echo()); // STANs 1-3 of this client's batch were used before the kill
            await(again.echo());
            PosClient.Reply r = await(again.send(again.completion(PAN, 10_000, again.batch(), preAuth.field(11), date,
                    pa.message().field(38), null)));
            assertEquals("00", r.code());
            assertEquals(Boolean.TRUE, r.macValid());
            assertEquals("COMPLETED", status(world, preAuth.field(11), "0100"));
        }
    }

    private static String status(CrashWorld world, String stan, String mti) throws Exception {
        return world.query("select status from posp_transaction where tid = $1 and stan = $2 and mti = $3", TID, stan, mti)
                .iterator().next().getString(0);
    }
}
