package dev.posgate.gateway.posp;

import static dev.posgate.gateway.posp.Sm4Sealing.sealed;
import static dev.posgate.testing.Eventually.await;
import static dev.posgate.testing.Sm4Reference.pinBlock;
import static dev.posgate.testing.Sm4Reference.unionPayMac;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.crypto.KeyComponents;
import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.support.AdminClient;
import dev.posgate.gateway.support.LogCapture;
import dev.posgate.gateway.support.SecretScan;
import dev.posgate.gateway.support.TerminalConnection;
import dev.posgate.gateway.support.TestPostgres;
import dev.posgate.iso8583.pos.Field60;
import dev.posgate.iso8583.pos.MacBlock;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.protocol.posp.Sm4PinField;
import dev.posgate.terminal.pos.PosClient;
import dev.posgate.testing.Sm4Reference;
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
import org.bouncycastle.crypto.engines.SM4Engine;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, SM4 track data, end to end over TCP (gateway, PostgreSQL, bundled software HSM, host
 * simulator; upstream.track.protection = clear): an SM4 terminal signs on with 004 and gets an
 * SM4 TDK, which the test decrypts from field 62 with BouncyCastle's {@link SM4Engine}; it sends a
 * swiped purchase (53.3 = 1, no field 2) whose track 2 carries the 16-byte SM4 track data block
 * encrypted here with SM4Engine. The host receives the clear track, the purchase is approved with
 * the SM4 MAC; a track under another key is 63 and not forwarded; no track data, PAN or key is
 * logged.
 */
class Sm4TrackEncryptionEndToEndIT {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final String PAN = "6222021234567890123";
    private static final String MID = "898310048990001";
    private static final String PIN = "123456";
    /** 37 digits, 19 packed bytes: the SM4 block covers packed bytes 2..17 (digits 5-36). */
    private static final String TRACK = PAN + "=49121010000012345";
    private static final byte[] C1 = HEX.parseHex("00112233445566778899AABBCCDDEEFF");
    private static final byte[] C2 = HEX.parseHex("0F1E2D3C4B5A69788796A5B4C3D2E1F0");
    private static final byte[] SM4_TMK = KeyComponents.combine(C1, C2);

    private int stan = 800;

    @Test
    void anSm4TerminalsEncryptedTrack2IsApprovedAndTheHostGetsItClear() throws Exception {
        purchaseWithEncryptedTrack("clear");
    }

    /**
     * upstream.track.protection = zek: the host simulator decrypts the 8-byte TDES TDB of the track
     * under the zone ZEK in its own HSM and reads the right track, so the gateway re-protected the
     * SM4 terminal's track in the ZEK's block.
     */
    @Test
    void underTheZekProfileTheHostReadsTheTrackUnderTheZek() throws Exception {
        purchaseWithEncryptedTrack("zek");
    }

    private void purchaseWithEncryptedTrack(String protection) throws Exception {
        SecretScan scan = new SecretScan().pan(PAN).secret("SM4 TMK", SM4_TMK);
        List<String> logs;
        try (LogCapture capture = LogCapture.attach();
                PospFixture world = PospFixture.start(3000, PospFixture.newLmkFile(), TestPostgres.newDatabaseUrl(),
                        Map.of(Setting.POSP_TMK_CEREMONY, true, Setting.UPSTREAM_TRACK_PROTECTION, protection))) {
            AdminClient admin = new AdminClient(world.gateway);
            HttpResponse<String> reg = admin.post("/api/terminals", new JsonObject().put("tid", "SM4TRK01").put("mid", MID)
                    .put("sn", "SN-SM4-TRK1").put("vendor", "ACME").put("model", "P100").put("keyScheme", "TMK").put("keyAlgorithm", "SM4"));
            assertEquals(201, reg.statusCode(), reg.body());
            HttpResponse<String> tmk = admin.post("/api/ceremony/terminals/SN-SM4-TRK1/tmk", new JsonObject()
                    .put("components", new JsonArray().add(HEX.formatHex(C1)).add(HEX.formatHex(C2))));
            assertEquals(201, tmk.statusCode(), tmk.body());

            try (TerminalConnection t = world.gateway.connect()) {
                PosMessage signOn = PosMessage.unpack(t.exchange(PosMessage.create(PosClient.TPDU, PosClient.HEADER, "0800")
                        .set(11, nextStan()).set(41, "SM4TRK01").set(42, MID).set(new Field60("00", "000001", "004")).set(63, "001").pack()));
                assertEquals("00", signOn.field(39));
                byte[] f62 = signOn.binary(62);
                assertEquals(60, f62.length);
                byte[] pik = Sm4Reference.ecbDecrypt(SM4_TMK, Arrays.copyOfRange(f62, 0, 16));
                byte[] mak = Sm4Reference.ecbDecrypt(SM4_TMK, Arrays.copyOfRange(f62, 20, 36));
                byte[] tdk = Sm4Reference.ecbDecrypt(SM4_TMK, Arrays.copyOfRange(f62, 40, 56));
                assertArrayEquals(Arrays.copyOf(Sm4Reference.ecbEncrypt(tdk, new byte[16]), 4), Arrays.copyOfRange(f62, 56, 60), "TDK SM4 KCV");
                scan.secret("SM4 PIK", pik).secret("SM4 MAK", mak).secret("SM4 TDK", tdk)
                        .secret("clear SM4 track data block", Arrays.copyOfRange(packedTrack(), 2, 18));

                PosMessage swiped = encryptedSwipe(pik, tdk, 5_100);
                byte[] answer = t.exchange(sealed(swiped, mak));
                PosMessage approved = PosMessage.unpack(answer);
                assertEquals("00", approved.field(39), "the SM4 TDB decrypted in the HSM, the PAN read from track 2 for the PIN");
                assertArrayEquals(unionPayMac(mak, MacBlock.of(answer)), MacBlock.mac(answer), "reply MAC: UnionPay SM4 POS MAC");
                assertEquals(TRACK, world.host.tracksReceived().get("SM4TRK01:" + swiped.field(11)), "the host read the track");
                PosMessage atHost = world.host.requestsReceived().get("SM4TRK01:" + swiped.field(11) + ":0200");
                assertNotNull(atHost);
                if (protection.equals("clear")) {
                    assertEquals('0', atHost.field(53).charAt(2), "53.3 = 0 toward the host: clear track");
                    assertEquals(TRACK, atHost.field(35));
                } else {
                    assertEquals('1', atHost.field(53).charAt(2), "53.3 = 1 toward the host: TDB under the ZEK");
                    assertTrue(!atHost.field(35).equals(TRACK), "not clear on the host link");
                }
                assertEquals(PAN, atHost.field(2), "field 2 from the track's PAN");
                Row row = await(world.db().preparedQuery("select pan_masked, status from posp_transaction where tid = $1 and stan = $2")
                        .execute(Tuple.of("SM4TRK01", swiped.field(11)))).iterator().next();
                assertEquals("622202*********0123", row.getString(0));

                // the same track under another SM4 key: no track characters, 63 with the SM4 MAC, nothing forwarded
                long forwarded = world.host.messagesReceived();
                byte[] other = tdk.clone();
                other[0] ^= 0x55;
                PosMessage wrong = encryptedSwipe(pik, other, 5_200);
                byte[] refusedBody = t.exchange(sealed(wrong, mak));
                PosMessage refused = PosMessage.unpack(refusedBody);
                assertEquals("63", refused.field(39));
                assertArrayEquals(unionPayMac(mak, MacBlock.of(refusedBody)), MacBlock.mac(refusedBody));
                assertEquals(forwarded, world.host.messagesReceived(), "nothing forwarded");
                assertNull(world.host.tracksReceived().get("SM4TRK01:" + wrong.field(11)));
            }
            logs = capture.lines();
        }
        assertTrue(logs.size() > 10, "logging was captured: " + logs.size() + " lines");
        List<String> found = new ArrayList<>(scan.findings("logs", logs));
        found.addAll(logs.stream().filter(l -> l.contains(TRACK) || l.contains(TRACK.replace('=', 'D'))).toList());
        assertEquals(List.of(), found);
    }

    private static byte[] packedTrack() {
        return HEX.parseHex(TRACK.replace('=', 'D') + "0");
    }

    /**
     * A swiped purchase (22 = 021, 53 = 2410…: SM4, track encrypted), no field 2, the SM4 PIN block
     * under the PIK; track 2 packed with its 16 bytes ending one byte before the last SM4-ECB under
     * {@code key} (docs/national-crypto.md, "SM4 track data").
     */
    private PosMessage encryptedSwipe(byte[] pik, byte[] key, long amount) {
        PosMessage m = PosMessage.create(PosClient.TPDU, PosClient.HEADER, "0200").set(3, "000000")
                .set(4, String.format("%012d", amount)).set(11, nextStan()).set(22, "021").set(25, "00").set(26, "06")
                .set(41, "SM4TRK01").set(42, MID).set(49, "156").set(53, "2410000000000000").set(new Field60("22", "000001", "000"));
        m = Sm4PinField.write(m, Sm4Reference.ecbEncrypt(pik, pinBlock(PIN, PAN)));
        byte[] packed = packedTrack();
        int from = packed.length - 17;
        System.arraycopy(Sm4Reference.ecbEncrypt(key, Arrays.copyOfRange(packed, from, from + 16)), 0, packed, from, 16);
        m.setPackedDigits(35, packed, TRACK.length());
        assertTrue(m.trackEncrypted());
        return m;
    }

    private String nextStan() {
        return String.format("%06d", ++stan);
    }
}
