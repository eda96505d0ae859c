package dev.posgate.gateway.posp;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.crypto.KeyComponents;
import dev.posgate.crypto.Parity;
import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.support.TestPostgres;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.protocol.posp.SignOnMode;
import dev.posgate.protocol.posp.WorkingKeyBlock;
import dev.posgate.terminal.pos.PosClient;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.bouncycastle.crypto.engines.DESedeEngine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 14 item 5, end to end over TCP: a terminal signed on with 004 holds a TDK and sends a
 * swiped purchase with track 2 encrypted under it (53.3 = 1) and no field 2. The test encrypts the
 * track data block itself with BouncyCastle's {@code DESedeEngine}, from the TDK it decrypts out of
 * the 0810 under the TMK it knows: nothing of the gateway's code forms the ciphertext. The answer's
 * MAC is checked by the terminal's own software PIN pad.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrackEncryptionEndToEndIT {
    private static final String PAN = "6222021234567890123";
    /** 37 digits: the PAN and the separator stay clear, the block covers digits 20-35 (expiry onwards). */
    private static final String TRACK = PAN + "=49121010000012345";
    private static final byte[] TMK = Parity.adjustOdd(KeyComponents.combine(PospFixture.TMK_1, PospFixture.TMK_2));

    private PospFixture world;
    private PospFixture clearLink;

    @BeforeAll
    void start() throws Exception {
        world = PospFixture.start(3000);
        clearLink = PospFixture.start(3000, PospFixture.newLmkFile(), TestPostgres.newDatabaseUrl(),
                Map.of(Setting.UPSTREAM_TRACK_PROTECTION, "clear"));
    }

    @AfterAll
    void stop() throws Exception {
        if (world != null) world.close();
        if (clearLink != null) clearLink.close();
    }

    /**
     * The host reads the right track (decrypted under the zone ZEK in its own HSM, which it could not
     * be if the gateway sent it clear or under another key) and the PIN translated with the track's
     * PAN verifies; the answer is 00 with a valid MAC and the journal has the masked PAN.
     */
    @Test
    void anEncryptedTrackWithoutField2IsApprovedAndReachesTheHostUnderTheZek() throws Exception {
        Terminal t = signedOnWithTdk(world, "TERM1501", "SN-1501");
        PosMessage swiped = encryptedSwipe(t, t.tdk, 4_200);

        PosClient.Reply r = await(t.pos.send(swiped));
        assertEquals("00", r.code(), "the gateway read the PAN out of the decrypted track for the PIN");
        assertEquals(Boolean.TRUE, r.macValid());
        assertFalse(r.message().has(35), "no track in the answer");
        String key = "TERM1501:" + swiped.field(11);
        assertEquals(TRACK, world.host.tracksReceived().get(key));
        assertEquals(4_200L, world.host.ledger().get("TERM1501:" + t.pos.batch() + ":" + swiped.field(11)));
        Row row = await(world.db().preparedQuery("select pan_masked from posp_transaction where tid = $1 and stan = $2")
                .execute(Tuple.of("TERM1501", swiped.field(11)))).iterator().next();
        assertEquals("622202*********0123", row.getString(0));
    }

    /**
     * A track encrypted under a key that is not the terminal's TDK does not decrypt to track
     * characters: 63 (security violation) with a valid MAC, nothing forwarded, the connection open.
     */
    @Test
    void aTrackUnderAnotherKeyIs63WithAValidMacAndIsNotForwarded() throws Exception {
        Terminal t = signedOnWithTdk(world, "TERM1502", "SN-1502");
        byte[] wrong = wrongKeyFor(t.tdk);
        long forwarded = world.host.messagesReceived();

        PosMessage swiped = encryptedSwipe(t, wrong, 4_300);
        PosClient.Reply r = await(t.pos.send(swiped));
        assertEquals("63", r.code());
        assertEquals(Boolean.TRUE, r.macValid());
        assertEquals(forwarded, world.host.messagesReceived(), "nothing forwarded");
        assertNull(world.host.tracksReceived().get("TERM1502:" + swiped.field(11)));
        Row row = await(world.db().preparedQuery("select status, response_code from posp_transaction where tid = $1 and stan = $2")
                .execute(Tuple.of("TERM1502", swiped.field(11)))).iterator().next();
        assertEquals("DECLINED", row.getString(0));
        assertEquals("63", row.getString(1));

        assertEquals("00", await(t.pos.send(encryptedSwipe(t, t.tdk, 4_301))).code(), "the same connection goes on");
    }

    /** upstream.track.protection = clear: the host gets the decrypted track with 53.3 = 0. */
    @Test
    void theClearProfileForwardsTheDecryptedTrack() throws Exception {
        Terminal t = signedOnWithTdk(clearLink, "TERM1503", "SN-1503");
        PosMessage swiped = encryptedSwipe(t, t.tdk, 4_400);

        PosClient.Reply r = await(t.pos.send(swiped));
        assertEquals("00", r.code());
        assertEquals(Boolean.TRUE, r.macValid());
        assertEquals(TRACK, clearLink.host.tracksReceived().get("TERM1503:" + swiped.field(11)),
                "the host read it as sent: clear, with 53.3 = 0");
    }

    private record Terminal(PosClient pos, byte[] tdk) {}

    /** A TMK terminal signed on with 004; its TDK decrypted from field 62 under the TMK, independently. */
    private static Terminal signedOnWithTdk(PospFixture w, String tid, String sn) throws Exception {
        PosClient pos = w.tmkClient(tid, w.registerTmkTerminal(tid, sn));
        PosClient.SignOnResult signOn = await(pos.signOn(SignOnMode.DOUBLE_WITH_TDK));
        assertEquals("00", signOn.code());
        assertTrue(signOn.keysAccepted());
        byte[] underTmk = WorkingKeyBlock.decode(SignOnMode.DOUBLE_WITH_TDK, signOn.reply().binary(62)).tdk().encryptedKey();
        return new Terminal(pos, tdesEcb(TMK, underTmk, false));
    }

    /**
     * A swiped purchase (22 = 021) with PIN, no field 2, 53 = 2610…: track 2 packed, its 8 bytes
     * ending one byte before the last encrypted TDES-ECB under {@code key}.
     */
    private static PosMessage encryptedSwipe(Terminal t, byte[] key, long amount) {
        PosMessage m = t.pos.purchase(PAN, amount, "123456").unset(2).set(22, "021").set(53, "2610000000000000");
        byte[] packed = HexFormat.of().parseHex(TRACK.replace('=', 'D') + "0");
        int from = packed.length - 9;
        byte[] block = tdesEcb(key, Arrays.copyOfRange(packed, from, from + 8), true);
        System.arraycopy(block, 0, packed, from, 8);
        m.setPackedDigits(35, packed, TRACK.length());
        assertArrayEquals(packed, m.packedDigits(35));
        assertTrue(m.trackEncrypted());
        return m;
    }

    /**
     * A key other than {@code tdk} whose block, decrypted under {@code tdk}, is not track 2 characters
     * (a digit nibble A-F, or a second separator), checked here independently: about one key in
     * 2,000 would decrypt into digits by chance, which no gateway can tell from a track.
     */
    private static byte[] wrongKeyFor(byte[] tdk) {
        byte[] packed = HexFormat.of().parseHex(TRACK.replace('=', 'D') + "0");
        byte[] block = Arrays.copyOfRange(packed, packed.length - 9, packed.length - 1);
        for (int i = 1; ; i++) {
            byte[] key = new byte[16];
            Arrays.fill(key, (byte) i);
            key = Parity.adjustOdd(key);
            if (Arrays.equals(key, tdk)) continue;
            byte[] seen = tdesEcb(tdk, tdesEcb(key, block, true), false);
            String hex = HexFormat.of().formatHex(seen).toUpperCase();
            if (hex.matches(".*[A-F].*")) return key;
        }
    }

    private static byte[] tdesEcb(byte[] key, byte[] data, boolean encrypt) {
        DESedeEngine des = new DESedeEngine();
        des.init(encrypt, new KeyParameter(key));
        byte[] out = new byte[data.length];
        for (int i = 0; i < data.length; i += 8) des.processBlock(data, i, out, i);
        return out;
    }
}
