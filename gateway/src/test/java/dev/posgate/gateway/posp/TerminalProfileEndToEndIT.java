package dev.posgate.gateway.posp;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.crypto.KeyComponents;
import dev.posgate.crypto.Parity;
import dev.posgate.gateway.support.AdminClient;
import dev.posgate.gateway.support.TerminalConnection;
import dev.posgate.iso8583.pos.Field60;
import dev.posgate.iso8583.pos.MacBlock;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.terminal.pos.PosClient;
import dev.posgate.testing.TdesReference;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import dev.posgate.gateway.posp.wire.TerminalInfo;

/**
 * Issue 14, item 6 (a per-terminal profile for the 40-byte 003 layout with a single-length MAK)
 * and item 1 (field 46 kept with the terminal), end to end over TCP: gateway, PostgreSQL, the
 * software HSM and the host simulator. Keys and MACs are checked with BouncyCastle's DES engines
 * directly, not with the project's crypto.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(PospFixture.PerClass.class)
class TerminalProfileEndToEndIT {
    private static final String PAN = "6222021234567890123";
    private static final String MID = "898310048990001";
    private static final byte[] TMK = Parity.adjustOdd(KeyComponents.combine(PospFixture.TMK_1, PospFixture.TMK_2));
    private AdminClient admin;
    private final PospFixture world;
    private int stan = 500;

    TerminalProfileEndToEndIT(PospFixture world) {
        this.world = world;
    }

    @BeforeAll
    void start() throws Exception {
        admin = new AdminClient(world.gateway);
    }

    /**
     * An operator switches a terminal to the single-length MAK profile with the CLI (audited); its
     * 003 sign-on answers the 40-byte field 62 with PIK(16) KCV(4) MAK(8) 00*8 KCV(4); a purchase
     * MACed with single DES under that MAK, its PIN under the double-length PIK, gets 00 with a reply
     * MAC that single DES verifies; a purchase MACed as if the 16 bytes were a double-length key
     * (the MAK, then 8 zero bytes: TDES) gets A0.
     */
    @Test
    void aSingleLengthMakProfileGetsThe40ByteLayoutAndItsMacsAreSingleDes() throws Exception {
        world.registerTmkTerminal("TERM1461", "SN-1461");
        assertEquals("DOUBLE", admin.terminal("TERM1461").getString("makLength"));
        assertEquals(0, admin.cli("terminal", "update", "--tid", "TERM1461", "--mak-length", "single"));
        assertEquals("SINGLE", admin.terminal("TERM1461").getString("makLength"));
        Row audit = await(world.db().preparedQuery("select actor, detail->>'makLength', detail->>'previousMakLength' from audit_log"
                + " where action = 'terminal.update' and subject = $1").execute(Tuple.of("TERM1461"))).iterator().next();
        assertEquals("admin-api", audit.getString(0));
        assertEquals("SINGLE", audit.getString(1));
        assertEquals("DOUBLE", audit.getString(2));

        try (TerminalConnection t = world.gateway.connect()) {
            PosMessage reply = PosMessage.unpack(t.exchange(signOn("TERM1461", "003").pack()));
            assertEquals("00", reply.field(39));
            byte[] f62 = reply.binary(62);
            assertEquals(40, f62.length, "the 003 layout");
            byte[] pik = TdesReference.ecbDecrypt(TMK, Arrays.copyOfRange(f62, 0, 16));
            assertArrayEquals(kcv(pik), Arrays.copyOfRange(f62, 16, 20), "PIK KCV");
            byte[] mak = TdesReference.ecbDecrypt(TMK, Arrays.copyOfRange(f62, 20, 28));
            assertArrayEquals(new byte[8], Arrays.copyOfRange(f62, 28, 36), "8 zero bytes after the single-length MAK");
            assertArrayEquals(kcv(mak), Arrays.copyOfRange(f62, 36, 40), "MAK KCV under single DES");

            PosMessage purchase = purchase("TERM1461", 2_500).set(22, "011").set(26, "06")
                    .set(52, TdesReference.ecbEncrypt(pik, pinBlock("123456", PAN))).set(53, "2600000000000000");
            byte[] answer = t.exchange(sealed(purchase, mak));
            PosMessage approved = PosMessage.unpack(answer);
            assertEquals("00", approved.field(39), "MAC verified under the single-length MAK and the PIN under the PIK");
            assertArrayEquals(TdesReference.unionPayEcbMac(mak, MacBlock.of(answer)), MacBlock.mac(answer), "reply MAC, single DES");

            byte[] notThisKey = Arrays.copyOf(mak, 16);
            notThisKey[8] = 0x01;
            PosMessage forged = PosMessage.unpack(t.exchange(sealed(purchase("TERM1461", 2_500), notThisKey)));
            assertEquals("A0", forged.field(39));
        }
        assertEquals("SINGLE", await(world.db().preparedQuery("select detail->>'makLength' from audit_log"
                + " where action = 'pos.sign_on' and subject = $1").execute(Tuple.of("TERM1461"))).iterator().next().getString(0));
    }

    /** 004 follows the profile too: PIK(16) KCV MAK(8) 00*8 KCV TDK(16) KCV, 60 bytes; the TDK stays double length. */
    @Test
    void aSingleLengthMakProfileAppliesTo004AndTheTdkStaysDoubleLength() throws Exception {
        assertEquals(0, admin.cli("terminal", "register", "--tid", "TERM1462", "--mid", MID, "--sn", "SN-1462", "--vendor", "ACME",
                "--model", "P100", "--mak-length", "SINGLE"));
        assertEquals("SINGLE", admin.terminal("TERM1462").getString("makLength"));
        world.tmkInto("SN-1462");

        try (TerminalConnection t = world.gateway.connect()) {
            PosMessage reply = PosMessage.unpack(t.exchange(signOn("TERM1462", "004").pack()));
            assertEquals("00", reply.field(39));
            byte[] f62 = reply.binary(62);
            assertEquals(60, f62.length);
            byte[] mak = TdesReference.ecbDecrypt(TMK, Arrays.copyOfRange(f62, 20, 28));
            assertArrayEquals(new byte[8], Arrays.copyOfRange(f62, 28, 36));
            assertArrayEquals(kcv(mak), Arrays.copyOfRange(f62, 36, 40));
            byte[] tdk = TdesReference.ecbDecrypt(TMK, Arrays.copyOfRange(f62, 40, 56));
            assertNotEquals(HexFormat.of().formatHex(tdk, 0, 8), HexFormat.of().formatHex(tdk, 8, 16), "a double-length TDK");
            assertArrayEquals(kcv(tdk), Arrays.copyOfRange(f62, 56, 60));

            byte[] answer = t.exchange(sealed(purchase("TERM1462", 300), mak));
            assertEquals("00", PosMessage.unpack(answer).field(39));
            assertArrayEquals(TdesReference.unionPayEcbMac(mak, MacBlock.of(answer)), MacBlock.mac(answer));
        }
    }

    /** The default profile is unchanged: a double-length MAK in 003 (its halves differ). */
    @Test
    void theDefaultProfileKeepsTheDoubleLengthMak() throws Exception {
        world.registerTmkTerminal("TERM1463", "SN-1463");
        try (TerminalConnection t = world.gateway.connect()) {
            byte[] f62 = PosMessage.unpack(t.exchange(signOn("TERM1463", "003").pack())).binary(62);
            byte[] mak = TdesReference.ecbDecrypt(TMK, Arrays.copyOfRange(f62, 20, 36));
            assertFalse(Arrays.equals(Arrays.copyOf(mak, 8), Arrays.copyOfRange(mak, 8, 16)));
            assertArrayEquals(kcv(mak), Arrays.copyOfRange(f62, 36, 40));
        }
    }

    /**
     * Issue 20: {@code terminal disable} (audited) refuses the terminal's purchases, sign-ons and
     * remote TMK download (K2) with 58 over TCP, its keys kept; {@code terminal enable} (audited) serves it again, the
     * same session's purchase approved without a new sign-on. Unknown TID: exit 1 and 404.
     */
    @Test
    void aDisabledTerminalGets58AndServesAgainOnceEnabled() throws Exception {
        PosClient pos = world.tmkClient("TERM2001", world.registerTmkTerminal("TERM2001", "SN-2001"));
        assertEquals("00", await(pos.signOn(dev.posgate.protocol.posp.SignOnMode.DOUBLE)).code());
        assertEquals("00", await(pos.send(pos.purchase(PAN, 100, "123456"))).code());

        assertEquals(0, admin.cli("terminal", "disable", "TERM2001"));
        assertEquals("SUSPENDED", admin.terminal("TERM2001").getString("status"));
        assertEquals("58", await(pos.send(pos.purchase(PAN, 200, "123456"))).code(), "a disabled terminal's purchase");
        assertEquals("58", await(pos.signOn(dev.posgate.protocol.posp.SignOnMode.DOUBLE)).code(), "a disabled terminal's sign-on");
        assertEquals(0, admin.cli("terminal", "disable", "TERM2001"), "disabling twice changes nothing");
        if (!PospFixture.PAYSHIELD_RUN) { // the payshield HSM profile serves no KMS (docs/hsm-protocol.md 11)
            try (TerminalConnection c = world.gateway.connect()) {
                var k2 = new dev.posgate.protocol.kms.KmsTerminalSession("SN-2001", null, 1, null,
                        dev.posgate.crypto.RandomSource.secure()).k2();
                assertEquals("58", dev.posgate.iso8583.tms.TmsMessage.unpack(c.exchange(k2.pack())).header().status(),
                        "a disabled terminal's remote TMK download (K2)");
            }
        }

        assertEquals(0, admin.cli("terminal", "enable", "TERM2001"));
        assertEquals("ACTIVE", admin.terminal("TERM2001").getString("status"));
        dev.posgate.gateway.cli.CliRun again = dev.posgate.gateway.cli.CliRun.of("terminal", "enable", "TERM2001", "--json",
                "--admin", "http://127.0.0.1:" + world.gateway.adminPort(), "--token", world.gateway.app().adminToken());
        assertEquals(0, again.exit(), again.err());
        assertEquals("ACTIVE", new JsonObject(again.out()).getString("status"), "--json: the API's answer");
        assertEquals("00", await(pos.send(pos.purchase(PAN, 300, "123456"))).code(), "served again with the keys it had");
        assertEquals("00", await(pos.signOn(dev.posgate.protocol.posp.SignOnMode.DOUBLE)).code());

        var audit = await(world.db().preparedQuery("select action, actor, detail->>'previousStatus', detail->>'status' from audit_log"
                + " where action in ('terminal.disable', 'terminal.enable') and subject = $1 order by id").execute(Tuple.of("TERM2001")));
        assertEquals(2, audit.size(), "one record per change, none for the repeated disable");
        var it = audit.iterator();
        Row disabled = it.next();
        Row enabled = it.next();
        assertEquals(java.util.List.of("terminal.disable", "admin-api", "ACTIVE", "SUSPENDED"),
                java.util.List.of(disabled.getString(0), disabled.getString(1), disabled.getString(2), disabled.getString(3)));
        assertEquals(java.util.List.of("terminal.enable", "ACTIVE"), java.util.List.of(enabled.getString(0), enabled.getString(3)));
        assertEquals(404, admin.send(admin.request("/api/terminals/NOSUCH01/disable")
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody())).statusCode());
        assertEquals(1, admin.cli("terminal", "enable", "NOSUCH01"));
    }

    @Test
    void anUnknownMakLengthOrTerminalIsRefused() throws Exception {
        assertEquals(400, admin.patch("/api/terminals/TERM1461", new JsonObject().put("makLength", "TRIPLE")).statusCode());
        assertEquals(400, admin.patch("/api/terminals/TERM1461", new JsonObject()).statusCode());
        assertEquals(404, admin.patch("/api/terminals/NOSUCH01", new JsonObject().put("makLength", "SINGLE")).statusCode());
    }

    /**
     * Field 46 is kept with the terminal (GBK-decoded, shown by GET /api/terminals/:tid): set by the
     * sign-on, not written again by a MACed purchase that carries the same text, replaced by one
     * that carries a new text, and never by a request whose MAC fails.
     */
    @Test
    void field46IsKeptWithTheTerminalAndWrittenOnlyWhenItChanges() throws Exception {
        world.registerTmkTerminal("TERM1464", "SN-1464");
        assertNull(admin.terminal("TERM1464").getString("terminalInfo"));
        try (TerminalConnection t = world.gateway.connect()) {
            PosMessage reply = PosMessage.unpack(t.exchange(signOn("TERM1464", "003").setGbk(46, "终端 P100 固件 V1.2").pack()));
            assertEquals("00", reply.field(39));
            byte[] f62 = reply.binary(62);
            byte[] mak = TdesReference.ecbDecrypt(TMK, Arrays.copyOfRange(f62, 20, 36));
            assertEquals("终端 P100 固件 V1.2", admin.terminal("TERM1464").getString("terminalInfo"));
            OffsetDateTime first = infoWrittenAt("TERM1464");

            PosMessage same = purchase("TERM1464", 100).setGbk(46, "终端 P100 固件 V1.2");
            assertEquals("00", PosMessage.unpack(t.exchange(sealed(same, mak))).field(39));
            assertEquals(first, infoWrittenAt("TERM1464"), "no write when unchanged");

            byte[] otherKey = mak.clone();
            otherKey[0] ^= 0x02;
            byte[] forged = sealed(purchase("TERM1464", 100).setGbk(46, "forged"), otherKey);
            assertEquals("A0", PosMessage.unpack(t.exchange(forged)).field(39));
            assertEquals("终端 P100 固件 V1.2", admin.terminal("TERM1464").getString("terminalInfo"), "not from an unverified request");

            String upgraded = "终端 P100 固件 V1.3 " + "x".repeat(400);
            PosMessage changed = purchase("TERM1464", 100).setGbk(46, upgraded);
            assertEquals("00", PosMessage.unpack(t.exchange(sealed(changed, mak))).field(39));
            String kept = admin.terminal("TERM1464").getString("terminalInfo");
            assertEquals(TerminalInfo.MAX_CHARS, kept.length(), "bounded");
            assertTrue(upgraded.startsWith(kept));
            assertNotEquals(first, infoWrittenAt("TERM1464"), "written when changed");
        }
    }

    private PosMessage signOn(String tid, String code) {
        return PosMessage.create(PosClient.TPDU, PosClient.HEADER, "0800").set(11, nextStan()).set(41, tid).set(42, MID)
                .set(new Field60("00", "000001", code)).set(63, "001");
    }

    private PosMessage purchase(String tid, long amount) {
        return PosMessage.create(PosClient.TPDU, PosClient.HEADER, "0200").set(2, PAN).set(3, "000000")
                .set(4, String.format("%012d", amount)).set(11, nextStan()).set(22, "012").set(25, "00")
                .set(41, tid).set(42, MID).set(49, "156").set(new Field60("22", "000001", "000"));
    }

    private String nextStan() {
        return String.format("%06d", ++stan);
    }

    /** The packed message with field 64 the UnionPay ECB MAC under {@code key} (single DES if 8 bytes). */
    private static byte[] sealed(PosMessage m, byte[] key) {
        m.set(64, new byte[8]);
        byte[] body = m.pack();
        MacBlock.writeMac(body, TdesReference.unionPayEcbMac(key, MacBlock.of(body)));
        return body;
    }

    /** ISO 9564 format 0: PIN field XOR the 12 rightmost PAN digits before the check digit. */
    private static byte[] pinBlock(String pin, String pan) {
        byte[] pinField = HexFormat.of().parseHex(String.format("%02d", pin.length()) + pin + "F".repeat(14 - pin.length()));
        byte[] panField = HexFormat.of().parseHex("0000" + pan.substring(pan.length() - 13, pan.length() - 1));
        for (int i = 0; i < 8; i++) pinField[i] ^= panField[i];
        return pinField;
    }

    /** The first 4 bytes of the key's check value; single DES for an 8-byte key. */
    private static byte[] kcv(byte[] key) {
        return Arrays.copyOf(TdesReference.ecbEncrypt(key, new byte[8]), 4);
    }

    private OffsetDateTime infoWrittenAt(String tid) throws Exception {
        return await(world.db().preparedQuery("select terminal_info_at from terminal where tid = $1").execute(Tuple.of(tid)))
                .iterator().next().getOffsetDateTime(0);
    }




}
