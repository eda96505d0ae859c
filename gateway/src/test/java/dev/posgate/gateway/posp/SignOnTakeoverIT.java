package dev.posgate.gateway.posp;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.crypto.KeyComponents;
import dev.posgate.crypto.Parity;
import dev.posgate.crypto.RandomSource;
import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.support.Metrics;
import dev.posgate.protocol.posp.SignOnMode;
import dev.posgate.terminal.pinpad.KeyRole;
import dev.posgate.terminal.pinpad.PinPad;
import dev.posgate.terminal.pos.PosClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Sign-on (0800) is unauthenticated by design: a stranger who knows a terminal's TID and MID (both
 * on every receipt) used to rotate its working keys, so the terminal's next purchase got A0. Now
 * the keys the terminal used stay valid for the grace period, until it uses the new ones; and a
 * terminal's sign-ons are rate-limited. End to end over TCP (gateway, PostgreSQL, software HSMs,
 * host simulator). The rate window is an hour so that "within the window" never depends on the
 * machine's speed; the end of the grace period is reached by moving the stored deadline, as
 * PospEndToEndIT moves the sign-on date to reach the next business day.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SignOnTakeoverIT {
    private static final String PAN = "6222021234567890123";
    private PospFixture world;

    @BeforeAll
    void start() throws Exception {
        world = PospFixture.start(3000, PospFixture.newLmkFile(), dev.posgate.gateway.support.TestPostgres.newDatabaseUrl(),
                Map.of(Setting.KEY_RATE_WINDOW, 3600));
    }

    @AfterAll
    void stop() throws Exception {
        world.close();
    }

    /** A PIN pad with the terminal's TMK: the terminal itself, or a second one holding the same TMK. */
    private static PinPad padWithTheTmk() {
        PinPad pad = new PinPad();
        pad.write(1, KeyRole.TMK, Parity.adjustOdd(KeyComponents.combine(PospFixture.TMK_1, PospFixture.TMK_2)));
        return pad;
    }

    /** What a stranger has: TID and MID, and a PIN pad without the terminal's TMK. */
    private PosClient stranger(String tid) throws Exception {
        PinPad pad = new PinPad();
        pad.write(1, KeyRole.TMK, Parity.adjustOdd(RandomSource.secure().next(16)));
        return world.tmkClient(tid, pad);
    }

    private void signedOnAndUsed(PosClient pos) throws Exception {
        assertEquals("00", await(pos.signOn(SignOnMode.DOUBLE)).code());
        assertEquals("00", await(pos.send(pos.purchase(PAN, 100, "123456"))).code());
    }

    private void graceEnds(String tid) throws Exception {
        world.changeSignOnState("update posp_terminal_state set grace_until = now() - interval '1 second' where tid = $1",
                Tuple.of(tid));
    }

    @Test
    void aStrangersSignOnNoLongerCutsTheTerminalOffUntilTheGracePeriodEnds() throws Exception {
        PinPad pad = world.registerTmkTerminal("TAKE0001", "SN-TAKE-1");
        PosClient terminal = world.tmkClient("TAKE0001", pad);
        signedOnAndUsed(terminal);

        OffsetDateTime before = dbNow();
        PosClient.SignOnResult rotated = await(stranger("TAKE0001").signOn(SignOnMode.DOUBLE));
        OffsetDateTime after = dbNow();
        assertEquals("00", rotated.code(), "sign-on stays unauthenticated (UnionPay's design)");
        assertFalse(rotated.keysAccepted(), "the stranger cannot read the keys");
        // and twice in a row, which must not push the terminal's keys out of the grace set
        assertEquals("00", await(stranger("TAKE0001").signOn(SignOnMode.DOUBLE)).code());

        for (int i = 0; i < 2; i++) {
            PosClient.Reply r = await(terminal.send(terminal.purchase(PAN, 1_000 + i, "123456")));
            assertEquals("00", r.code(), "the terminal's old MAK verifies and its old PIK translates the PIN");
            assertEquals(Boolean.TRUE, r.macValid(), "the reply is MACed with the key the terminal holds");
        }
        assertEquals(1, count("select count(*) from posp_terminal_state where tid = $1 and grace_until"
                + " between $2::timestamptz + interval '600 seconds' and $3::timestamptz + interval '600 seconds'",
                "TAKE0001", before, after), "posp.sign_on.grace.seconds from the stranger's first sign-on");

        graceEnds("TAKE0001");
        assertEquals("A0", await(terminal.send(terminal.purchase(PAN, 1_100, "123456"))).code(), "after the grace period");
    }

    @Test
    void theFirstRequestUnderTheNewKeysRetiresTheOldOnes() throws Exception {
        world.registerTmkTerminal("TAKE0002", "SN-TAKE-2");
        PosClient before = world.tmkClient("TAKE0002", padWithTheTmk());
        signedOnAndUsed(before);
        PosClient after = world.tmkClient("TAKE0002", padWithTheTmk());
        assertEquals("00", await(after.signOn(SignOnMode.DOUBLE)).code());

        assertEquals("00", await(before.send(before.purchase(PAN, 200, null))).code(), "old keys within the grace period");
        // two clients of one terminal count their STANs separately: this one's must not repeat the other's (94)
        assertEquals("00", await(after.send(after.purchase(PAN, 300, null).set(11, "900001"))).code());
        assertEquals("A0", await(before.send(before.purchase(PAN, 400, null))).code(), "the new keys are in use: old ones retired");
        assertEquals(0, count("select count(*) from posp_terminal_state where tid = $1 and grace_mak is not null", "TAKE0002"));
    }

    @Test
    void theSeventhSignOnOfATerminalWithinTheWindowIsA12CountedNotAudited() throws Exception {
        PinPad pad = world.registerTmkTerminal("TAKE0003", "SN-TAKE-3");
        PosClient terminal = world.tmkClient("TAKE0003", pad);
        for (int i = 1; i <= 6; i++) assertEquals("00", await(terminal.signOn(SignOnMode.DOUBLE)).code(), "sign-on " + i);
        double refused = Metrics.value(world.gateway, "posgate_rate_limited_total{flow=\"sign_on\"}");
        long audited = count("select count(*) from audit_log where subject = $1", "TAKE0003");

        assertEquals("12", await(stranger("TAKE0003").signOn(SignOnMode.DOUBLE)).code());
        assertEquals("12", await(terminal.signOn(SignOnMode.DOUBLE)).code());

        assertEquals(refused + 2, Metrics.value(world.gateway, "posgate_rate_limited_total{flow=\"sign_on\"}"));
        assertEquals(audited, count("select count(*) from audit_log where subject = $1", "TAKE0003"), "no audit row per refusal");
        assertEquals("00", await(terminal.send(terminal.purchase(PAN, 500, null))).code(), "the refused sign-on changed no key");
        world.registerTmkTerminal("TAKE0004", "SN-TAKE-4");
        assertEquals("00", await(world.tmkClient("TAKE0004", padWithTheTmk()).signOn(SignOnMode.DOUBLE)).code(),
                "another terminal is not held back");
    }

    private OffsetDateTime dbNow() throws Exception {
        return await(world.db().query("select now()").execute()).iterator().next().getOffsetDateTime(0);
    }

    private long count(String sql, Object... params) throws Exception {
        return await(world.db().preparedQuery(sql).execute(Tuple.wrap(params))).iterator().next().getLong(0);
    }
}
