package dev.posgate.gateway.crash;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.protocol.posp.SignOnMode;
import dev.posgate.terminal.pinpad.PinPad;
import dev.posgate.terminal.pos.PosClient;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Sign-on (0800 with TDK, docs/posp.md) with the gateway SIGKILLed while it works on it (the
 * HSM generating PIK/MAK/TDK under the TMK, the key versions being stored), at several delays
 * after the request left the terminal. After each restart every working key type has exactly one
 * ACTIVE version and the three versions are equal: a whole new set or the previous one, never a
 * mix. Then a sign-on succeeds and a purchase MACed with its keys is approved.
 */
class SignOnCrashIT {
    private static final String TID = "TSIGN001";
    private static final String SN = "SN-SIGN-1";
    /** Kill points as fractions of a whole sign-on on a freshly started gateway (measured first). */
    private static final double[] KILL_POINTS = {0, 0.5, 0.9};

    @Test
    void killedMidSignOnLeavesAWholeKeySetAndTheTerminalSignsOnAndBuysAfterRestart() throws Exception {
        try (CrashWorld world = CrashWorld.start("signon", Map.of(), true)) {
            PinPad pad = world.registerTmkTerminal(TID, SN);
            PosClient first = world.pos(TID, pad);
            long t0 = System.nanoTime();
            assertEquals("00", await(first.signOn(SignOnMode.DOUBLE_WITH_TDK)).code());
            long signOnMs = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(1, wholeSetVersion(world));

            List<String> landed = new ArrayList<>();
            for (double point : KILL_POINTS) {
                long delay = Math.round(point * signOnMs);
                int before = wholeSetVersion(world);
                PosClient pos = world.pos(TID, pad);
                Future<PosClient.SignOnResult> inFlight = pos.signOn(SignOnMode.DOUBLE_WITH_TDK);
                if (delay > 0) Thread.sleep(delay);
                world.killGateway();
                boolean answered = inFlight.succeeded();
                world.restartGateway();
                int after = wholeSetVersion(world);
                assertTrue(after == before || after == before + 1, "no version skipped: " + before + " -> " + after);
                landed.add(delay + " ms: " + (after > before ? "new set committed" : "old set kept") + (answered ? ", answered" : ""));
            }
            System.out.println("SignOnCrashIT: first sign-on " + signOnMs + " ms; kills: " + landed + "; restart-to-ready " + world.restarts);

            PosClient pos = world.pos(TID, pad);
            PosClient.SignOnResult signOn = await(pos.signOn(SignOnMode.DOUBLE_WITH_TDK));
            assertEquals("00", signOn.code());
            assertTrue(signOn.keysAccepted());
            wholeSetVersion(world);
            PosClient.Reply purchase = await(pos.send(pos.purchase("6222021234567890123", 12_300, "123456")));
            assertEquals("00", purchase.code());
            assertEquals(Boolean.TRUE, purchase.macValid(), "the answer is MACed with the MAK just issued");
        }
    }

    /** Asserts one ACTIVE PIK, MAK and TDK, all of the same version (one sign-on's set), and returns that version. */
    private static int wholeSetVersion(CrashWorld world) throws Exception {
        List<String> active = new ArrayList<>();
        for (Row r : world.query("select key_type, version from key_record where owner_type = 'TERMINAL' and owner_id = $1"
                + " and key_type in ('PIK', 'MAK', 'TDK') and state = 'ACTIVE' order by key_type", SN)) {
            active.add(r.getString(0) + ":" + r.getValue(1));
        }
        assertEquals(3, active.size(), "one ACTIVE key per type: " + active);
        int version = Integer.parseInt(active.get(0).split(":")[1]);
        assertEquals(List.of("MAK:" + version, "PIK:" + version, "TDK:" + version), active, "one sign-on's whole set");
        long newer = world.count("select count(*) from key_record where owner_type = 'TERMINAL' and owner_id = $1"
                + " and key_type in ('PIK', 'MAK', 'TDK') and version > $2", SN, version);
        assertEquals(0, newer, "no key of a later, half-stored set");
        long signOns = world.count("select count(*) from audit_log where action = 'pos.sign_on' and subject = $1", TID);
        assertEquals(version, signOns, "one audited sign-on per key set");
        return version;
    }
}
