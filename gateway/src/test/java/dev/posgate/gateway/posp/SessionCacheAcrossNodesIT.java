package dev.posgate.gateway.posp;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.crypto.Parity;
import dev.posgate.crypto.RandomSource;
import dev.posgate.gateway.support.Metrics;
import dev.posgate.gateway.support.TestGateway;
import dev.posgate.gateway.support.TestPostgres;
import dev.posgate.protocol.posp.SignOnMode;
import dev.posgate.terminal.pinpad.KeyRole;
import dev.posgate.terminal.pinpad.PinPad;
import dev.posgate.terminal.pos.PosClient;
import dev.posgate.testing.Eventually;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 19: every node keeps its terminals' sign-on state in memory (a purchase reads no query for
 * its keys) and drops its copy when another node changes it (NOTIFY posp_terminal_session, V19).
 * Two gateway nodes on one PostgreSQL database, LMK and host; one terminal moves between them as a
 * load balancer would move it. End to end over TCP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionCacheAcrossNodesIT {
    private static final String PAN = "6222021234567890123";
    private static final String HITS = "posgate_posp_session_cache_hits_total";
    private static final String LOADS = "posgate_posp_session_cache_loads_total";
    private static final String HEARD = "posgate_posp_session_invalidations_heard_total";
    private static final String CACHED = "posgate_posp_sessions_cached";

    private PospFixture world;
    private TestGateway nodeB;

    @BeforeAll
    void start() throws Exception {
        world = PospFixture.start(3000, PospFixture.newLmkFile(), TestPostgres.newDatabaseUrl(), Map.of());
        nodeB = world.startAnotherNode();
    }

    @AfterAll
    void stop() throws Exception {
        if (nodeB != null) nodeB.close();
        world.close();
    }

    private PosClient.Reply purchaseOn(TestGateway node, PosClient terminal, long amount) throws Exception {
        terminal.relink(world.linkTo(node));
        return await(terminal.send(terminal.purchase(PAN, amount, "123456")));
    }

    private static double metric(TestGateway node, String series) throws Exception {
        double v = Metrics.value(node, series);
        return Double.isNaN(v) ? 0 : v;
    }

    @Test
    void aSignOnOnOneNodeDropsTheOtherNodesCopyBeforeItsNextPurchase() throws Exception {
        // every change notifies once: registration, the sign-on's statement, the keys' first use
        double heard0 = metric(nodeB, HEARD);
        PinPad pad = world.registerTmkTerminal("NODE0001", "SN-NODE-1");
        PosClient terminal = world.tmkClient("NODE0001", pad);
        assertEquals("00", await(terminal.signOn(SignOnMode.DOUBLE)).code(), "signed on at node A");
        assertEquals("00", await(terminal.send(terminal.purchase(PAN, 50, "123456"))).code(), "first use of the keys at node A");
        // node B hears all three before it serves the terminal (none may drop its copy later)
        Eventually.until("node B heard of the registration, the sign-on and the first use",
                () -> metric(nodeB, HEARD) >= heard0 + 3);

        // node B reads the session once, then serves the terminal from its copy
        double loads = metric(nodeB, LOADS);
        assertEquals("00", purchaseOn(nodeB, terminal, 100).code());
        assertEquals(loads + 1, metric(nodeB, LOADS), "node B read the session once");
        double hits = metric(nodeB, HITS);
        PosClient.Reply fromCopy = purchaseOn(nodeB, terminal, 200);
        assertEquals("00", fromCopy.code());
        assertEquals(Boolean.TRUE, fromCopy.macValid());
        assertEquals(hits + 1, metric(nodeB, HITS), "the second purchase on node B read no session");
        assertEquals(loads + 1, metric(nodeB, LOADS));
        double cached = metric(nodeB, CACHED);
        assertTrue(cached >= 1);

        // a new sign-on at node A: new keys; node B hears of it and drops its copy
        double heard = metric(nodeB, HEARD);
        terminal.relink(world.linkTo(world.gateway));
        assertEquals("00", await(terminal.signOn(SignOnMode.DOUBLE)).code(), "signed on again at node A");
        Eventually.until("node B heard of the sign-on at node A", () -> metric(nodeB, HEARD) > heard);
        assertEquals(cached - 1, metric(nodeB, CACHED), "node B's copy of the old keys is gone");

        // node B reads the new keys once: a purchase refused on a stale copy would have read twice
        double loadsBefore = metric(nodeB, LOADS);
        PosClient.Reply underNewKeys = purchaseOn(nodeB, terminal, 300);
        assertEquals("00", underNewKeys.code(), "the MAC under the new MAK verifies at node B");
        assertEquals(Boolean.TRUE, underNewKeys.macValid(), "node B MACs the answer with the new MAK");
        assertEquals(loadsBefore + 1, metric(nodeB, LOADS));
    }

    @Test
    void aStrangersSignOnAtOneNodeKeepsTheTerminalsKeysInTheGraceSetAtTheOther() throws Exception {
        double heard0 = metric(nodeB, HEARD);
        PinPad pad = world.registerTmkTerminal("NODE0002", "SN-NODE-2");
        PosClient terminal = world.tmkClient("NODE0002", pad);
        assertEquals("00", await(terminal.signOn(SignOnMode.DOUBLE)).code());
        assertEquals("00", purchaseOn(nodeB, terminal, 100).code(), "node B holds a copy of the session");

        // a stranger (TID and MID, not the TMK) signs on at node A: the keys rotate
        PinPad strangersPad = new PinPad();
        strangersPad.write(1, KeyRole.TMK, Parity.adjustOdd(RandomSource.secure().next(16)));
        PosClient stranger = world.tmkClient("NODE0002", strangersPad);
        PosClient.SignOnResult rotated = await(stranger.signOn(SignOnMode.DOUBLE));
        assertEquals("00", rotated.code());
        assertFalse(rotated.keysAccepted());
        // registration, sign-on, first use (written by node B), the stranger's sign-on
        Eventually.until("node B heard of the stranger's sign-on", () -> metric(nodeB, HEARD) >= heard0 + 4);

        // node B reads the grace set the one sign-on statement kept: the terminal's keys still serve it
        PosClient.Reply r = purchaseOn(nodeB, terminal, 200);
        assertEquals("00", r.code(), "the terminal's MAK verifies as the grace set at node B");
        assertEquals(Boolean.TRUE, r.macValid(), "answered under the key the terminal holds");
    }
}
