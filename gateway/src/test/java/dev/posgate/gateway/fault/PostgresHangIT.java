package dev.posgate.gateway.fault;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.fault.TerminalLoad.Kind;
import dev.posgate.gateway.fault.TerminalLoad.Outcome;
import dev.posgate.gateway.posp.PospFixture;
import dev.posgate.terminal.pos.PosClient;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's PostgreSQL hangs under load: its connections stay open but nothing comes back
 * (a stalled server or a network that drops packets without a reset). There is no per-query
 * database timeout, so the requests in the database wait for it; echoes are still answered,
 * /ready says the database is DOWN within its check timeout, and once the database answers again
 * every held request is answered and the journal, the host and the terminals agree.
 */
class PostgresHangIT {
    private static final Logger log = LoggerFactory.getLogger(PostgresHangIT.class);
    private static final long HANG_MS = 3_000;

    @Test
    void requestsWaitForAHungDatabaseWhileEchoesAndReadinessAnswer() throws Exception {
        try (HangingPostgres pg = HangingPostgres.start()) {
            // the load signs each terminal on every 7th request, far above posp.sign_on.rate
            try (PospFixture world = PospFixture.start(2_000, PospFixture.newLmkFile(), pg.url(),
                    Map.of(Setting.DB_POOL_SIZE, 4, Setting.POSP_SIGN_ON_RATE, 0))) {
                SignedOnTerminals terminals = SignedOnTerminals.of(world, "HANG", 5);
                PosClient echoes = terminals.clients().remove(4); // an idle terminal that only echoes
                terminals.tids().remove(4);
                TerminalLoad load = TerminalLoad.start(terminals.clients(), terminals.tids(), 20, 7, Duration.ofSeconds(30));
                load.awaitApprovals("purchases are approved before the fault", 3, Long.MIN_VALUE);

                pg.hang();
                long hung = System.nanoTime();
                JsonObject whileHung = Readiness.of(world.gateway);
                long readyMs = (System.nanoTime() - hung) / 1_000_000;
                long echoSent = System.nanoTime();
                assertEquals("00", await(echoes.echo()).code(), "an echo does not need the database");
                long echoMs = (System.nanoTime() - echoSent) / 1_000_000;
                // the hang is the fault itself, held for a fixed time: requests pile up behind it
                Thread.sleep(Math.max(0, HANG_MS - (System.nanoTime() - hung) / 1_000_000));
                pg.resume();
                long thawed = System.nanoTime();
                Outcome firstApproval = load.firstApprovalSentAfter(thawed);
                JsonObject afterwards = Readiness.await(world.gateway, "database", true);
                load.awaitApprovals("more purchases are approved once the database answers", 3, thawed);
                load.close();

                assertEquals(503, whileHung.getInteger("httpStatus"), whileHung.encode());
                assertTrue(whileHung.getString("database").startsWith("DOWN"), whileHung.encode());
                assertEquals("UP", afterwards.getString("database"), afterwards.encode());
                assertTrue(firstApproval != null, "purchases are approved again once the database answers");

                List<Outcome> all = load.outcomes();
                List<Outcome> held = load.outcomes(o -> o.sentNanos() < thawed && o.answeredNanos() > thawed);
                assertFalse(held.isEmpty(), "requests were held by the hung database");
                long longestHeld = held.stream().mapToLong(Outcome::latencyMs).max().orElse(0);
                Ledger ledger = Ledger.settled(world.db(), world.host::approvals);
                ledger.assertConsistentWith(all);

                log.info("FAULT postgres hang: {} ms; /ready answered {} in {} ms; echo {} ms; requests held {} (answered {}),"
                                + " longest {} ms; first approval {} ms after the database answered again; whole run: purchases {},"
                                + " sign-ons {}; journal {}",
                        (thawed - hung) / 1_000_000, whileHung.getString("database"), readyMs, echoMs, held.size(),
                        held.stream().map(o -> o.kind() + " " + o.code()).distinct().toList(), longestHeld,
                        (firstApproval.answeredNanos() - thawed) / 1_000_000, Ledger.codes(all, Kind.PURCHASE),
                        Ledger.codes(all, Kind.SIGN_ON), ledger.statuses());
            }
        }
    }
}
