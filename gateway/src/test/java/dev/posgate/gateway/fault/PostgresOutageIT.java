package dev.posgate.gateway.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.fault.TerminalLoad.Kind;
import dev.posgate.gateway.fault.TerminalLoad.Outcome;
import dev.posgate.gateway.posp.PospFixture;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.terminal.pos.PosClient;
import dev.posgate.testing.Eventually;
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
 * The gateway's PostgreSQL stops under load and comes back a few seconds later: meanwhile
 * purchases and sign-ons are answered 96 at once and echoes 00, /ready says the database is
 * DOWN; afterwards the gateway works again by itself and the journal, the host and the
 * terminals agree on every purchase.
 */
class PostgresOutageIT {
    private static final Logger log = LoggerFactory.getLogger(PostgresOutageIT.class);

    @Test
    void purchasesAndSignOnsGet96WhileThePostgresIsDownAndTheGatewayRecoversByItself() throws Exception {
        try (StoppablePostgres pg = StoppablePostgres.start();
                // the load signs each terminal on every 7th request, far above posp.sign_on.rate
                PospFixture world = PospFixture.start(2_000, PospFixture.newLmkFile(), pg.url(),
                        Map.of(Setting.DB_POOL_SIZE, 4, Setting.POSP_SIGN_ON_RATE, 0))) {
            SignedOnTerminals terminals = SignedOnTerminals.of(world, "PGDN", 4);
            TerminalLoad load = TerminalLoad.start(terminals.clients(), terminals.tids(), 20, 7, Duration.ofSeconds(10));
            load.awaitApprovals("purchases are approved before the fault", 3, Long.MIN_VALUE);

            pg.stop();
            long down = System.nanoTime();
            JsonObject whileDown = Readiness.await(world.gateway, "database", false);
            load.awaitEveryKindSentAfter("purchases, sign-ons and echoes answered while the database is down", 2, down);
            long restarting = System.nanoTime();
            pg.restart();
            long up = System.nanoTime();
            JsonObject afterwards = Readiness.await(world.gateway, "database", true);
            long readyAgain = System.nanoTime();
            Outcome firstApproval = load.firstApprovalSentAfter(up);
            load.awaitApprovals("more purchases are approved after the restart", 3, up);
            load.close();

            assertEquals(503, whileDown.getInteger("httpStatus"), whileDown.encode());
            assertTrue(whileDown.getString("database").startsWith("DOWN"), whileDown.encode());
            assertEquals(200, afterwards.getInteger("httpStatus"), afterwards.encode());
            assertEquals("UP", afterwards.getString("database"));
            assertTrue(firstApproval != null, "a purchase is approved again after the restart, without restarting the gateway");

            List<Outcome> all = load.outcomes();
            List<Outcome> during = load.outcomes(o -> o.sentAfter(down) && o.answeredBefore(restarting));
            for (Outcome o : during) {
                if (o.kind() == Kind.ECHO) {
                    assertEquals("00", o.code(), "an echo does not need the database: " + o);
                } else {
                    assertEquals("96", o.code(), "while the database is down: " + o);
                }
            }
            Ledger.FaultWindow window = Ledger.FaultWindow.of(during);

            Ledger ledger = Ledger.settled(world.db(), world.host::approvals);
            ledger.assertConsistentWith(all);

            log.info("FAULT postgres: outage {} ms; answered during it: {};"
                            + " restart took {} ms; /ready UP {} ms after the restart; first approval answered {} ms after the restart;"
                            + " whole run: purchases {}, sign-ons {}, echoes {}; journal {}; reversals {}",
                    (restarting - down) / 1_000_000, window,
                    (up - restarting) / 1_000_000, (readyAgain - up) / 1_000_000, (firstApproval.answeredNanos() - up) / 1_000_000,
                    Ledger.codes(all, Kind.PURCHASE), Ledger.codes(all, Kind.SIGN_ON), Ledger.codes(all, Kind.ECHO),
                    ledger.statuses(), ledger.reversals().size());
        }
    }

    /**
     * The database stops while a purchase is at the host, which approves it: the approval cannot
     * be recorded, so the terminal gets 96 and, once the database is back, the row is closed
     * TIMED_OUT with a reversal that the gateway delivers by itself, undoing the host's approval.
     */
    @Test
    void aPurchaseTheHostApprovesWhileTheDatabaseIsDownIsReversedOnceItIsBack() throws Exception {
        try (StoppablePostgres pg = StoppablePostgres.start();
                PospFixture world = PospFixture.start(4_000, PospFixture.newLmkFile(), pg.url(), Map.of(), 1_500)) {
            SignedOnTerminals terminals = SignedOnTerminals.of(world, "PGMD", 1);
            PosClient pos = terminals.clients().get(0);
            PosMessage purchase = pos.purchase(TerminalLoad.PAN, 12_300, "123456");
            long received = world.host.messagesReceived();
            Future<PosClient.Reply> answer = pos.send(purchase); // the host answers after 1.5 s
            // journalled and forwarded: the host holds it while the database goes
            Eventually.until("the purchase reaches the host", () -> world.host.messagesReceived() > received);
            pg.stop();
            PosClient.Reply reply = Eventually.await(answer);
            Set<String> approvedWhileDown = world.host.approvals();
            pg.restart();
            Ledger ledger = Ledger.settled(world.db(), world.host::approvals);

            assertEquals("96", reply.code(), "the host's approval could not be recorded");
            assertEquals(Set.of("PGMD0001:000001:" + purchase.field(11)), approvedWhileDown, "the host had approved it");
            assertEquals(Map.of("REVERSED", 1), ledger.statuses());
            assertEquals(Map.of("PGMD0001:" + purchase.field(11), "DELIVERED"), ledger.reversals());
            assertEquals(Set.of(), world.host.approvals(), "the reversal undid the host's approval");
        }
    }
}
