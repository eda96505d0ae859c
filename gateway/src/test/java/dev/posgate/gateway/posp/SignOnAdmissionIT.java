package dev.posgate.gateway.posp;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.support.Metrics;
import dev.posgate.gateway.support.TestGateway;
import dev.posgate.gateway.support.TestPostgres;
import dev.posgate.protocol.posp.SignOnMode;
import dev.posgate.terminal.net.TerminalLink;
import dev.posgate.terminal.pinpad.PinPad;
import dev.posgate.terminal.pos.PinPadKeys;
import dev.posgate.terminal.pos.PosClient;
import dev.posgate.testing.Eventually;
import io.vertx.core.Future;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 19, fleet sign-on storm: sign-ons are admitted per node at the rate it sustains
 * ({@code SignOnAdmission}), so a burst costs latency instead of 96s. End to end over TCP, two
 * gateway nodes on one database: node A with one sign-on at a time and a pool whose wait queue
 * is far smaller than the burst; node B with one sign-on at a time and a wait queue of two.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SignOnAdmissionIT {
    private static final String MID = "898310048990001";
    /** Node A's pool: one connection holds LISTEN, one serves queries, 6 queries may wait for it. */
    private static final int POOL = 2;
    private static final int POOL_QUEUE = 6;
    /** Four times what node A's pool takes at once (1 + 6): without admission most would be 96. */
    private static final int BURST = 28;
    private static final int QUEUE_B = 2;
    private static final Duration PATIENT = Eventually.PATIENCE.multipliedBy(2);

    private PospFixture world;
    private TestGateway nodeB;
    /** The test's own connection to the database, to hold a lock the sign-ons' statement waits for. */
    private Pool own;

    @BeforeAll
    void start() throws Exception {
        world = PospFixture.start(3000, PospFixture.newLmkFile(), TestPostgres.newDatabaseUrl(), Map.of(
                Setting.DB_POOL_SIZE, POOL, Setting.DB_POOL_QUEUE_MAX, POOL_QUEUE, Setting.POSP_SIGN_ON_CONCURRENT, 1));
        nodeB = world.startAnotherNode(Map.of(Setting.POSP_SIGN_ON_CONCURRENT, 1, Setting.POSP_SIGN_ON_QUEUE_MAX, QUEUE_B,
                // far beyond the test: a waiter leaves the queue by its turn or its terminal's hang-up only
                Setting.POSP_SIGN_ON_QUEUE_WAIT, 600_000));
        own = PgBuilder.pool().with(new PoolOptions().setMaxSize(1)).connectingTo(PgConnectOptions.fromUri(world.dbUrl))
                .using(world.vertx).build();
    }

    @AfterAll
    void stop() throws Exception {
        if (own != null) await(own.close());
        if (nodeB != null) nodeB.close();
        if (world != null) world.close();
    }

    private static double metric(TestGateway node, String series) throws Exception {
        double v = Metrics.value(node, series);
        return Double.isNaN(v) ? 0 : v;
    }

    @Test
    void aBurstBeyondWhatThePoolTakesIsServedInTurnAndEveryTerminalGetsItsKeys() throws Exception {
        List<PosClient> fleet = new ArrayList<>();
        for (int i = 0; i < BURST; i++) {
            String tid = String.format("BRST%04d", i);
            fleet.add(client(world.gateway, tid, world.registerTmkTerminal(tid, "SN-BRST-" + i)));
        }
        double waited = metric(world.gateway, "posgate_posp_sign_on_wait_seconds_count");

        List<Future<PosClient.SignOnResult>> signOns = new ArrayList<>();
        for (PosClient t : fleet) signOns.add(t.signOn(SignOnMode.DOUBLE_WITH_TDK));
        for (int i = 0; i < BURST; i++) {
            PosClient.SignOnResult r = await(signOns.get(i));
            assertEquals("00", r.code(), "terminal " + i + " signed on");
            assertTrue(r.keysAccepted(), "terminal " + i + ": field 62 decrypts under its TMK to the KCVs sent");
        }
        assertTrue(metric(world.gateway, "posgate_posp_sign_on_wait_seconds_count") > waited,
                "sign-ons of the burst waited for their turn");
        assertEquals(0, metric(world.gateway, "posgate_posp_sign_on_waiting"));
        assertEquals(0, metric(world.gateway, "posgate_posp_sign_on_refused_total{reason=\"queue_full\"}"));
        assertEquals(0, metric(world.gateway, "posgate_posp_sign_on_refused_total{reason=\"wait_timeout\"}"));
    }

    /**
     * One sign-on in progress, held by the test's lock on key_record (its statement waits); two
     * waiting, one of whose terminals hangs up and gives its place to the next; beyond the queue
     * answered 91 at once, while the lock is still held: no HSM or database work, no key, no audit.
     */
    @Test
    void beyondTheQueueSignOnsAre91AtOnceWithNoKeyAndAHungUpWaiterGivesItsPlaceUp() throws Exception {
        List<PinPad> pads = new ArrayList<>();
        for (int i = 0; i < 7; i++) pads.add(world.registerTmkTerminal(tid(i), sn(i)));
        double full = metric(nodeB, "posgate_posp_sign_on_refused_total{reason=\"queue_full\"}");
        double abandoned = metric(nodeB, "posgate_posp_sign_on_abandoned_total");

        SqlConnection held = await(own.getConnection());
        Transaction lock = await(held.begin());
        List<Future<PosClient.SignOnResult>> kept = new ArrayList<>();
        List<Integer> refused = List.of(4, 5, 6);
        try {
            await(held.query("lock table key_record in exclusive mode").execute());
            kept.add(client(0, pads).signOn(SignOnMode.DOUBLE_WITH_TDK));
            Eventually.until("the first sign-on is in progress", () -> metric(nodeB, "posgate_posp_sign_on_in_progress") == 1);
            kept.add(client(1, pads).signOn(SignOnMode.DOUBLE_WITH_TDK));
            TerminalLink hangsUp = world.linkTo(nodeB, PATIENT);
            Future<PosClient.SignOnResult> gone = new PosClient(hangsUp, tid(2), MID, new PinPadKeys(pads.get(2), 1), false)
                    .signOn(SignOnMode.DOUBLE_WITH_TDK);
            Eventually.until("two sign-ons wait", () -> metric(nodeB, "posgate_posp_sign_on_waiting") == QUEUE_B);

            await(hangsUp.close());
            Eventually.until("the hung-up terminal's place is free", () -> metric(nodeB, "posgate_posp_sign_on_waiting") == 1);
            assertEquals(abandoned + 1, metric(nodeB, "posgate_posp_sign_on_abandoned_total"));
            Eventually.failure(gone); // no answer on the closed link
            kept.add(client(3, pads).signOn(SignOnMode.DOUBLE_WITH_TDK));
            Eventually.until("the next sign-on waits in its place", () -> metric(nodeB, "posgate_posp_sign_on_waiting") == QUEUE_B);

            for (int i : refused) {
                PosClient.SignOnResult r = await(client(i, pads).signOn(SignOnMode.DOUBLE_WITH_TDK));
                assertEquals("91", r.code(), "terminal " + i + " is over the queue: answered while the first still waits on the lock");
                assertFalse(r.reply().has(62), "no keys");
            }
            assertEquals(full + refused.size(), metric(nodeB, "posgate_posp_sign_on_refused_total{reason=\"queue_full\"}"));
            for (Future<PosClient.SignOnResult> f : kept) assertFalse(f.isComplete(), "the admitted sign-ons are not answered yet");
        } finally {
            await(lock.rollback());
            held.close();
        }

        for (int i = 0; i < kept.size(); i++) {
            PosClient.SignOnResult r = await(kept.get(i));
            assertEquals("00", r.code(), "admitted sign-on " + i);
            assertTrue(r.keysAccepted(), "admitted sign-on " + i + " got keys under its TMK");
        }
        Eventually.until("every sign-on has left node B", () -> metric(nodeB, "posgate_posp_sign_on_in_progress") == 0);
        for (int i : List.of(0, 1, 3)) {
            assertEquals(3, workingKeys(i), "terminal " + i + ": PIK, MAK and TDK stored");
            assertEquals(1, signOnAudits(i), "terminal " + i + ": its sign-on audited");
        }
        for (int i : List.of(2, 4, 5, 6)) {
            assertEquals(0, workingKeys(i), "terminal " + i + ": no key issued");
            assertEquals(0, signOnAudits(i), "terminal " + i + ": no sign-on or refusal audited");
        }
    }

    private static String tid(int i) {
        return "QUEU000" + i;
    }

    private static String sn(int i) {
        return "SN-QUEU-" + i;
    }

    private PosClient client(int i, List<PinPad> pads) throws Exception {
        return client(nodeB, tid(i), pads.get(i));
    }

    /** A terminal whose answers may take as long as the test waits for anything (its turn in the queue). */
    private PosClient client(TestGateway node, String tid, PinPad pad) throws Exception {
        return new PosClient(world.linkTo(node, PATIENT), tid, MID, new PinPadKeys(pad, 1), false);
    }

    private long workingKeys(int i) throws Exception {
        return count("select count(*) from key_record where owner_type = 'TERMINAL' and owner_id = $1"
                + " and key_type in ('PIK', 'MAK', 'TDK')", sn(i));
    }

    private long signOnAudits(int i) throws Exception {
        return count("select count(*) from audit_log where action = 'pos.sign_on' and subject = $1", tid(i));
    }

    private long count(String sql, String arg) throws Exception {
        return await(own.preparedQuery(sql).execute(Tuple.of(arg))).iterator().next().getLong(0);
    }
}
