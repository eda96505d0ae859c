package dev.posgate.gateway.tms;

import static dev.posgate.testing.Eventually.await;
import static dev.posgate.testing.TdesReference.cbcMac4;
import static dev.posgate.testing.TdesReference.ecbDecrypt;
import static dev.posgate.testing.TdesReference.ecbEncrypt;
import static dev.posgate.testing.TdesReference.x919;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.crypto.Hex;
import dev.posgate.crypto.RandomSource;
import dev.posgate.gateway.platform.db.KeyRecord;
import dev.posgate.gateway.platform.db.KeyRepository;
import dev.posgate.gateway.support.TerminalConnection;
import dev.posgate.hsm.HsmProfile;
import dev.posgate.hsm.KeyScheme;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.KeyWithKcv;
import dev.posgate.hsm.RemoteHsm;
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
import dev.posgate.protocol.tms.handshake.KeyMessageEntry;
import dev.posgate.protocol.tms.handshake.StampedRandom;
import dev.posgate.terminal.net.TerminalLink;
import dev.posgate.terminal.pinpad.KeyRole;
import dev.posgate.terminal.tms.TmsClient;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import io.vertx.core.json.JsonObject;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.engines.DESedeEngine;
import org.bouncycastle.crypto.modes.CBCBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 item 2: the TMS with {@code hsm.profile=payshield} (gateway and bundled software HSM in the
 * payshield profile, every extension answered 68), TMS protocol version 2 (work-key mode 03,
 * docs/tms.md "Session keys"): the DMK is a ZMK formed in another HSM on the same LMK and provisioned
 * under the LMK; H1 sends the DWK under the DMK and the session TAK and DEK under the DWK; TAC/SAC are
 * the TAC MAC under the TAK; sealed bodies are CBC under the DEK and X9.19 under the TAK. Every value
 * the gateway produces is checked with BouncyCastle's DES/TDES engines, MACs and CBC mode directly.
 */
class PayShieldTmsEndToEndIT {
    static TmsFixture fx;
    static byte[] app;

    @BeforeAll
    static void start() throws Exception {
        fx = TmsFixture.payShield(Map.of());
        app = new byte[70_000];
        new Random(16).nextBytes(app);
        fx.targetEveryone(fx.publish(TmsFixture.VENDOR, "ps-app", "1.0.0", app));
    }

    @AfterAll
    static void stop() throws Exception {
        if (fx != null) fx.close();
    }

    @Test
    void theGatewaysHsmSpeaksStandardCommandsOnly() {
        RemoteHsm hsm = (RemoteHsm) fx.gateway.app().hsmLink().hsm();
        assertEquals(HsmProfile.PAYSHIELD, hsm.profile());
    }

    /** A version-2 handshake and one sealed D1 on a raw socket, every value computed with BouncyCastle. */
    @Test
    void sessionKeysTacSacKeyMessageAndSealedBodiesCheckedWithBouncyCastle() throws Exception {
        TmsFixture.Device d = fx.device();
        try (TerminalConnection c = fx.gateway.connect()) {
            StampedRandom tData = new StampedRandom(RandomSource.secure().next(4), LocalDateTime.now());
            H1Request h1 = new H1Request(d.identity().vendor(), d.identity().model(), d.identity().serial(), 2, tData);
            TmsMessage r1 = TmsMessage.unpack(c.exchange(TmsMessage.of(TmsHeader.request(TmsCode.H1, 1, false), h1.toTlvs()).pack()));
            assertEquals("00", r1.header().status());
            assertEquals(0x03, r1.require(Tags.WORK_KEY_MODE).asByte(), "work-key mode 03: session keys");
            byte[] dwk = ecbDecrypt(d.dmk(), r1.require(Tags.DWK_UNDER_DMK).valueOfLength(16));
            byte[] tak = ecbDecrypt(dwk, r1.require(Tags.SESSION_MAC_KEY).valueOfLength(16));
            byte[] dek = ecbDecrypt(dwk, r1.require(Tags.SESSION_DATA_KEY).valueOfLength(16));
            assertFalse(Arrays.equals(tak, dek) || Arrays.equals(tak, dwk) || Arrays.equals(dek, dwk), "three distinct keys");
            assertTrue(oddParity(dwk) && oddParity(tak) && oddParity(dek), "HSM-generated TDES keys");
            // TAC_1 = leftmost 4 bytes of the TDES CBC-MAC (zero IV, zero padding) of T_DATA under the TAK, not the DWK
            byte[] tac = r1.require(Tags.TAC).valueOfLength(4);
            assertArrayEquals(cbcMac4(tak, tData.encode()), tac);
            assertFalse(Arrays.equals(cbcMac4(dwk, tData.encode()), tac));

            byte[] sac = cbcMac4(tak, r1.require(Tags.S_DATA).valueOfLength(10));
            TmsMessage r2 = TmsMessage.unpack(c.exchange(TmsMessage.of(TmsHeader.request(TmsCode.H2, 2, false),
                    new H2Request(d.identity().serial(), true, sac).toTlvs()).pack()));
            assertEquals("00", r2.header().status());
            assertEquals(0x02, r2.require(Tags.AUTH_STAGE).asByte());
            // the key message: a new TMK under the DWK (A0 mode 1, TMK flag 1), its KCV
            KeyMessageEntry tmk = KeyMessageEntry.from(r2.require(Tags.KEY_MESSAGE_ENTRY));
            assertEquals(KeyMessageEntry.KIND_TMK, tmk.kind());
            byte[] clearTmk = ecbDecrypt(dwk, tmk.keyUnderDwk());
            assertArrayEquals(Arrays.copyOf(ecbEncrypt(clearTmk, new byte[8]), 4), tmk.kcv());
            KeyRecord stored = await(new KeyRepository(fx.gateway.app().database().pool())
                    .latest(KeyRecord.OwnerType.TERMINAL, d.identity().serial(), "TMK", 1, KeyRecord.State.PENDING)).orElseThrow();
            assertTrue(stored.kcv().startsWith(Hex.encode(tmk.kcv())), "the stored KCV is the delivered key's");

            // D1 sealed by the test: IV ‖ TDES-CBC(DEK) ‖ X9.19(TAK, IV ‖ C)
            byte[] body = seal(dek, tak, List.of(PackageEntry.list(List.of())));
            TmsMessage r3 = TmsMessage.unpack(c.exchange(TmsMessage.sealed(TmsHeader.request(TmsCode.D1, 3, true), body).pack()));
            assertEquals("00", r3.header().status());
            assertTrue(r3.isSealed());
            List<PackageEntry> offered = PackageEntry.fromList(BerTlv.require(open(dek, tak, r3.sealedBody()), Tags.PACKAGE_LIST));
            assertTrue(offered.stream().anyMatch(p -> p.name().equals("ps-app") && p.size() == app.length), offered.toString());

            // a request sealed under the DWK (the version-1 layout) does not open: 63 and the session ends
            byte[] underDwk = seal(dwk, dwk, List.of(PackageEntry.list(List.of())));
            TmsMessage r4 = TmsMessage.unpack(c.exchange(TmsMessage.sealed(TmsHeader.request(TmsCode.D1, 4, true), underDwk).pack()));
            assertEquals("63", r4.header().status());
            assertTrue(c.closedByPeer(5000));
        }
    }

    /** The terminal library (protocol version 2) downloads a package in frames and the SHA-256 verifies. */
    @Test
    void theTerminalLibraryHandshakesAndDownloadsWithSessionKeys() throws Exception {
        TmsFixture.Device d = fx.device();
        TerminalLink link = fx.link();
        TmsClient client = fx.client(link, d);
        List<KeyMessageEntry> keys = await(client.handshake());
        assertEquals(1, keys.size());
        assertTrue(d.pinPad().has(1, KeyRole.TMK));
        PackageEntry entry = await(client.report(List.of())).stream().filter(p -> p.name().equals("ps-app")).findFirst().orElseThrow();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        while (got.size() < entry.size()) {
            FrameReply f = await(client.frame(new FrameRequest(entry.name(), entry.version(), got.size(), 16_384)));
            assertEquals(got.size(), f.offset());
            got.writeBytes(f.data());
        }
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(app), entry.sha256());
        assertArrayEquals(entry.sha256(), MessageDigest.getInstance("SHA-256").digest(got.toByteArray()));
        await(link.close());
    }

    /** A terminal that speaks only version 1 (the DWK as MAC and data key) is refused: that needs posgate's extensions. */
    @Test
    void aVersionOneTerminalIsRefusedWith12() throws Exception {
        TmsFixture.Device d = fx.device();
        try (TerminalConnection c = fx.gateway.connect()) {
            H1Request h1 = new H1Request(d.identity().vendor(), d.identity().model(), d.identity().serial(), 1,
                    new StampedRandom(RandomSource.secure().next(4), LocalDateTime.now()));
            TmsMessage r1 = TmsMessage.unpack(c.exchange(TmsMessage.of(TmsHeader.request(TmsCode.H1, 1, false), h1.toTlvs()).pack()));
            assertEquals("12", r1.header().status());
            assertTrue(c.closedByPeer(5000));
        }
    }

    /** The DMK is provisioned under the LMK only when BU reads it as a ZMK (000) with that check value. */
    @Test
    void aDmkUnderTheLmkIsCheckedByBu() throws Exception {
        TmsFixture.Device d = fx.device();
        String sn = d.identity().serial();
        KeyWithKcv zmk = await(fx.ceremonyHsm.generateKey(KeyType.ZMK));
        assertEquals(422, fx.call("POST", "/api/tms/terminals/" + sn + "/dmk", new JsonObject()
                .put("underLmk", zmk.key().toWire()).put("kcv", "000000")).statusCode(), "another key's check value");
        KeyWithKcv zpk = await(fx.ceremonyHsm.generateKey(KeyType.ZPK));
        assertEquals(422, fx.provisionDmkUnderLmk(sn, zpk).statusCode(), "a ZPK is not a DMK");
        KeyWithKcv legacy = await(fx.ceremonyHsm.formKeyFromComponents(KeyType.DMK, KeyScheme.U,
                dev.posgate.crypto.Parity.adjustOdd(RandomSource.secure().next(16)), dev.posgate.crypto.Parity.adjustOdd(RandomSource.secure().next(16))));
        assertEquals(422, fx.provisionDmkUnderLmk(sn, legacy).statusCode(), "posgate's DMK type 20E is not served here");
        HttpResponse<String> ok = fx.provisionDmkUnderLmk(sn, zmk);
        assertEquals(201, ok.statusCode(), ok.body());
        assertEquals(403, fx.call("POST", "/api/tms/terminals/" + sn + "/dmk", new JsonObject()
                .put("components", new io.vertx.core.json.JsonArray().add("00".repeat(16)).add("00".repeat(16)))).statusCode());
    }

    // --- BouncyCastle, called directly ---

    private static byte[] cbc(boolean encrypt, byte[] key, byte[] iv, byte[] data) {
        BlockCipher c = CBCBlockCipher.newInstance(new DESedeEngine());
        c.init(encrypt, new ParametersWithIV(new KeyParameter(key), iv));
        byte[] out = new byte[data.length];
        for (int i = 0; i < data.length; i += 8) c.processBlock(data, i, out, i);
        return out;
    }

    private static byte[] seal(byte[] dek, byte[] tak, List<Tlv> tlvs) {
        byte[] tlv = BerTlv.encode(tlvs);
        byte[] padded = Arrays.copyOf(tlv, (tlv.length / 8 + 1) * 8);
        padded[tlv.length] = (byte) 0x80; // ISO 9797-1 padding method 2
        byte[] iv = RandomSource.secure().next(8);
        byte[] c = cbc(true, dek, iv, padded);
        byte[] ivc = new byte[8 + c.length];
        System.arraycopy(iv, 0, ivc, 0, 8);
        System.arraycopy(c, 0, ivc, 8, c.length);
        byte[] body = Arrays.copyOf(ivc, ivc.length + 8);
        System.arraycopy(x919(tak, ivc), 0, body, ivc.length, 8);
        return body;
    }

    private static List<Tlv> open(byte[] dek, byte[] tak, byte[] body) {
        int macAt = body.length - 8;
        assertArrayEquals(x919(tak, Arrays.copyOf(body, macAt)), Arrays.copyOfRange(body, macAt, body.length), "X9.19 under the TAK");
        byte[] plain = cbc(false, dek, Arrays.copyOf(body, 8), Arrays.copyOfRange(body, 8, macAt));
        int end = plain.length - 1;
        while (plain[end] == 0) end--;
        assertEquals((byte) 0x80, plain[end]);
        return BerTlv.decode(Arrays.copyOf(plain, end));
    }

    private static boolean oddParity(byte[] key) {
        for (byte b : key) if (Integer.bitCount(b & 0xFF) % 2 == 0) return false;
        return true;
    }
}
