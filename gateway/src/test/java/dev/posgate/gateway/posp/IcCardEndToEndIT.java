package dev.posgate.gateway.posp;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.iso8583.tlv.BerTlv;
import dev.posgate.iso8583.tlv.Tlv;
import dev.posgate.testing.Eventually;
import io.vertx.sqlclient.Row;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * IC-card transactions (issue 18 item 4) end to end over TCP: terminal → gateway (PostgreSQL,
 * software HSM) → host simulator and back. Field 55 and 23 both ways, a malformed 55, the
 * gateway's reversal of a lost IC purchase with the reversal tags of its 55, and the script result
 * notification (0620) and TC upload (0320) through the advice queue. Every request's and answer's
 * MAC is recomputed with BouncyCastle's DESede under the MAK decrypted from field 62 with the
 * clear TMK. docs/posp.md "IC cards".
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IcCardEndToEndIT {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final String PAN = "6222021234567890123";
    private static final String PIN = "123456";
    /** The terminal's 55: ARQC 9F26, 9F27, IAD 9F10, 9F37, ATC 9F36, TVR 95, 9A, 9C, 9F02, 5F2A, PAN 5A, track 2 57, IFD 9F1E. */
    private static final byte[] ICC = HEX.parseHex("9F2608A1B2C3D4E5F60718" + "9F270180" + "9F101307010103A0A000010A0100000000006F0E35CF"
            + "9F3704A1B2C3D4" + "9F36020042" + "950500000480009A032612039C0100" + "9F02060000000012345F2A020156"
            + "5A0A6222021234567890123F" + "57136222021234567890123D29122011234567800F" + "9F1E083132333435363738");
    private PospFixture world;

    @BeforeAll
    void start() throws Exception {
        world = PospFixture.start(3000);
    }

    @AfterAll
    void stop() throws Exception {
        world.close();
    }

    @Test
    void anIcPurchaseCarries55And23ToTheHostAndTheHostsArpcAndScriptBack() throws Exception {
        SignedOnTerminal t = new SignedOnTerminal(world, "ICCE0001", "SN-ICCE-1");
        world.host.issuerScriptFor(null, 12_345);

        PosMessage purchase = t.pos.icPurchase(PAN, 12_345, PIN, ICC, "001");
        PosMessage answer = t.send(purchase);

        assertEquals("0210", answer.mti());
        assertEquals("00", answer.field(39));
        PosMessage up = t.atHost(purchase, "0200");
        assertArrayEquals(ICC, up.binary(55), "the host sees the terminal's 55 as sent");
        assertEquals("001", up.field(23));
        assertEquals("051", up.field(22));
        assertEquals("001", answer.field(23), "23 back to the terminal");
        List<Tlv> back = BerTlv.decodeEmv(answer.binary(55));
        Tlv arpc = BerTlv.find(back, 0x91);
        assertNotNull(arpc, "the host's ARPC reaches the terminal");
        assertArrayEquals(arpc(HEX.parseHex("A1B2C3D4E5F60718"), "00"), Arrays.copyOf(arpc.value(), 8));
        assertEquals("00", new String(Arrays.copyOfRange(arpc.value(), 8, 10), StandardCharsets.US_ASCII));
        Tlv script = BerTlv.find(back, 0x72);
        assertNotNull(script, "the issuer script configured for this amount");
        assertEquals("841E000004", HEX.formatHex(script.find(0x86).value()).substring(0, 10));

        // another amount: ARPC only
        world.host.issuerScriptFor(null, -1);
        PosMessage plain = t.send(t.pos.icPurchase(PAN, 2_000, PIN, ICC, "001"));
        assertNull(BerTlv.find(BerTlv.decodeEmv(plain.binary(55)), 0x72));

        // a swipe without 55 gets no 55
        PosMessage swipe = t.send(t.pos.purchase(PAN, 2_000, PIN));
        assertFalse(swipe.has(55));
    }

    @Test
    void aMalformed55IsAnswered30MacedAndNothingReachesTheHost() throws Exception {
        SignedOnTerminal t = new SignedOnTerminal(world, "ICCE0002", "SN-ICCE-2");
        PosMessage purchase = t.pos.icPurchase(PAN, 3_000, PIN, HEX.parseHex("9F2608A1B2C3D4"), "001");

        PosMessage answer = t.send(purchase);

        assertEquals("30", answer.field(39));
        assertNull(t.atHost(purchase, "0200"), "nothing forwarded");
        assertEquals("FAILED", t.row(purchase.field(11), "0200").getString("status"));
    }

    @Test
    void aLostIcPurchaseIsReversedWithTheReversalTagsOfIts55AndNoCardholderDataAtRest() throws Exception {
        SignedOnTerminal t = new SignedOnTerminal(world, "ICCE0003", "SN-ICCE-3");
        // the host simulator never answers an amount ending in 999
        PosMessage purchase = t.pos.icPurchase(PAN, 4_999, PIN, ICC, "002");

        assertEquals("68", t.send(purchase).field(39));
        Eventually.until("the gateway's reversal reached the host",
                () -> world.host.reversalsReceived().contains("ICCE0003:" + purchase.field(11)));
        PosMessage rev = t.atHost(purchase, "0400");
        assertEquals("002", rev.field(23));
        assertEquals("051", rev.field(22));
        List<Tlv> tags = BerTlv.decodeEmv(rev.binary(55));
        assertEquals(List.of(0x95, 0x9F10, 0x9F1E, 0x9F36), tags.stream().map(Tlv::tag).toList(),
                "UnionPay's reversal tags (DF31 only after a script), nothing else");
        assertArrayEquals(HEX.parseHex("0042"), BerTlv.find(tags, 0x9F36).value());
        assertFalse(rev.has(2), "no PAN");
        // nothing of the card number anywhere in the journal or the reversal queue
        for (String sql : new String[] {"select encode(coalesce(reversal, ''::bytea), 'hex') from posp_transaction where tid = 'ICCE0003'",
                "select encode(message, 'hex') from posp_reversal"}) {
            for (Row r : await(world.db().query(sql).execute())) {
                String hex = r.getString(0) == null ? "" : r.getString(0).toUpperCase();
                assertFalse(hex.contains("6222021234567890"), sql);
            }
        }
    }

    @Test
    void aScriptResultNotificationAndATcUploadReachTheHostOnceThroughTheAdviceQueue() throws Exception {
        SignedOnTerminal t = new SignedOnTerminal(world, "ICCE0004", "SN-ICCE-4");
        world.host.issuerScriptFor(PAN, -1);
        PosMessage purchase = t.pos.icPurchase(PAN, 7_000, PIN, ICC, "001");
        PosMessage sale = t.send(purchase);
        assertEquals("00", sale.field(39));
        world.host.issuerScriptFor(null, -1);

        byte[] scriptResult = HEX.parseHex("DF31052000000001" + "950500000480009F1E083132333435363738" + "9F36020042");
        PosMessage notice = t.pos.scriptResult(purchase, sale, scriptResult);
        PosMessage a = t.send(notice);
        assertEquals("0630", a.mti());
        assertEquals("00", a.field(39));

        byte[] tc = HEX.parseHex("9F2608C1D2E3F4A5B6C7D8" + "9F270140" + "9F36020042" + "95050000048000");
        PosMessage upload = t.pos.tcUpload(purchase, sale, tc);
        PosMessage b = t.send(upload);
        assertEquals("0330", b.mti());
        assertEquals("00", b.field(39));

        String batch = t.pos.batch();
        String noticeKey = t.tid + ":" + batch + ":" + notice.field(11) + ":0620";
        String uploadKey = t.tid + ":" + batch + ":" + upload.field(11) + ":0320";
        Eventually.until("both delivered", () -> "DELIVERED".equals(t.row(notice.field(11), "0620").getString("advice_state"))
                && "DELIVERED".equals(t.row(upload.field(11), "0320").getString("advice_state")));
        assertEquals(1, world.host.icNotices().get(noticeKey));
        assertEquals(1, world.host.icNotices().get(uploadKey));
        assertArrayEquals(scriptResult, t.atHost(notice, "0620").binary(55));
        assertArrayEquals(tc, t.atHost(upload, "0320").binary(55));
        assertEquals(batch + purchase.field(11), t.atHost(notice, "0620").field(61).substring(0, 12));
        assertEquals("SCRIPT_RESULT", t.row(notice.field(11), "0620").getString("kind"));
        assertEquals("TC_UPLOAD", t.row(upload.field(11), "0320").getString("kind"));

        // the terminal resends the notice (same STAN): its first answer again, nothing queued twice
        PosMessage again = t.send(notice);
        assertEquals("00", again.field(39));
        assertEquals(1, world.host.icNotices().get(noticeKey));
        assertEquals("DELIVERED", t.row(notice.field(11), "0620").getString("advice_state"));
    }

    private static byte[] arpc(byte[] arqc, String code) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        d.update(arqc);
        d.update(code.getBytes(StandardCharsets.US_ASCII));
        return Arrays.copyOf(d.digest(), 8);
    }
}
