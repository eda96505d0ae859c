package dev.posgate.gateway.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.gateway.fault.TerminalLoad.Kind;
import dev.posgate.gateway.fault.TerminalLoad.Outcome;
import dev.posgate.gateway.posp.PospFixture;
import dev.posgate.gateway.support.Metrics;
import dev.posgate.gateway.support.TestPostgres;
import dev.posgate.terminal.pos.PosClient;
import dev.posgate.testing.Eventually;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upstream host keeps its connections and reads every request but answers nothing for longer
 * than upstream.timeout.ms, then answers again: each purchase sent meanwhile is answered 68 (MACed)
 * with exactly one reversal queued, echoes are answered at once, the requests waiting for the host
 * stay bounded; once the host answers, every reversal is delivered and new purchases are approved.
 */
class UpstreamStallIT {
    private static final Logger log = LoggerFactory.getLogger(UpstreamStallIT.class);
    private static final int UPSTREAM_TIMEOUT_MS = 1_000;
    private static final long STALL_MS = 3_000;
    private static final int TERMINALS = 8;
    /** ReversalQueue claims at most this many reversals per scan, each a request to the host. */
    private static final int REVERSAL_BATCH = 20;
    private static final String PENDING = "posgate_upstream_requests_pending";

    @Test
    void purchasesDuringTheStallGet68AndAreReversedOnceTheHostAnswersAgain() throws Exception {
        try (PospFixture world = PospFixture.start(UPSTREAM_TIMEOUT_MS, PospFixture.newLmkFile(), TestPostgres.newDatabaseUrl(),
                Map.of())) {
            SignedOnTerminals terminals = SignedOnTerminals.of(world, "STAL", TERMINALS + 1);
            PosClient echoes = terminals.clients().remove(TERMINALS); // an idle terminal that only echoes
            terminals.tids().remove(TERMINALS);
            TerminalLoad load = TerminalLoad.start(terminals.clients(), terminals.tids(), 20, 0, Duration.ofSeconds(10));
            load.awaitApprovals("purchases are approved before the fault", 3, Long.MIN_VALUE);

            world.host.stall(true);
            long stalled = System.nanoTime();
            double maxPending = 0;
            long slowestIdleEcho = 0;
            int idleEchoes = 0;
            while (System.nanoTime() - stalled < STALL_MS * 1_000_000) {
                maxPending = Math.max(maxPending, Metrics.value(world.gateway, PENDING));
                long echoSent = System.nanoTime();
                assertEquals("00", Eventually.await(echoes.echo()).code());
                idleEchoes++;
                slowestIdleEcho = Math.max(slowestIdleEcho, (System.nanoTime() - echoSent) / 1_000_000);
                Thread.sleep(50);
            }
            world.host.stall(false);
            long resumed = System.nanoTime();
            Outcome firstApproval = load.firstApprovalSentAfter(resumed);
            load.awaitApprovals("more purchases are approved after the host answers again", 3, resumed);
            load.close();
            Ledger ledger = Ledger.settled(world.db(), world.host::approvals);

            assertNotNull(firstApproval, "purchases are approved again once the host answers");
            List<Outcome> all = load.outcomes();
            List<Outcome> stalledPurchases = load.outcomes(o -> o.kind() == Kind.PURCHASE && o.sentAfter(stalled)
                    && o.sentNanos() < resumed - UPSTREAM_TIMEOUT_MS * 1_000_000L);
            List<Outcome> echoesDuring = load.outcomes(o -> o.kind() == Kind.ECHO && o.sentAfter(stalled) && o.answeredBefore(resumed));
            assertFalse(stalledPurchases.isEmpty(), "the stall saw purchases");
            for (Outcome o : stalledPurchases) {
                assertEquals("68", o.code(), "a purchase the host never answered: " + o);
                assertEquals(Boolean.TRUE, o.macValid(), "68 comes after a verified MAC, so it is MACed: " + o);
            }
            long slowestEcho = slowestIdleEcho;
            for (Outcome o : echoesDuring) {
                assertEquals("00", o.code());
                slowestEcho = Math.max(slowestEcho, o.latencyMs());
            }
            assertTrue(slowestEcho < UPSTREAM_TIMEOUT_MS, "the terminal connections are never blocked by the stall: " + slowestEcho + " ms");

            ledger.assertConsistentWith(all);
            Set<String> timedOut = all.stream().filter(o -> "68".equals(o.code())).map(o -> o.tid() + ":" + o.stan())
                    .collect(Collectors.toSet());
            assertEquals(timedOut, ledger.reversals().keySet(), "exactly one reversal per purchase answered 68, and no other");
            assertTrue(Set.copyOf(world.host.reversalsReceived()).containsAll(timedOut), "the host received every reversal");
            assertTrue(maxPending > 0, "the gauge saw the requests waiting for the host");
            assertTrue(maxPending <= TERMINALS + REVERSAL_BATCH,
                    "requests waiting for the host are bounded by the terminals' one-at-a-time requests and the reversal batch: " + maxPending);
            assertEquals(0.0, Metrics.value(world.gateway, PENDING), "nothing left waiting");

            log.info("FAULT upstream stall: {} ms with upstream.timeout.ms {}; {} terminals; purchases answered 68 during it: {};"
                            + " echoes during it {} + {} from an idle terminal (slowest {} ms); max {} {}; first approval answered {} ms after the host resumed;"
                            + " whole run: purchases {}, echoes {}; journal {}; reversals {} (all DELIVERED)",
                    STALL_MS, UPSTREAM_TIMEOUT_MS, TERMINALS, stalledPurchases.size(), echoesDuring.size(), idleEchoes, slowestEcho,
                    PENDING, (int) maxPending, (firstApproval.answeredNanos() - resumed) / 1_000_000,
                    Ledger.codes(all, Kind.PURCHASE), Ledger.codes(all, Kind.ECHO), ledger.statuses(), ledger.reversals().size());
        }
    }
}
