package dev.posgate.gateway.fault;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.fault.TerminalLoad.Kind;
import dev.posgate.gateway.fault.TerminalLoad.Outcome;
import dev.posgate.gateway.posp.PospFixture;
import dev.posgate.testing.Eventually;
import dev.posgate.gateway.support.TestPostgres;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.terminal.pos.PosClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's HSM (an external software HSM reached over its wire protocol) stops under
 * purchase and sign-on load and starts again: meanwhile purchases and sign-ons get 96 (without a
 * MAC: no key can be used) and echoes 00; afterwards the gateway's HSM pool reconnects by itself,
 * purchases are approved again, and no purchase is approved anywhere that the terminal was not
 * told 00.
 */
class PospHsmOutageIT {
    private static final Logger log = LoggerFactory.getLogger(PospHsmOutageIT.class);

    @Test
    void purchasesAndSignOnsGet96WhileTheHsmIsDownAndTheGatewayRecoversByItself() throws Exception {
        try (StoppableHsm hsm = StoppableHsm.start();
                PospFixture world = PospFixture.start(2_000, hsm.lmkFile(), TestPostgres.newDatabaseUrl(),
                        // the load signs each terminal on every 7th request, far above posp.sign_on.rate
                        Map.of(Setting.HSM_HOSTS, hsm.hosts(), Setting.POSP_SIGN_ON_RATE, 0))) {
            SignedOnTerminals terminals = SignedOnTerminals.of(world, "HSMD", 4);
            TerminalLoad load = TerminalLoad.start(terminals.clients(), terminals.tids(), 20, 7, Duration.ofSeconds(10));
            load.awaitApprovals("purchases are approved before the fault", 3, Long.MIN_VALUE);

            hsm.stop();
            long down = System.nanoTime();
            JsonObject whileDown = Readiness.await(world.gateway, "hsm", false);
            load.awaitEveryKindSentAfter("purchases, sign-ons and echoes answered while the HSM is down", 2, down);
            long restarting = System.nanoTime();
            hsm.restart();
            long up = System.nanoTime();
            Outcome firstApproval = load.firstApprovalSentAfter(up);
            JsonObject afterwards = Readiness.await(world.gateway, "hsm", true);
            load.awaitApprovals("more purchases are approved after the restart", 3, up);
            load.close();

            assertTrue(whileDown.getString("hsm").startsWith("DOWN"), whileDown.encode());
            assertEquals("UP", afterwards.getString("hsm"), afterwards.encode());
            assertNotNull(firstApproval, "a purchase is approved again after the HSM restart, without restarting the gateway");

            List<Outcome> all = load.outcomes();
            List<Outcome> during = load.outcomes(o -> o.sentAfter(down) && o.answeredBefore(restarting));
            for (Outcome o : during) {
                if (o.kind() == Kind.ECHO) {
                    assertEquals("00", o.code(), "an echo does not need the HSM: " + o);
                } else {
                    assertEquals("96", o.code(), "while the HSM is down: " + o);
                    if (o.kind() == Kind.PURCHASE) assertNull(o.macValid(), "no MAC without the HSM: " + o);
                }
            }
            Ledger.FaultWindow window = Ledger.FaultWindow.of(during);

            Ledger ledger = Ledger.settled(world.db(), world.host::approvals);
            ledger.assertConsistentWith(all);

            log.info("FAULT hsm: outage {} ms; answered during it: {};"
                            + " first approval answered {} ms after the HSM restart; whole run: purchases {}, sign-ons {}, echoes {};"
                            + " journal {}; reversals {}",
                    (restarting - down) / 1_000_000, window,
                    (firstApproval.answeredNanos() - up) / 1_000_000,
                    Ledger.codes(all, Kind.PURCHASE), Ledger.codes(all, Kind.SIGN_ON), Ledger.codes(all, Kind.ECHO),
                    ledger.statuses(), ledger.reversals().size());
        }
    }

    /**
     * The HSM stops while a purchase is at the host, which approves it: the gateway cannot check
     * the host's MAC nor MAC the terminal's answer, so the terminal gets 96, the row is closed
     * TIMED_OUT with a reversal, and the reversal is delivered once the HSM is back (it is MACed
     * under the ZAK at each attempt), undoing the host's approval.
     */
    @Test
    void aPurchaseTheHostApprovesWhileTheHsmIsDownIsReversedOnceItIsBack() throws Exception {
        try (StoppableHsm hsm = StoppableHsm.start();
                PospFixture world = PospFixture.start(4_000, hsm.lmkFile(), TestPostgres.newDatabaseUrl(),
                        Map.of(Setting.HSM_HOSTS, hsm.hosts()), 1_500)) {
            SignedOnTerminals terminals = SignedOnTerminals.of(world, "HSMD", 1);
            PosClient pos = terminals.clients().get(0);
            PosMessage purchase = pos.purchase(TerminalLoad.PAN, 12_300, "123456");
            Future<PosClient.Reply> answer = pos.send(purchase); // the host answers after 1.5 s
            // stop the HSM once the host has approved (a fixed 300 ms sleep raced the purchase's HSM steps on a loaded machine)
            Eventually.until("the host approves the purchase", () -> !world.host.approvals().isEmpty());
            hsm.stop();
            PosClient.Reply reply = await(answer);
            Set<String> approvedWhileDown = world.host.approvals();
            // the reversal queue tries (and fails) while the HSM is down
            Eventually.until("the reversal queue tries while the HSM is down", () -> await(world.db()
                    .query("select coalesce(max(attempts), 0) from posp_reversal where tid = 'HSMD0001'").execute())
                    .iterator().next().getInteger(0) >= 1);
            Map<String, String> queuedWhileDown = Ledger.read(world.db(), Set.of()).reversals();
            hsm.restart();
            Ledger ledger = Ledger.settled(world.db(), world.host::approvals);

            assertEquals("96", reply.code(), "the host's answer could not be checked");
            assertNull(reply.macValid(), "no MAC without the HSM");
            assertEquals(Set.of("HSMD0001:000001:" + purchase.field(11)), approvedWhileDown, "the host had approved it");
            assertEquals(Map.of("HSMD0001:" + purchase.field(11), "PENDING"), queuedWhileDown, "queued, not yet deliverable");
            assertEquals(Map.of("REVERSED", 1), ledger.statuses());
            assertEquals(Map.of("HSMD0001:" + purchase.field(11), "DELIVERED"), ledger.reversals());
            assertEquals(Set.of(), world.host.approvals(), "the reversal undid the host's approval");
        }
    }
}
