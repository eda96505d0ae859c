package dev.posgate.gateway.crash;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.protocol.posp.SignOnMode;
import dev.posgate.terminal.pinpad.PinPad;
import dev.posgate.terminal.pos.PosClient;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Store and forward across a SIGKILL (docs/posp.md, "Refunds, offline settlement and
 * adjustments"): a refund and an offline settlement are accepted and answered {@code 00}, and the
 * gateway is killed before the host has acted on either (the host simulator stalls: it reads and
 * neither answers nor applies anything, as if nothing had been forwarded). Their journal rows
 * hold the forward state (QUEUED with the upstream 0220); the restarted gateway forwards both
 * until acknowledged, and the host applies each exactly once.
 */
class AdviceCrashIT {
    private static final String TID = "TADV0001";
    private static final String PAN = "6222021234567890123";

    @Test
    void advicesAcceptedBeforeTheKillReachTheHostOnceAfterTheRestart() throws Exception {
        try (CrashWorld world = CrashWorld.start("advice", Map.of(Setting.UPSTREAM_TIMEOUT, 3000, Setting.HSM_TIMEOUT, 2000), true)) {
            PinPad pad = world.registerTmkTerminal(TID, "SN-ADV-1");
            PosClient pos = world.pos(TID, pad);
            assertEquals("00", await(pos.signOn(SignOnMode.DOUBLE)).code());
            PosMessage purchase = pos.purchase(PAN, 10_000, "123456");
            PosClient.Reply p = await(pos.send(purchase));
            assertEquals("00", p.code());
            String batch = pos.batch();
            String date = LocalDate.now(ZoneId.of("Asia/Shanghai")).format(DateTimeFormatter.ofPattern("MMdd"));

            world.host.stall(true);
            PosMessage refund = pos.refund(PAN, 6_000, batch, purchase.field(11), date, p.message().field(37));
            PosClient.Reply r = await(pos.send(refund));
            assertEquals("00", r.code(), "answered on acceptance");
            assertEquals(Boolean.TRUE, r.macValid());
            PosMessage offline = pos.offlineSettlement(PAN, 2_500, null);
            assertEquals("00", await(pos.send(offline)).code());
            assertEquals("QUEUED", adviceState(world, refund.field(11)));
            assertEquals("QUEUED", adviceState(world, offline.field(11)));
            world.killGateway();

            String refundKey = TID + ":" + batch + ":" + refund.field(11);
            String offlineKey = TID + ":" + batch + ":" + offline.field(11);
            assertNull(world.host.advices().get(refundKey), "nothing applied at the host before the kill");
            assertFalse(world.host.refunded().containsKey(TID + ":" + batch + ":" + purchase.field(11)));
            assertEquals("QUEUED", adviceState(world, refund.field(11)), "the forward state survived the kill");
            world.host.stall(false);

            world.restartGateway();
            assertEquals("DELIVERED", world.awaitValue("DELIVERED", "select advice_state from posp_transaction where tid = $1"
                    + " and stan = $2 and mti = '0220'", TID, refund.field(11)));
            assertEquals("DELIVERED", world.awaitValue("DELIVERED", "select advice_state from posp_transaction where tid = $1"
                    + " and stan = $2 and mti = '0220'", TID, offline.field(11)));
            assertEquals("00", world.host.advices().get(refundKey));
            assertEquals("00", world.host.advices().get(offlineKey));
            assertEquals(6_000L, world.host.refunded().get(TID + ":" + batch + ":" + purchase.field(11)), "applied once");
            assertEquals(2_500L, world.host.offlineSettlements().get(offlineKey));
            assertEquals(2L, world.host.advices().keySet().stream().filter(k -> k.startsWith(TID + ":")).count());
            assertEquals(6_000L, world.count("select refunded from posp_transaction where tid = $1 and stan = $2 and mti = '0200'",
                    TID, purchase.field(11)));
            assertEquals("APPROVED", world.query("select status from posp_transaction where tid = $1 and stan = $2 and mti = '0220'",
                    TID, refund.field(11)).iterator().next().getString(0), "what the terminal was told holds");
        }
    }

    private static String adviceState(CrashWorld world, String stan) throws Exception {
        return world.query("select advice_state from posp_transaction where tid = $1 and stan = $2 and mti = '0220'", TID, stan)
                .iterator().next().getString(0);
    }
}
