package dev.posgate.gateway.tms;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.crypto.Hex;
import dev.posgate.crypto.Macs;
import dev.posgate.crypto.RandomSource;
import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.support.Metrics;
import dev.posgate.gateway.support.TerminalConnection;
import dev.posgate.gateway.support.TestGateway;
import dev.posgate.iso8583.tlv.Tlv;
import dev.posgate.iso8583.tms.TmsCode;
import dev.posgate.iso8583.tms.TmsHeader;
import dev.posgate.iso8583.tms.TmsMessage;
import dev.posgate.terminal.net.TerminalLink;
import dev.posgate.terminal.pinpad.KeyRole;
import dev.posgate.terminal.pinpad.PinPad;
import dev.posgate.terminal.tms.TmsAuthenticationException;
import dev.posgate.terminal.tms.TmsClient;
import dev.posgate.testing.Eventually;
import dev.posgate.protocol.tms.handshake.H1Request;
import dev.posgate.protocol.tms.handshake.H1Response;
import dev.posgate.protocol.tms.handshake.H2Request;
import dev.posgate.protocol.tms.handshake.KeyMessageEntry;
import dev.posgate.protocol.tms.handshake.StampedRandom;
import dev.posgate.protocol.tms.handshake.TerminalHandshake;
import dev.posgate.terminal.tms.TmsIdentity;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** H1/H2 over real TCP: gateway with PostgreSQL and the software HSM, terminal from pos-terminal. */
class TmsHandshakeEndToEndIT {
    static TmsFixture fx;

    @BeforeAll
    static void start() throws Exception {
        fx = TmsFixture.start();
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    @Test
    void handshakeAuthenticatesBothSidesAndDeliversAPendingTmk() throws Exception {
        TmsFixture.Device d = fx.device();
        TerminalLink link = fx.link();
        List<KeyMessageEntry> keys = await(fx.client(link, d).handshake());
        assertEquals(1, keys.size());
        assertEquals(KeyMessageEntry.KIND_TMK, keys.get(0).kind());
        assertEquals(1, keys.get(0).index());
        assertTrue(d.pinPad().has(1, KeyRole.TMK));
        Row stored = await(fx.gateway.app().database().pool().preparedQuery(
                "select kcv, state, lmk_value from key_record where owner_type = 'TERMINAL' and owner_id = $1 and key_type = 'TMK'")
                .execute(Tuple.of(d.identity().serial()))).iterator().next();
        assertEquals("PENDING", stored.getString("state"));
        // the KCV the gateway stored is that of the key the PIN pad holds; the gateway holds it only under the LMK
        assertTrue(stored.getString("kcv").startsWith(Hex.encode(d.pinPad().kcv(1, KeyRole.TMK, 4))));
        assertTrue(stored.getString("lmk_value").startsWith("U"));
        await(link.close());
    }

    @Test
    void terminalWithAWrongDmkDetectsTheTacMismatchAndTheSessionEnds() throws Exception {
        TmsFixture.Device d = fx.device();
        PinPad wrong = new PinPad();
        wrong.write(0, KeyRole.DMK, RandomSource.secure().next(16));
        TerminalLink link = fx.link();
        TmsClient client = new TmsClient(link, d.identity(), wrong, LocalDateTime::now, RandomSource.secure());
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () -> await(client.handshake()));
        assertInstanceOf(TmsAuthenticationException.class, e.getCause());
        assertFalse(wrong.has(1, KeyRole.TMK));
        waitClosed(link);
    }

    @Test
    void forgedSacIsRefusedWith63AndTheConnectionClosed() throws Exception {
        TmsFixture.Device d = fx.device();
        try (TerminalConnection c = fx.gateway.connect()) {
            H1Request h1 = new H1Request(d.identity().vendor(), d.identity().model(), d.identity().serial(), 1,
                    new StampedRandom(RandomSource.secure().next(4), LocalDateTime.now()));
            TmsMessage r1 = TmsMessage.unpack(c.exchange(TmsMessage.of(TmsHeader.request(TmsCode.H1, 1, false), h1.toTlvs()).pack()));
            assertEquals("00", r1.header().status());
            H2Request forged = new H2Request(d.identity().serial(), true, RandomSource.secure().next(4));
            TmsMessage r2 = TmsMessage.unpack(c.exchange(TmsMessage.of(TmsHeader.request(TmsCode.H2, 2, false), forged.toTlvs()).pack()));
            assertEquals("63", r2.header().status());
            assertTrue(c.closedByPeer(5000));
        }
    }

    @Test
    void genuineSacOverRawTcpIsAccepted() throws Exception {
        TmsFixture.Device d = fx.device();
        try (TerminalConnection c = fx.gateway.connect()) {
            TerminalHandshake hs = new TerminalHandshake(new H1Request(d.identity().vendor(), d.identity().model(),
                    d.identity().serial(), 1, new StampedRandom(RandomSource.secure().next(4), LocalDateTime.now())));
            TmsMessage r1 = TmsMessage.unpack(c.exchange(TmsMessage.of(TmsHeader.request(TmsCode.H1, 7, false), hs.h1().toTlvs()).pack()));
            assertEquals(7, r1.header().seq());
            H1Response h1 = H1Response.from(r1);
            H2Request h2 = hs.onH1(h1, dwk1 -> d.pinPad().decrypt(0, KeyRole.DMK, dwk1));
            assertTrue(hs.tacMatched());
            // TAC_1 is the X9.9-family MAC of T_DATA under the DWK the DMK unwraps
            assertTrue(Macs.verify(Macs.tac(d.pinPad().decrypt(0, KeyRole.DMK, h1.dwkUnderDmk()), hs.h1().tData().encode()), h1.tac()));
            TmsMessage r2 = TmsMessage.unpack(c.exchange(TmsMessage.of(TmsHeader.request(TmsCode.H2, 8, false), h2.toTlvs()).pack()));
            assertEquals("00", r2.header().status());
            assertEquals(0x02, r2.require(0xDF16).asByte());
        }
    }

    /** A completed handshake of {@code d}; answers the T_DATA it used, for replaying. */
    private static StampedRandom handshakeOnce(TmsFixture.Device d) throws Exception {
        StampedRandom tData = new StampedRandom(RandomSource.secure().next(4), LocalDateTime.now());
        TerminalLink link = fx.link();
        await(fx.client(link, d).handshake(tData));
        await(link.close());
        return tData;
    }

    @Test
    void replayedTDataIsRefusedWith63() throws Exception {
        TmsFixture.Device d = fx.device();
        StampedRandom tData = handshakeOnce(d);
        TerminalLink second = fx.link();
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> await(fx.client(second, d).handshake(tData)));
        assertEquals("63", ((dev.posgate.terminal.tms.TmsStatusException) e.getCause()).status());
        waitClosed(second);
        assertTrue(Metrics.value(fx.gateway, "posgate_replays_refused_total{window=\"tms_random\"}") >= 1);
    }

    @Test
    void tDataReplayedToAnotherNodeSharingTheDatabaseIsRefused() throws Exception {
        TmsFixture.Device d = fx.device();
        StampedRandom tData = handshakeOnce(d);
        // a second gateway node on the same database: the replay window is the database's, not a node's
        try (TestGateway other = TestGateway.start(Map.of(Setting.DB_URL, fx.gateway.app().config().string(Setting.DB_URL)));
                TerminalConnection c = other.connect()) {
            H1Request replay = new H1Request(d.identity().vendor(), d.identity().model(), d.identity().serial(), 1, tData);
            TmsMessage r1 = TmsMessage.unpack(c.exchange(TmsMessage.of(TmsHeader.request(TmsCode.H1, 1, false), replay.toTlvs()).pack()));
            assertEquals("63", r1.header().status());
            assertTrue(c.closedByPeer(5000));
            assertEquals(1.0, Metrics.value(other, "posgate_replays_refused_total{window=\"tms_random\"}"));
        }
    }

    @Test
    void terminalClockOutsideTheSkewIsRefusedWith63() throws Exception {
        TmsFixture.Device d = fx.device();
        TerminalLink link = fx.link();
        TmsClient client = new TmsClient(link, d.identity(), d.pinPad(), () -> LocalDateTime.now().minusMinutes(11), RandomSource.secure());
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () -> await(client.handshake()));
        assertEquals("63", ((dev.posgate.terminal.tms.TmsStatusException) e.getCause()).status());
        assertTrue(Metrics.value(fx.gateway, "posgate_replays_refused_total{window=\"tms_clock\"}") >= 1);
    }

    @Test
    void unknownSerialIs97() throws Exception {
        TmsFixture.Device d = fx.device();
        TmsIdentity ghost = new TmsIdentity(d.identity().vendor(), d.identity().model(), "SN-NOBODY", 0);
        TerminalLink link = fx.link();
        TmsClient client = new TmsClient(link, ghost, d.pinPad(), LocalDateTime::now, RandomSource.secure());
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () -> await(client.handshake()));
        assertEquals("97", ((dev.posgate.terminal.tms.TmsStatusException) e.getCause()).status());
    }

    @Test
    void downloadBeforeH2Is12() throws Exception {
        TmsFixture.Device d = fx.device();
        byte[] someSealedBody = new byte[24];
        try (TerminalConnection c = fx.gateway.connect()) {
            TmsMessage early = TmsMessage.unpack(c.exchange(TmsMessage.sealed(TmsHeader.request(TmsCode.D2, 1, true), someSealedBody).pack()));
            assertEquals("12", early.header().status());
            H1Request h1 = new H1Request(d.identity().vendor(), d.identity().model(), d.identity().serial(), 1,
                    new StampedRandom(RandomSource.secure().next(4), LocalDateTime.now()));
            assertEquals("00", TmsMessage.unpack(c.exchange(TmsMessage.of(TmsHeader.request(TmsCode.H1, 2, false), h1.toTlvs()).pack())).header().status());
            TmsMessage afterH1 = TmsMessage.unpack(c.exchange(TmsMessage.sealed(TmsHeader.request(TmsCode.D2, 3, true), someSealedBody).pack()));
            assertEquals("12", afterH1.header().status());
            // an admitted request's seq (H1's 2) cannot be used again; refused ones (1, 3) consume none
            TmsMessage dup = TmsMessage.unpack(c.exchange(TmsMessage.of(TmsHeader.request(TmsCode.H2, 2, false), List.<Tlv>of()).pack()));
            assertEquals("94", dup.header().status());
        }
    }

    private static void waitClosed(TerminalLink link) throws InterruptedException {
        Eventually.until("the gateway closes the session", link::isClosed);
    }

    @Test
    void dmkImportedUnderAZoneZmkWorksForTheHandshake() throws Exception {
        // the ZMK shared with the terminal vendor, formed in the HSM and kept under the LMK
        byte[] z1 = dev.posgate.crypto.Parity.adjustOdd(RandomSource.secure().next(16));
        byte[] z2 = dev.posgate.crypto.Parity.adjustOdd(RandomSource.secure().next(16));
        var hsm = fx.gateway.app().hsmLink().hsm();
        var zmk = await(hsm.formKeyFromComponents(dev.posgate.hsm.KeyType.ZMK, dev.posgate.hsm.KeyScheme.U, z1, z2));
        var keys = new dev.posgate.gateway.platform.db.KeyRepository(fx.gateway.app().database().pool());
        await(keys.pool().withTransaction(tx -> keys.store(tx, dev.posgate.gateway.platform.db.KeyRecord.OwnerType.ZONE, "vendor-acme", "ZMK", 0,
                zmk.key().toWire(), zmk.kcv().hex(), dev.posgate.gateway.platform.db.KeyRecord.State.ACTIVE)));
        byte[] clearZmk = dev.posgate.crypto.KeyComponents.combine(z1, z2);

        TmsFixture.Device d = fx.device();
        byte[] dmk = dev.posgate.crypto.Parity.adjustOdd(RandomSource.secure().next(16));
        var r = fx.call("POST", "/api/tms/terminals/" + d.identity().serial() + "/dmk", new io.vertx.core.json.JsonObject()
                .put("zmkOwner", "vendor-acme").put("dmkUnderZmk", Hex.encode(dev.posgate.crypto.Tdes.encryptEcb(clearZmk, dmk))));
        assertEquals(201, r.statusCode(), r.body());
        assertTrue(new io.vertx.core.json.JsonObject(r.body()).getString("kcv").startsWith(Hex.encode(dev.posgate.crypto.Kcv.of(dmk, 3))));
        d.pinPad().write(0, KeyRole.DMK, dmk);
        TerminalLink link = fx.link();
        assertEquals(1, await(fx.client(link, d).handshake()).size());
        await(link.close());
        assertEquals(400, fx.call("POST", "/api/tms/terminals/" + d.identity().serial() + "/dmk", new io.vertx.core.json.JsonObject()
                .put("zmkOwner", "no-such-zone").put("dmkUnderZmk", Hex.encode(dmk))).statusCode());
    }
}
