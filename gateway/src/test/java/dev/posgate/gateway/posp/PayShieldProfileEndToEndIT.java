package dev.posgate.gateway.posp;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.crypto.Hex;
import dev.posgate.crypto.Kcv;
import dev.posgate.crypto.KeyComponents;
import dev.posgate.crypto.Parity;
import dev.posgate.crypto.Tdes;
import dev.posgate.gateway.cli.CliRun;
import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.platform.db.KeyRecord;
import dev.posgate.gateway.platform.db.Terminal;
import dev.posgate.gateway.spi.ResultCode;
import dev.posgate.gateway.support.AdminClient;
import dev.posgate.gateway.support.TestPostgres;
import dev.posgate.hsm.HsmException;
import dev.posgate.hsm.HsmProfile;
import dev.posgate.hsm.KeyScheme;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.KeyWithKcv;
import dev.posgate.hsm.RemoteHsm;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.protocol.posp.SignOnMode;
import dev.posgate.protocol.posp.WorkingKeyBlock;
import dev.posgate.terminal.pinpad.KeyRole;
import dev.posgate.terminal.pinpad.PinPad;
import dev.posgate.terminal.pos.PinPadKeys;
import dev.posgate.terminal.pos.PosClient;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 16 items 1, 2 and 5: the gateway with {@code hsm.profile=payshield} and its bundled
 * software HSM in the same profile (every extension answered 68, posgate key types refused), the
 * features the profile cannot serve turned off ({@code features.disabled=tms,kms,psam,sm4}). What
 * the capability table says the profile serves works end to end with standard commands only:
 * TDES sign-on in each layout (A0 under the TMK, BU for the 4-byte check values of field 62),
 * purchases MACed with the UnionPay ECB MAC (XOR in the gateway, M6/M8 algorithm 1 in the HSM)
 * and with X9.19, PIN translation (CA), encrypted tracks (M2/M0). The TMK is formed in the host's
 * HSM (posgate profile, same LMK), as a payShield's console ceremony would (the gateway's HSM could
 * not: ZW is an extension), and handed to the gateway under the LMK on the admin API, checked by BU.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PayShieldProfileEndToEndIT {
    private static final String PAN = "6222021234567890123";
    private static final String TRACK = PAN + "=49121010000012345";
    private static final byte[] TMK = Parity.adjustOdd(KeyComponents.combine(PospFixture.TMK_1, PospFixture.TMK_2));
    private PospFixture world;

    @BeforeAll
    void start() throws Exception {
        world = PospFixture.start(3000, PospFixture.newLmkFile(), TestPostgres.newDatabaseUrl(), Map.of(
                Setting.HSM_PROFILE, "payshield",
                Setting.FEATURES_DISABLED, "tms,kms,psam,sm4",
                Setting.HSM_SIM_CLEAR_COMPONENTS, false));
    }

    @AfterAll
    void stop() throws Exception {
        if (world != null) world.close();
    }

    /**
     * A TMK terminal whose TMK the host's HSM formed from the fixture's components (the acquirer's
     * console ceremony), given to the gateway under the LMK with its check value on the admin API.
     */
    private PosClient terminal(String tid, String sn, Terminal.MacAlgorithm mac) throws Exception {
        world.register(tid, sn, Terminal.KeyScheme.TMK, mac);
        KeyWithKcv tmk = await(world.hostHsm.formKeyFromComponents(KeyType.TMK, KeyScheme.U, PospFixture.TMK_1, PospFixture.TMK_2));
        HttpResponse<String> stored = admin().post("/api/ceremony/terminals/" + sn + "/tmk/import",
                new JsonObject().put("underLmk", tmk.key().toWire()).put("kcv", tmk.kcv().hex().substring(0, 6)));
        assertEquals(201, stored.statusCode(), stored.body());
        assertEquals(Hex.encode(Kcv.of(TMK, 4)), new JsonObject(stored.body()).getString("kcv"), "BU's check value, first 4 bytes");
        PinPad pad = new PinPad();
        pad.write(1, KeyRole.TMK, TMK);
        return world.client(tid, new PinPadKeys(pad, 1), mac == Terminal.MacAlgorithm.X919);
    }

    private AdminClient admin() {
        return new AdminClient(world.gateway);
    }

    @Test
    void aTmkUnderTheLmkIsStoredOnlyWhenTheHsmReadsItAsATmkWithItsCheckValue() throws Exception {
        world.register("TERM2606", "SN-2606", Terminal.KeyScheme.TMK);
        KeyWithKcv tmk = await(world.hostHsm.formKeyFromComponents(KeyType.TMK, KeyScheme.U, PospFixture.TMK_1, PospFixture.TMK_2));
        String path = "/api/ceremony/terminals/SN-2606/tmk/import";
        // another key's check value
        assertEquals(422, admin().post(path, new JsonObject().put("underLmk", tmk.key().toWire()).put("kcv", "000000")).statusCode());
        // the zone ZPK (another type under the LMK) with its own check value: not a TMK
        assertEquals(422, admin().post(path, new JsonObject().put("underLmk", world.zpk.key().toWire())
                .put("kcv", world.zpk.kcv().hex())).statusCode());
        assertEquals(400, admin().post(path, new JsonObject().put("underLmk", "U1234").put("kcv", "000000")).statusCode());
        assertEquals(404, admin().post("/api/ceremony/terminals/NO-SUCH/tmk/import",
                new JsonObject().put("underLmk", tmk.key().toWire()).put("kcv", tmk.kcv().hex())).statusCode());
        assertTrue(await(world.keys().active(KeyRecord.OwnerType.TERMINAL, "SN-2606", "TMK", 1)).isEmpty(), "nothing stored");
        // the operator's way: posgate terminal tmk-import
        CliRun imported = CliRun.of("terminal", "tmk-import", "--admin", "http://127.0.0.1:" + world.gateway.adminPort(),
                "--token", world.gateway.app().adminToken(), "--sn", "SN-2606", "--under-lmk", tmk.key().toWire(),
                "--kcv", tmk.kcv().hex());
        assertEquals(0, imported.exit(), imported.err());
        assertTrue(imported.out().startsWith("TMK of SN-2606 stored ACTIVE, KCV " + Hex.encode(Kcv.of(TMK, 4))), imported.out());
        assertTrue(await(world.keys().active(KeyRecord.OwnerType.TERMINAL, "SN-2606", "TMK", 1)).isPresent());
    }

    @Test
    void theGatewaysHsmIsThePayShieldProfileAndRefusesExtensions() throws Exception {
        RemoteHsm hsm = assertInstanceOf(RemoteHsm.class, world.hsm());
        assertEquals(HsmProfile.PAYSHIELD, hsm.profile());
        HsmException e = assertInstanceOf(HsmException.class, world.hsm().tac(world.zak.key(), new byte[8]).cause());
        assertEquals("68", e.errorCode());
        // sent anyway, the bundled HSM refuses it the same way
        HsmException sent = assertInstanceOf(HsmException.class,
                await(new RemoteHsm(world.gateway.app().hsmLink().pool()).tac(world.zak.key(), new byte[8]).transform(
                        ar -> io.vertx.core.Future.succeededFuture(ar.cause()))));
        assertEquals("68", sent.errorCode());
    }

    @Test
    void signOnInEachLayoutWithStandardCommands() throws Exception {
        PosClient pos = terminal("TERM2601", "SN-2601", Terminal.MacAlgorithm.ECB);
        int[] lengths = {24, 40, 60};
        SignOnMode[] modes = {SignOnMode.SINGLE, SignOnMode.DOUBLE, SignOnMode.DOUBLE_WITH_TDK};
        for (int i = 0; i < modes.length; i++) {
            // each key under the TMK, followed by the first 4 bytes of its check value (BU's 16 hex)
            SignedOnTerminal.signOnInLayout(pos, modes[i], lengths[i], TMK);
        }
    }

    @Test
    void purchasesAreMacedAndTheirPinsTranslatedWithStandardCommands() throws Exception {
        PosClient pos = terminal("TERM2602", "SN-2602", Terminal.MacAlgorithm.ECB);
        assertEquals("00", await(pos.signOn(SignOnMode.DOUBLE)).code());
        PosClient.Reply ok = await(pos.send(pos.purchase(PAN, 12_345, "123456")));
        assertEquals("00", ok.code(), "the host verified the gateway's ZAK MAC and the PIN under its ZPK");
        assertEquals(Boolean.TRUE, ok.macValid(), "the UnionPay ECB MAC of the reply, by the terminal's own code");
        assertNotNull(ok.message().field(38));
        PosClient.Reply wrong = await(pos.send(pos.purchase(PAN, 12_345, "654321")));
        assertEquals("55", wrong.code());
        assertEquals(Boolean.TRUE, wrong.macValid());
        // a request whose MAC does not verify under M8
        PosMessage bad = pos.purchase(PAN, 100, null);
        byte[] body = bad.set(64, "00000000".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).pack();
        assertEquals("A0", await(pos.sendRaw(body)).code());

        PosClient x919 = terminal("TERM2603", "SN-2603", Terminal.MacAlgorithm.X919);
        assertEquals("00", await(x919.signOn(SignOnMode.DOUBLE)).code());
        PosClient.Reply viaX919 = await(x919.send(x919.purchase(PAN, 300, "123456")));
        assertEquals("00", viaX919.code());
        assertEquals(Boolean.TRUE, viaX919.macValid());
    }

    @Test
    void anEncryptedTrackIsOpenedAndReencryptedWithStandardCommands() throws Exception {
        PosClient pos = terminal("TERM2604", "SN-2604", Terminal.MacAlgorithm.ECB);
        PosClient.SignOnResult signOn = await(pos.signOn(SignOnMode.DOUBLE_WITH_TDK));
        assertEquals("00", signOn.code());
        byte[] tdk = Tdes.decryptEcb(TMK,
                WorkingKeyBlock.decode(SignOnMode.DOUBLE_WITH_TDK, signOn.reply().binary(62)).tdk().encryptedKey());
        PosMessage m = pos.purchase(PAN, 4_200, "123456").unset(2).set(22, "021").set(53, "2610000000000000");
        byte[] packed = HexFormat.of().parseHex(TRACK.replace('=', 'D') + "0");
        int from = packed.length - 9;
        byte[] block = Tdes.encryptEcb(tdk, Arrays.copyOfRange(packed, from, from + 8));
        System.arraycopy(block, 0, packed, from, 8);
        m.setPackedDigits(35, packed, TRACK.length());
        assertTrue(m.trackEncrypted());
        PosClient.Reply r = await(pos.send(m));
        assertEquals("00", r.code());
        assertEquals(Boolean.TRUE, r.macValid());
        assertEquals(TRACK, world.host.tracksReceived().get("TERM2604:" + m.field(11)), "M2 under the TDK, M0 under the ZEK");
    }

    /** The stored advice's DEK (A0 type 00B) and its encryption (M0/M2 CBC) are standard commands too. */
    @Test
    void anOfflineSettlementIsStoredEncryptedAndForwardedWithStandardCommands() throws Exception {
        PosClient pos = terminal("TERM2607", "SN-2607", Terminal.MacAlgorithm.ECB);
        assertEquals("00", await(pos.signOn(SignOnMode.DOUBLE)).code());
        PosMessage offline = pos.offlineSettlement(PAN, 2_500, null);
        PosClient.Reply r = await(pos.send(offline));
        assertEquals("00", r.code());
        assertEquals(Boolean.TRUE, r.macValid());
        dev.posgate.testing.Eventually.until("the advice acknowledged by the host", () -> world.host.requestsReceived()
                .containsKey("TERM2607:" + offline.field(11) + ":0220"));
        assertEquals(PAN, world.host.requestsReceived().get("TERM2607:" + offline.field(11) + ":0220").field(2),
                "sealed under the DEK with M0, opened with M2, the PAN reaches the host");
        assertTrue(await(world.keys().active(KeyRecord.OwnerType.SYSTEM, "posp", "ADVDEK", 0)).isPresent(), "generated with A0 00B");
    }

    @Test
    void terminalsOfTheFeaturesTurnedOffAreNotSignedOn() throws Exception {
        world.register("TERM2605", "SN-2605", Terminal.KeyScheme.PSAM);
        PosClient psam = world.client("TERM2605", new PinPadKeys(new PinPad(), 1), false);
        assertEquals(ResultCode.NOT_PERMITTED_TO_TERMINAL.code(), await(psam.signOn(SignOnMode.DOUBLE)).code());
        assertFalse(world.gateway.app().config().string(Setting.FEATURES_DISABLED).isEmpty());
    }
}
