package dev.posgate.gateway.posp;

import static dev.posgate.gateway.posp.Sm4Sealing.sealed;
import static dev.posgate.testing.Eventually.await;
import static dev.posgate.testing.Sm4Reference.pinBlock;
import static dev.posgate.testing.Sm4Reference.unionPayMac;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.crypto.KeyComponents;
import dev.posgate.crypto.Parity;
import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.support.TerminalConnection;
import dev.posgate.gateway.support.AdminClient;
import dev.posgate.gateway.support.TestPostgres;
import dev.posgate.iso8583.pos.Field60;
import dev.posgate.iso8583.pos.MacBlock;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.protocol.posp.SignOnMode;
import dev.posgate.protocol.posp.Sm4PinField;
import dev.posgate.terminal.pinpad.KeyRole;
import dev.posgate.terminal.pinpad.PinPad;
import dev.posgate.terminal.pos.PinPadKeys;
import dev.posgate.terminal.pos.PosClient;
import dev.posgate.testing.Sm4Reference;
import dev.posgate.testing.TdesReference;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.bouncycastle.crypto.engines.DESedeEngine;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 17 item 3, end to end over TCP: gateway, PostgreSQL, the bundled software HSM, the host
 * simulator with its own HSM. An SM4 terminal is registered, gets its SM4 TMK by the ceremony,
 * signs on (field 62 decrypted here with BouncyCastle's {@link SM4Engine} called directly, KCVs
 * checked) and buys with PIN and MAC (MAC and PIN block computed here on SM4Engine; the host's
 * field 52 decrypted with {@link DESedeEngine} under the clear zone ZPK), next to a TDES
 * terminal on the same gateway; an operator's switch of the profile is audited and forces a new TMK.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Sm4TerminalEndToEndIT {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final String PAN = "6222021234567890123";
    private static final String MID = "898310048990001";
    private static final String PIN = "123456"; // the host simulator's default PIN
    /** SM4 TMK components (SM4 keys have no parity): the TMK is their XOR. */
    private static final byte[] C1 = HEX.parseHex("1234567890ABCDEFABCDEF0987654321");
    private static final byte[] C2 = HEX.parseHex("0F0E0D0C0B0A09080706050403020100");
    private static final byte[] SM4_TMK = KeyComponents.combine(C1, C2);
    private static final byte[] ZPK = Parity.adjustOdd(KeyComponents.combine(PospFixture.ZPK_1, PospFixture.ZPK_2));
    private AdminClient admin;
    private PospFixture world;
    private int stan = 700;

    @BeforeAll
    void start() throws Exception {
        world = PospFixture.start(3000, PospFixture.newLmkFile(), TestPostgres.newDatabaseUrl(),
                Map.of(Setting.POSP_TMK_CEREMONY, true));
        admin = new AdminClient(world.gateway);
    }

    @AfterAll
    void stop() throws Exception {
        world.close();
    }

    /**
     * The SM4 terminal: registered with the CLI, SM4 TMK by ceremony (SM4 KCV), 004 sign-on with
     * SM4 PIK/MAK/TDK under the SM4 TMK and 4-byte SM4 KCVs (60 bytes), a purchase whose SM4 MAC and
     * SM4 PIN block verify and translate; the host gets an ISO format-0 block under the TDES ZPK that
     * decrypts to the PIN, with 53.2 = 6; the reply carries the SM4 MAC. A TDES terminal transacts
     * through the same gateway in between, and the simulated SM4 PIN pad (pos-terminal) does too.
     */
    @Test
    void anSm4TerminalSignsOnAndBuysWithPinAndMacNextToATdesTerminal() throws Exception {
        assertEquals(0, admin.cli("terminal", "register", "--tid", "SM4T0001", "--mid", MID, "--sn", "SN-SM4-1", "--vendor", "ACME",
                "--model", "P100", "--key-algorithm", "sm4"));
        assertEquals("SM4", admin.terminal("SM4T0001").getString("keyAlgorithm"));
        assertEquals("SM4", await(world.db().preparedQuery("select detail->>'keyAlgorithm' from audit_log"
                + " where action = 'terminal.register' and subject = $1").execute(Tuple.of("SM4T0001"))).iterator().next().getString(0));
        ceremony("SN-SM4-1", SM4_TMK, C1, C2);

        // the TDES terminal, same gateway
        PinPad tdesPad = world.registerTmkTerminal("TDES0001", "SN-TDES-1");
        PosClient tdes = world.tmkClient("TDES0001", tdesPad);
        assertTrue(await(tdes.signOn(SignOnMode.DOUBLE_WITH_TDK)).keysAccepted());
        PosClient.Reply tdesPurchase = await(tdes.send(tdes.purchase(PAN, 1_000, PIN)));
        assertEquals("00", tdesPurchase.code());
        assertEquals(Boolean.TRUE, tdesPurchase.macValid());

        try (TerminalConnection t = world.gateway.connect()) {
            PosMessage signOn = PosMessage.unpack(t.exchange(signOn("SM4T0001", "004").pack()));
            assertEquals("00", signOn.field(39));
            byte[] f62 = signOn.binary(62);
            assertEquals(60, f62.length, "PIK(16) KCV(4) MAK(16) KCV(4) TDK(16) KCV(4)");
            byte[] pik = Sm4Reference.ecbDecrypt(SM4_TMK, Arrays.copyOfRange(f62, 0, 16));
            byte[] mak = Sm4Reference.ecbDecrypt(SM4_TMK, Arrays.copyOfRange(f62, 20, 36));
            byte[] tdk = Sm4Reference.ecbDecrypt(SM4_TMK, Arrays.copyOfRange(f62, 40, 56));
            assertArrayEquals(sm4Kcv(pik), Arrays.copyOfRange(f62, 16, 20), "PIK SM4 KCV");
            assertArrayEquals(sm4Kcv(mak), Arrays.copyOfRange(f62, 36, 40), "MAK SM4 KCV");
            assertArrayEquals(sm4Kcv(tdk), Arrays.copyOfRange(f62, 56, 60), "TDK SM4 KCV");
            assertEquals("SM4", await(world.db().preparedQuery("select detail->>'keyAlgorithm' from audit_log"
                    + " where action = 'pos.sign_on' and subject = $1").execute(Tuple.of("SM4T0001"))).iterator().next().getString(0));

            PosMessage purchase = Sm4PinField.write(purchase("SM4T0001", 2_500).set(22, "011").set(26, "06")
                    .set(53, "2400000000000000"), Sm4Reference.ecbEncrypt(pik, pinBlock(PIN, PAN)));
            byte[] answer = t.exchange(sealed(purchase, mak));
            PosMessage approved = PosMessage.unpack(answer);
            assertEquals("00", approved.field(39), "SM4 MAC verified, SM4 PIN translated, host approved");
            assertArrayEquals(unionPayMac(mak, MacBlock.of(answer)), MacBlock.mac(answer), "reply MAC: UnionPay SM4 POS MAC");

            PosMessage atHost = world.host.requestsReceived().get("SM4T0001:" + purchase.field(11) + ":0200");
            assertNotNull(atHost);
            byte[] hostBlock = atHost.binary(52);
            assertEquals(8, hostBlock.length, "an 8-byte TDES block toward the host");
            assertArrayEquals(isoFormat0(PIN, PAN), TdesReference.ecbDecrypt(ZPK, hostBlock),
                    "ISO format 0 under the TDES ZPK, the terminal's PIN");
            assertEquals("2600000000000000", atHost.field(53), "53.2 toward the TDES host");
            assertFalse(atHost.has(63), "the SM4 block stays at the POSP");

            PosMessage forged = PosMessage.unpack(t.exchange(sealed(purchase("SM4T0001", 2_500), tdesLikeKey(mak))));
            assertEquals("A0", forged.field(39), "a MAC under another key is refused");
        }

        // the simulated terminal's PIN pad with the SM4 TMK injected (pos-terminal)
        PinPad sm4Pad = new PinPad();
        sm4Pad.writeSm4(1, KeyRole.TMK, SM4_TMK);
        PosClient sm4 = world.client("SM4T0001", new PinPadKeys(sm4Pad, 1));
        assertTrue(await(sm4.signOn(SignOnMode.DOUBLE)).keysAccepted(), "SM4 keys decrypt to their SM4 KCVs in the pad");
        PosClient.Reply reply = await(sm4.send(sm4.purchase(PAN, 3_000, PIN)));
        assertEquals("00", reply.code());
        assertEquals(Boolean.TRUE, reply.macValid());
        assertEquals("55", await(sm4.send(sm4.purchase(PAN, 3_000, "999999"))).code(), "a wrong PIN reaches the host as such");
        PosClient.Reply balance = await(sm4.send(sm4.balanceInquiry(PAN, PIN)));
        assertEquals("00", balance.code());
        assertEquals(Boolean.TRUE, balance.macValid());

        // the TDES terminal again, after the SM4 traffic
        assertEquals("00", await(tdes.send(tdes.purchase(PAN, 1_100, PIN))).code());
    }

    /** 53.2 that contradicts the terminal's profile: 63, before the MAC check, without a MAC; an SM4 terminal has no 001. */
    @Test
    void a53AlgorithmThatContradictsTheProfileIsRefused63AndSm4HasNo001() throws Exception {
        assertEquals(201, register("SM4T0002", "SN-SM4-2", "SM4").statusCode());
        ceremony("SN-SM4-2", SM4_TMK, C1, C2);
        PinPad tdesPad = world.registerTmkTerminal("TDES0002", "SN-TDES-2");
        PosClient tdes = world.tmkClient("TDES0002", tdesPad);
        assertTrue(await(tdes.signOn(SignOnMode.DOUBLE)).keysAccepted());
        try (TerminalConnection t = world.gateway.connect()) {
            assertEquals("12", PosMessage.unpack(t.exchange(signOn("SM4T0002", "001").pack())).field(39), "no single-length SM4 keys");
            byte[] f62 = PosMessage.unpack(t.exchange(signOn("SM4T0002", "003").pack())).binary(62);
            byte[] pik = Sm4Reference.ecbDecrypt(SM4_TMK, Arrays.copyOfRange(f62, 0, 16));
            byte[] mak = Sm4Reference.ecbDecrypt(SM4_TMK, Arrays.copyOfRange(f62, 20, 36));
            PosMessage tdesMarked = Sm4PinField.write(purchase("SM4T0002", 100).set(22, "011").set(26, "06")
                    .set(53, "2600000000000000"), Sm4Reference.ecbEncrypt(pik, pinBlock(PIN, PAN)));
            PosMessage refused = PosMessage.unpack(t.exchange(sealed(tdesMarked, mak)));
            assertEquals("63", refused.field(39));
            assertFalse(refused.has(64));
        }
        PosMessage sm4Marked = tdes.purchase(PAN, 100, PIN).set(53, "2400000000000000");
        PosClient.Reply refused = await(tdes.send(sm4Marked));
        assertEquals("63", refused.code(), "53.2 = 4 from a TDES terminal");
        assertNull(refused.macValid());
    }

    /**
     * The operator switches an SM4 terminal to TDES with the CLI: audited with the previous value and
     * the keys retired, the session ends (77), the next sign-on is told to get a TMK (97, processing
     * requirement 4); a TDES TMK by ceremony and the terminal signs on with TDES keys. SM4 for a
     * PSAM terminal is refused 409.
     */
    @Test
    void theOperatorsSwitchIsAuditedAndForcesANewTmk() throws Exception {
        assertEquals(201, register("SM4T0003", "SN-SM4-3", "SM4").statusCode());
        ceremony("SN-SM4-3", SM4_TMK, C1, C2);
        try (TerminalConnection t = world.gateway.connect()) {
            byte[] f62 = PosMessage.unpack(t.exchange(signOn("SM4T0003", "003").pack())).binary(62);
            byte[] mak = Sm4Reference.ecbDecrypt(SM4_TMK, Arrays.copyOfRange(f62, 20, 36));
            assertEquals("00", PosMessage.unpack(t.exchange(sealed(purchase("SM4T0003", 100), mak))).field(39));

            assertEquals(0, admin.cli("terminal", "update", "--tid", "SM4T0003", "--key-algorithm", "tdes"));
            assertEquals("TDES", admin.terminal("SM4T0003").getString("keyAlgorithm"));
            Row audit = await(world.db().preparedQuery("select actor, detail from audit_log where action = 'terminal.update'"
                    + " and subject = $1").execute(Tuple.of("SM4T0003"))).iterator().next();
            assertEquals("admin-api", audit.getString(0));
            JsonObject detail = (JsonObject) audit.getValue(1);
            assertEquals("TDES", detail.getString("keyAlgorithm"));
            assertEquals("SM4", detail.getString("previousKeyAlgorithm"));
            List<Object> retired = new ArrayList<>(detail.getJsonArray("retiredKeys").getList());
            assertTrue(retired.containsAll(List.of("TMK", "PIK", "MAK")), retired.toString());
            assertEquals(0L, await(world.db().preparedQuery("select count(*) from key_record where owner_type = 'TERMINAL'"
                    + " and owner_id = $1 and state = 'ACTIVE'").execute(Tuple.of("SN-SM4-3"))).iterator().next().getLong(0));

            PosMessage after = PosMessage.unpack(t.exchange(sealed(purchase("SM4T0003", 100), mak)));
            assertEquals("77", after.field(39), "the session ended with the switch");
            PosMessage noTmk = PosMessage.unpack(t.exchange(signOn("SM4T0003", "003").pack()));
            assertEquals("97", noTmk.field(39));
            assertEquals(4, noTmk.header().processingRequirement(), "TMK download required");

            byte[] tdesTmk = Parity.adjustOdd(KeyComponents.combine(PospFixture.TMK_1, PospFixture.TMK_2));
            JsonObject formed = ceremonyRaw("SN-SM4-3", PospFixture.TMK_1, PospFixture.TMK_2);
            assertEquals("TDES", formed.getString("keyAlgorithm"));
            assertTrue(HEX.formatHex(TdesReference.ecbEncrypt(tdesTmk, new byte[8])).startsWith(formed.getString("kcv").toUpperCase()));
            byte[] tdesF62 = PosMessage.unpack(t.exchange(signOn("SM4T0003", "003").pack())).binary(62);
            byte[] tdesMak = TdesReference.ecbDecrypt(tdesTmk, Arrays.copyOfRange(tdesF62, 20, 36));
            assertArrayEquals(Arrays.copyOf(TdesReference.ecbEncrypt(tdesMak, new byte[8]), 4), Arrays.copyOfRange(tdesF62, 36, 40));
        }
        // the same value again: nothing changes, no second audit row
        assertEquals(200, admin.patch("/api/terminals/SM4T0003", new JsonObject().put("keyAlgorithm", "TDES")).statusCode());
        assertEquals(1L, await(world.db().preparedQuery("select count(*) from audit_log where action = 'terminal.update'"
                + " and subject = $1").execute(Tuple.of("SM4T0003"))).iterator().next().getLong(0));
        assertEquals(400, admin.patch("/api/terminals/SM4T0003", new JsonObject().put("keyAlgorithm", "AES")).statusCode());

        // a TMK of the other algorithm (stored by hand) does not serve: 97, TMK download required
        assertEquals(201, register("SM4T0005", "SN-SM4-5", "SM4").statusCode());
        world.tmkInto("SN-SM4-5");
        try (TerminalConnection t = world.gateway.connect()) {
            PosMessage wrongTmk = PosMessage.unpack(t.exchange(signOn("SM4T0005", "003").pack()));
            assertEquals("97", wrongTmk.field(39));
            assertEquals(4, wrongTmk.header().processingRequirement());
        }

        assertEquals(201, register("PSAM0003", "SN-PSAM-3", "TDES", "PSAM").statusCode());
        assertEquals(409, admin.patch("/api/terminals/PSAM0003", new JsonObject().put("keyAlgorithm", "SM4")).statusCode());
        assertEquals(400, register("PSAM0004", "SN-PSAM-4", "SM4", "PSAM").statusCode());
    }

    // ---- admin API ----

    private void ceremony(String sn, byte[] tmk, byte[]... components) throws Exception {
        JsonObject formed = ceremonyRaw(sn, components);
        assertEquals("SM4", formed.getString("keyAlgorithm"));
        assertEquals(HEX.formatHex(Sm4Reference.ecbEncrypt(tmk, new byte[16]), 0, 3), formed.getString("kcv").toUpperCase(), "SM4 KCV of the TMK");
    }

    private JsonObject ceremonyRaw(String sn, byte[]... components) throws Exception {
        JsonArray parts = new JsonArray();
        for (byte[] c : components) parts.add(HEX.formatHex(c));
        HttpResponse<String> r = admin.post("/api/ceremony/terminals/" + sn + "/tmk", new JsonObject().put("components", parts));
        assertEquals(201, r.statusCode(), r.body());
        return new JsonObject(r.body());
    }

    private HttpResponse<String> register(String tid, String sn, String algorithm) throws Exception {
        return register(tid, sn, algorithm, "TMK");
    }

    private HttpResponse<String> register(String tid, String sn, String algorithm, String scheme) throws Exception {
        JsonObject body = new JsonObject().put("tid", tid).put("mid", MID).put("sn", sn).put("vendor", "ACME").put("model", "P100")
                .put("keyScheme", scheme).put("keyAlgorithm", algorithm);
        return admin.post("/api/terminals", body);
    }

    // ---- messages ----

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

    // ---- independent computations: BouncyCastle engines called directly ----

    /** ISO 9564 format 0 (8 bytes). */
    private static byte[] isoFormat0(String pin, String pan) {
        String pinField = "0" + pin.length() + pin + "F".repeat(14 - pin.length());
        String panField = "0000" + pan.substring(pan.length() - 13, pan.length() - 1);
        return xor(HEX.parseHex(pinField), HEX.parseHex(panField));
    }

    private static byte[] xor(byte[] a, byte[] b) {
        byte[] out = a.clone();
        for (int i = 0; i < out.length; i++) out[i] ^= b[i];
        return out;
    }

    /** Another 16-byte key (the MAK with its last byte changed). */
    private static byte[] tdesLikeKey(byte[] mak) {
        byte[] k = mak.clone();
        k[15] ^= 0x01;
        return k;
    }

    private static byte[] sm4Kcv(byte[] key) {
        return Arrays.copyOf(Sm4Reference.ecbEncrypt(key, new byte[16]), 4);
    }
}
