package dev.posgate.gateway.tms;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.crypto.RandomSource;
import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.support.TerminalConnection;
import dev.posgate.iso8583.tlv.BerTlv;
import dev.posgate.iso8583.tlv.Tags;
import dev.posgate.iso8583.tlv.Tlv;
import dev.posgate.iso8583.tms.TmsCode;
import dev.posgate.iso8583.tms.TmsHeader;
import dev.posgate.iso8583.tms.TmsMessage;
import dev.posgate.protocol.tms.download.FrameReply;
import dev.posgate.protocol.tms.download.FrameRequest;
import dev.posgate.protocol.tms.download.PackageEntry;
import dev.posgate.protocol.tms.handshake.H1Request;
import dev.posgate.protocol.tms.handshake.H2Request;
import dev.posgate.protocol.tms.handshake.H2Response;
import dev.posgate.protocol.tms.handshake.KeyMessageEntry;
import dev.posgate.protocol.tms.handshake.StampedRandom;
import dev.posgate.terminal.net.TerminalLink;
import dev.posgate.terminal.pinpad.KeyRole;
import dev.posgate.terminal.tms.PackageStore;
import dev.posgate.terminal.tms.TmsClient;
import dev.posgate.terminal.tms.TmsUpdater;
import dev.posgate.testing.Sm4Reference;
import dev.posgate.testing.TdesReference;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.macs.CBCBlockCipherMac;
import org.bouncycastle.crypto.modes.CBCBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TMS on SM4 (issue 17 item 4, protocol.md section 5) over TCP through a real gateway (PostgreSQL,
 * software HSM): an SM4 terminal's handshake and download with every SM4 value checked by
 * BouncyCastle's SM4Engine, CBCBlockCipher and CBCBlockCipherMac called directly; then an SM4 and
 * a TDES terminal both download the same package through the same gateway.
 */
class Sm4TmsEndToEndIT {
    static final int SIZE = 200 * 1024;
    static TmsFixture fx;
    static byte[] app;

    @BeforeAll
    static void start() throws Exception {
        // SV: an SM4 DMK shipped under a vendor's zone ZMK is imported only in the HSM's authorised state
        fx = new TmsFixture(Map.of(Setting.TMS_DMK_CEREMONY, true, Setting.TMS_KEY_MESSAGE, "TMK", Setting.HSM_SIM_AUTHORISED, "SV"));
        app = new byte[SIZE];
        new Random(17).nextBytes(app);
        fx.targetEveryone(fx.publish(TmsFixture.VENDOR, "sm-app", "1.0.0", app));
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    // ---- BouncyCastle, called directly ----

    /** SM4 CBC-MAC, zero IV, zero padding, leftmost {@code bytes}. */
    private static byte[] cbcMac(byte[] key, byte[] data, int bytes) {
        CBCBlockCipherMac m = new CBCBlockCipherMac(new SM4Engine(), bytes * 8);
        m.init(new KeyParameter(key));
        m.update(data, 0, data.length);
        byte[] out = new byte[bytes];
        m.doFinal(out, 0);
        return out;
    }

    private static byte[] cbc(boolean encrypt, byte[] key, byte[] iv, byte[] data) {
        CBCBlockCipher c = (CBCBlockCipher) CBCBlockCipher.newInstance(new SM4Engine());
        c.init(encrypt, new ParametersWithIV(new KeyParameter(key), iv));
        byte[] out = new byte[data.length];
        for (int i = 0; i < data.length; i += 16) c.processBlock(data, i, out, i);
        return out;
    }

    /** IV (16) ‖ SM4-CBC(DWK, IV, TLVs ‖ 80 00.. to 16) ‖ SM4-CBC-MAC(DWK, IV ‖ C) (16). */
    private static byte[] seal(byte[] dwk, List<Tlv> tlvs) {
        byte[] t = BerTlv.encode(tlvs);
        byte[] plain = Arrays.copyOf(t, (t.length / 16 + 1) * 16);
        plain[t.length] = (byte) 0x80;
        byte[] iv = RandomSource.secure().next(16);
        byte[] ct = cbc(true, dwk, iv, plain);
        byte[] ivCt = new byte[16 + ct.length];
        System.arraycopy(iv, 0, ivCt, 0, 16);
        System.arraycopy(ct, 0, ivCt, 16, ct.length);
        byte[] body = Arrays.copyOf(ivCt, ivCt.length + 16);
        System.arraycopy(cbcMac(dwk, ivCt, 16), 0, body, ivCt.length, 16);
        return body;
    }

    private static List<Tlv> open(byte[] dwk, byte[] body) {
        assertEquals(0, body.length % 16, "an SM4 sealed body is whole 16-byte blocks");
        byte[] ivCt = Arrays.copyOf(body, body.length - 16);
        assertArrayEquals(cbcMac(dwk, ivCt, 16), Arrays.copyOfRange(body, body.length - 16, body.length), "SM4 CBC-MAC over IV ‖ C");
        byte[] plain = cbc(false, dwk, Arrays.copyOf(body, 16), Arrays.copyOfRange(ivCt, 16, ivCt.length));
        int end = plain.length - 1;
        while (plain[end] == 0) end--;
        assertEquals((byte) 0x80, plain[end], "ISO 9797-1 padding method 2");
        assertTrue(plain.length - end <= 16);
        return BerTlv.decode(Arrays.copyOf(plain, end));
    }

    private static TmsMessage exchange(TerminalConnection c, TmsMessage m) throws Exception {
        return TmsMessage.unpack(c.exchange(m.pack()));
    }

    @Test
    void sm4HandshakeAndDownloadCheckedByBouncyCastle() throws Exception {
        TmsFixture.Device d = fx.device(TmsFixture.VENDOR, true);
        byte[] dmk = d.dmk();
        dev.posgate.gateway.support.SecretScan scan = new dev.posgate.gateway.support.SecretScan().secret("SM4 DMK", dmk);
        List<String> logs;
        try (dev.posgate.gateway.support.LogCapture capture = dev.posgate.gateway.support.LogCapture.attach();
                TerminalConnection c = fx.gateway.connect()) {
            StampedRandom tData = new StampedRandom(RandomSource.secure().next(4), LocalDateTime.now());
            H1Request h1 = new H1Request(d.identity().vendor(), d.identity().model(), d.identity().serial(), 1, tData);
            TmsMessage r1 = exchange(c, TmsMessage.of(TmsHeader.request(TmsCode.H1, 1, false), h1.toTlvs()));
            assertEquals("00", r1.header().status());
            assertEquals(0x02, r1.require(Tags.WORK_KEY_MODE).asByte(), "DF15 02: SM4-ECB");
            byte[] dwk = Sm4Reference.ecbDecrypt(dmk, r1.require(Tags.DWK_UNDER_DMK).valueOfLength(16));
            scan.secret("SM4 DWK", dwk);
            assertArrayEquals(cbcMac(dwk, tData.encode(), 4), r1.require(Tags.TAC).valueOfLength(4), "TAC_1 = SM4-CBC-MAC(DWK, T_DATA)");

            byte[] sac = cbcMac(dwk, r1.require(Tags.S_DATA).valueUnsafe(), 4);
            TmsMessage r2 = exchange(c, TmsMessage.of(TmsHeader.request(TmsCode.H2, 2, false),
                    new H2Request(d.identity().serial(), true, sac).toTlvs()));
            assertEquals("00", r2.header().status(), "SAC_1 accepted");
            List<KeyMessageEntry> keys = H2Response.from(r2).keys();
            assertEquals(1, keys.size());
            byte[] tmk = Sm4Reference.ecbDecrypt(dwk, keys.get(0).keyUnderDwk());
            scan.secret("SM4 TMK", tmk);
            assertArrayEquals(Arrays.copyOf(Sm4Reference.ecbEncrypt(tmk, new byte[16]), 4), keys.get(0).kcv(), "SM4 KCV of the SM4 TMK");

            TmsMessage d1 = exchange(c, TmsMessage.sealed(TmsHeader.request(TmsCode.D1, 3, true),
                    seal(dwk, List.of(PackageEntry.list(List.of())))));
            assertEquals("00", d1.header().status());
            assertTrue(d1.isSealed());
            List<PackageEntry> offer = PackageEntry.fromList(BerTlv.require(open(dwk, d1.sealedBody()), Tags.PACKAGE_LIST));
            assertEquals(List.of("sm-app"), offer.stream().map(PackageEntry::name).toList());

            TmsMessage d2 = exchange(c, TmsMessage.sealed(TmsHeader.request(TmsCode.D2, 4, true),
                    seal(dwk, new FrameRequest("sm-app", "1.0.0", 4096, 8192).toTlvs())));
            assertEquals("00", d2.header().status());
            FrameReply frame = FrameReply.from(open(dwk, d2.sealedBody()));
            assertEquals(4096, frame.offset());
            assertArrayEquals(Arrays.copyOfRange(app, 4096, 4096 + frame.data().length), frame.data());
            assertTrue(frame.data().length > 0);

            // one flipped ciphertext bit: the session ends with 63
            byte[] bad = seal(dwk, new FrameRequest("sm-app", "1.0.0", 0, 1024).toTlvs());
            bad[20] ^= 1;
            TmsMessage refused = exchange(c, TmsMessage.sealed(TmsHeader.request(TmsCode.D2, 5, true), bad));
            assertEquals("63", refused.header().status());
            logs = capture.lines();
        }
        assertTrue(logs.size() > 0, "logging was captured");
        assertEquals(List.of(), scan.findings("logs", logs), "no clear SM4 DMK, DWK or TMK in the logs");
    }

    /**
     * An operator switches a TDES terminal to SM4: its TDES DMK no longer matches the profile, so H1
     * is refused 63 (no TDES handshake for an SM4 terminal); an SM4 DMK provisioned next works.
     */
    @Test
    void aDmkOfTheOtherFamilyIsRefusedUntilAnSm4DmkIsProvisioned() throws Exception {
        TmsFixture.Device d = fx.device(TmsFixture.VENDOR, false);
        java.net.http.HttpResponse<String> patched = fx.call("PATCH", "/api/terminals/" + d.tid(),
                new io.vertx.core.json.JsonObject().put("keyAlgorithm", "SM4"));
        assertEquals(200, patched.statusCode(), patched.body());
        TerminalLink first = fx.link();
        Throwable refused = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> await(fx.client(first, d).handshake()));
        Throwable cause = refused instanceof java.util.concurrent.ExecutionException ? refused.getCause() : refused;
        assertTrue(cause instanceof dev.posgate.terminal.tms.TmsStatusException && cause.getMessage().contains("63"), String.valueOf(cause));
        await(first.close());

        byte[] c1 = RandomSource.secure().next(16);
        byte[] c2 = RandomSource.secure().next(16);
        java.net.http.HttpResponse<String> dmk = fx.call("POST", "/api/tms/terminals/" + d.identity().serial() + "/dmk",
                new io.vertx.core.json.JsonObject().put("components", new io.vertx.core.json.JsonArray()
                        .add(java.util.HexFormat.of().formatHex(c1)).add(java.util.HexFormat.of().formatHex(c2))));
        assertEquals(201, dmk.statusCode(), dmk.body());
        byte[] sm4Dmk = dev.posgate.crypto.KeyComponents.combine(c1, c2);
        assertEquals(java.util.HexFormat.of().formatHex(Arrays.copyOf(Sm4Reference.ecbEncrypt(sm4Dmk, new byte[16]), 3)),
                new io.vertx.core.json.JsonObject(dmk.body()).getString("kcv").toLowerCase(), "the DMK's SM4 check value");
        d.pinPad().writeSm4(0, KeyRole.DMK, sm4Dmk);
        TerminalLink second = fx.link();
        assertEquals(1, await(fx.client(second, d).handshake()).size());
        await(second.close());
    }

    /** The production path: an SM4 DMK delivered under the vendor's (TDES) zone ZMK, imported with SV. */
    @Test
    void anSm4DmkImportedUnderAZoneZmkWorksForTheHandshake() throws Exception {
        byte[] z1 = dev.posgate.crypto.Parity.adjustOdd(RandomSource.secure().next(16));
        byte[] z2 = dev.posgate.crypto.Parity.adjustOdd(RandomSource.secure().next(16));
        var hsm = fx.gateway.app().hsmLink().hsm();
        var zmk = await(hsm.formKeyFromComponents(dev.posgate.hsm.KeyType.ZMK, dev.posgate.hsm.KeyScheme.U, z1, z2));
        var keys = new dev.posgate.gateway.platform.db.KeyRepository(fx.gateway.app().database().pool());
        await(keys.pool().withTransaction(tx -> keys.store(tx, dev.posgate.gateway.platform.db.KeyRecord.OwnerType.ZONE, "vendor-sm",
                "ZMK", 0, zmk.key().toWire(), zmk.kcv().hex(), dev.posgate.gateway.platform.db.KeyRecord.State.ACTIVE)));
        byte[] clearZmk = dev.posgate.crypto.KeyComponents.combine(z1, z2);

        TmsFixture.Device d = fx.device(TmsFixture.VENDOR, true);
        byte[] sm4Dmk = RandomSource.secure().next(16);
        byte[] underZmk = TdesReference.ecbEncrypt(clearZmk, sm4Dmk);
        var r = fx.call("POST", "/api/tms/terminals/" + d.identity().serial() + "/dmk", new io.vertx.core.json.JsonObject()
                .put("zmkOwner", "vendor-sm").put("dmkUnderZmk", java.util.HexFormat.of().formatHex(underZmk)));
        assertEquals(201, r.statusCode(), r.body());
        assertTrue(new io.vertx.core.json.JsonObject(r.body()).getString("kcv").toLowerCase()
                .startsWith(java.util.HexFormat.of().formatHex(Arrays.copyOf(Sm4Reference.ecbEncrypt(sm4Dmk, new byte[16]), 3))), r.body());
        d.pinPad().writeSm4(0, KeyRole.DMK, sm4Dmk);
        TerminalLink link = fx.link();
        assertEquals(1, await(fx.client(link, d).handshake()).size());
        await(link.close());
    }

    @Test
    void anSm4AndATdesTerminalDownloadThroughTheSameGateway() throws Exception {
        TmsFixture.Device sm4 = fx.device(TmsFixture.VENDOR, true);
        TmsFixture.Device tdes = fx.device(TmsFixture.VENDOR, false);
        for (TmsFixture.Device d : List.of(sm4, tdes)) {
            PackageStore store = new PackageStore();
            TerminalLink link = fx.link();
            TmsClient client = fx.client(link, d);
            assertEquals(1, await(client.handshake()).size());
            TmsUpdater.Outcome out = await(new TmsUpdater(client, store, 16 * 1024).run());
            assertEquals(1, out.installed().size());
            assertArrayEquals(app, store.contents("sm-app"));
            await(link.close());
        }
        assertTrue(sm4.pinPad().isSm4(1, KeyRole.TMK), "the key message's TMK is an SM4 key");
        assertFalse(tdes.pinPad().isSm4(1, KeyRole.TMK));
    }
}
