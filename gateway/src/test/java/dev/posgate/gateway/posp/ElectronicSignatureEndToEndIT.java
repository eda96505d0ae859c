package dev.posgate.gateway.posp;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.support.AdminClient;
import dev.posgate.gateway.support.LogCapture;
import dev.posgate.gateway.support.TestPostgres;
import dev.posgate.iso8583.pos.MacBlock;
import dev.posgate.testing.TdesReference;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.protocol.posp.ElectronicSignature;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The electronic signature upload (issue 18 item 5) end to end over TCP: a terminal buys (gateway,
 * PostgreSQL, software HSM, host simulator), then uploads the cardholder's JBIG signature in 0820
 * (60.1 07, 60.3 800), whole or in parts; an operator reads it back through the admin API and the
 * CLI (audited). Wrong MAC, unknown original, oversize, wrong content type, duplicates and parts
 * out of order. Every MAC of request and answer is recomputed with BouncyCastle's DESede
 * ({@link SignedOnTerminal#send}); the JBIG header and the slip TLVs are written byte by byte here,
 * not with the gateway's codec. docs/posp.md "Electronic signature upload".
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ElectronicSignatureEndToEndIT {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final String PAN = "6222021234567890123";
    private static final String PIN = "123456";
    private static final int MAX = 2048;
    /** Slip: FF00 merchant name, FF01 type, FF02 operator 01, FF05 expiry 2912, FF06 date-time, FF0B mobile number. */
    private static final byte[] SLIP = slip();

    private PospFixture world;
    private AdminClient admin;
    private LogCapture logs;

    @BeforeAll
    void start() throws Exception {
        logs = LogCapture.attach();
        world = PospFixture.start(3000, PospFixture.newLmkFile(), TestPostgres.newDatabaseUrl(), Map.of(Setting.POSP_SIGNATURE_MAX_BYTES, MAX));
        admin = new AdminClient(world.gateway);
    }

    @AfterAll
    void stop() throws Exception {
        world.close();
        logs.close();
    }

    @Test
    void aSignatureUploadedAfterAPurchaseIsKeptWithItsJournalRowAndReadByOperators() throws Exception {
        SignedOnTerminal t = new SignedOnTerminal(world, "ESIG0001", "SN-ESIG-1");
        PosMessage purchase = t.pos.purchase(PAN, 12_345, PIN);
        PosMessage answer = t.send(purchase);
        assertEquals("00", answer.field(39));
        byte[] image = jbig(400, 1);

        List<PosMessage> upload = t.pos.signatureUpload(purchase, answer, image, SLIP, 512);
        assertEquals(1, upload.size());
        PosMessage reply = t.send(upload.get(0));

        assertEquals("0830", reply.mti());
        assertEquals("00", reply.field(39));
        assertEquals(purchase.field(11), reply.field(11));
        long journalId = t.row(purchase.field(11), "0200").getLong("id");
        Row stored = signature(journalId);
        assertEquals("COMPLETE", stored.getString("state"));
        assertArrayEquals(image, stored.getBuffer("image").getBytes());
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(image), stored.getBuffer("sha256").getBytes());
        String slipAtRest = HEX.formatHex(stored.getBuffer("slip").getBytes());
        assertTrue(slipAtRest.startsWith("FF00"), slipAtRest);
        assertFalse(slipAtRest.contains("FF0502") || slipAtRest.contains("FF0B06"), "no expiry, no mobile number at rest: " + slipAtRest);
        assertEquals(characteristicCode("0000", answer.field(37)), stored.getString("characteristic"));
        assertNull(t.atHost(upload.get(0), "0820"), "kept at the acquirer, not forwarded");

        // the operator reads it by journal id and by TID + STAN, each read audited
        HttpResponse<String> byId = admin.send(admin.request("/api/posp/signatures/" + journalId).GET());
        assertEquals(200, byId.statusCode(), byId.body());
        JsonObject s = new JsonObject(byId.body());
        assertArrayEquals(image, Base64.getDecoder().decode(s.getString("image")));
        assertEquals("image/x-jbig", s.getString("contentType"));
        assertEquals("PURCHASE", s.getString("kind"));
        assertEquals(12_345L, s.getLong("amount"));
        assertEquals(answer.field(37), s.getString("rrn"));
        JsonArray slip = s.getJsonArray("slip");
        assertEquals("FF00", slip.getJsonObject(0).getString("tag"));
        assertEquals("测试商户", new String(HEX.parseHex(slip.getJsonObject(0).getString("value")), Charset.forName("GBK")));
        HttpResponse<String> byStan = admin.send(admin.request("/api/posp/signatures?tid=ESIG0001&stan=" + purchase.field(11)).GET());
        assertEquals(200, byStan.statusCode(), byStan.body());
        assertEquals(journalId, new JsonObject(byStan.body()).getLong("journalId"));
        Path file = Files.createTempFile(Path.of("target"), "signature-", ".jbg");
        assertEquals(0, admin.cli("posp", "signature", "--journal-id", String.valueOf(journalId), "--out", file.toString(), "--json"));
        assertArrayEquals(image, Files.readAllBytes(file), "the CLI wrote the image");
        assertEquals(3L, count("select count(*) from audit_log where action = 'posp.signature.read' and subject = 'ESIG0001'"));
        assertEquals(404, admin.send(admin.request("/api/posp/signatures?tid=ESIG0001&stan=999999").GET()).statusCode());

        // never in the logs
        String imageHex = HEX.formatHex(Arrays.copyOfRange(image, 20, 60));
        String imageB64 = Base64.getEncoder().encodeToString(image).substring(0, 40);
        for (String line : logs.lines()) {
            assertFalse(line.toUpperCase().contains(imageHex) || line.contains(imageB64), "image in a log line: " + line);
        }
    }

    @Test
    void aRepeatedUploadIsAnsweredAgainAndAnotherImageForTheSameTransactionIs94() throws Exception {
        SignedOnTerminal t = new SignedOnTerminal(world, "ESIG0002", "SN-ESIG-2");
        PosMessage purchase = t.pos.purchase(PAN, 2_000, PIN);
        PosMessage answer = t.send(purchase);
        byte[] image = jbig(300, 2);

        assertEquals("00", t.send(t.pos.signatureUpload(purchase, answer, image, SLIP, 512).get(0)).field(39));
        assertEquals("00", t.send(t.pos.signatureUpload(purchase, answer, image, SLIP, 512).get(0)).field(39), "the same again");
        assertEquals("94", t.send(t.pos.signatureUpload(purchase, answer, jbig(300, 3), SLIP, 512).get(0)).field(39),
                "another image for a signed transaction");

        long journalId = t.row(purchase.field(11), "0200").getLong("id");
        assertArrayEquals(image, signature(journalId).getBuffer("image").getBytes(), "the first one stays");
        assertEquals(1L, count("select count(*) from posp_signature where tid = 'ESIG0002'"));
    }

    @Test
    void aWrongMacIsA0AndNothingIsKept() throws Exception {
        SignedOnTerminal t = new SignedOnTerminal(world, "ESIG0003", "SN-ESIG-3");
        PosMessage purchase = t.pos.purchase(PAN, 3_000, PIN);
        PosMessage answer = t.send(purchase);
        byte[] body = t.pos.seal(t.pos.signatureUpload(purchase, answer, jbig(200, 4), SLIP, 512).get(0));
        byte[] mac = MacBlock.mac(body);
        assertArrayEquals(TdesReference.unionPayEcbMac(t.mak, MacBlock.of(body)), mac, "a genuine MAC first");
        body[body.length - 1] ^= 0x01;

        PosMessage reply = PosMessage.unpack(await(t.link.request(body)));

        assertEquals("0830", reply.mti());
        assertEquals("A0", reply.field(39));
        assertFalse(reply.has(64), "no MAC on an A0");
        assertEquals(0L, count("select count(*) from posp_signature where tid = 'ESIG0003'"));
    }

    @Test
    void anUnknownOrDeclinedOriginalIs25() throws Exception {
        SignedOnTerminal t = new SignedOnTerminal(world, "ESIG0004", "SN-ESIG-4");
        PosMessage neverSent = t.pos.purchase(PAN, 4_000, PIN);
        assertEquals("25", t.send(t.pos.signatureUpload(neverSent, null, jbig(200, 5), SLIP, 512).get(0)).field(39));

        PosMessage declined = t.pos.purchase(PAN, 0, PIN); // the host simulator declines an amount of 0 (13)
        PosMessage answer = t.send(declined);
        assertEquals("13", answer.field(39));
        assertEquals("25", t.send(t.pos.signatureUpload(declined, answer, jbig(200, 6), SLIP, 512).get(0)).field(39));

        PosMessage approved = t.pos.purchase(PAN, 4_100, PIN);
        PosMessage ok = t.send(approved);
        PosMessage wrongAmount = t.pos.signatureUpload(approved, ok, jbig(200, 7), SLIP, 512).get(0).set(4, "000000004101");
        assertEquals("25", t.send(wrongAmount).field(39), "the amount is not the original's");
        assertEquals(0L, count("select count(*) from posp_signature where tid = 'ESIG0004'"));
    }

    @Test
    void anImageThatIsNotJbigIs30AndOneOverTheLimitIs12() throws Exception {
        SignedOnTerminal t = new SignedOnTerminal(world, "ESIG0005", "SN-ESIG-5");
        PosMessage purchase = t.pos.purchase(PAN, 5_000, PIN);
        PosMessage answer = t.send(purchase);
        byte[] png = new byte[300];
        System.arraycopy(HEX.parseHex("89504E470D0A1A0A0000000D49484452"), 0, png, 0, 16);
        assertEquals("30", t.send(t.pos.signatureUpload(purchase, answer, png, SLIP, 512).get(0)).field(39), "a PNG");
        byte[] bmp = Arrays.copyOf("BM".getBytes(StandardCharsets.US_ASCII), 300);
        assertEquals("30", t.send(t.pos.signatureUpload(purchase, answer, bmp, SLIP, 512).get(0)).field(39), "a BMP");
        assertEquals("30", t.send(t.pos.signatureUpload(purchase, answer, jbig(200, 8), null, 512).get(0)).field(39),
                "no slip data (55)");

        // 3000 bytes in 512-byte parts against a 2048-byte limit: parts 1-4 kept, part 5 refused and the upload dropped
        List<PosMessage> parts = t.pos.signatureUpload(purchase, answer, jbig(2980, 9), SLIP, 512);
        assertEquals(6, parts.size());
        for (int i = 0; i < 4; i++) assertEquals("00", t.send(parts.get(i)).field(39), "part " + (i + 1));
        assertEquals("12", t.send(parts.get(4)).field(39), "over posp.signature.max.bytes");
        assertEquals(0L, count("select count(*) from posp_signature where tid = 'ESIG0005'"), "the partial upload is dropped");
        assertEquals("12", t.send(parts.get(5)).field(39), "no upload to continue");
    }

    @Test
    void aSplitUploadIsReassembledInOrderAndAGapIsRefused() throws Exception {
        SignedOnTerminal t = new SignedOnTerminal(world, "ESIG0006", "SN-ESIG-6");
        PosMessage purchase = t.pos.purchase(PAN, 6_000, PIN);
        PosMessage answer = t.send(purchase);
        byte[] image = jbig(1280, 10);
        List<PosMessage> parts = t.pos.signatureUpload(purchase, answer, image, SLIP, 512);
        assertEquals(3, parts.size());
        assertEquals("001003", parts.get(0).field(48));

        assertEquals("00", t.send(parts.get(0)).field(39));
        assertEquals("12", t.send(parts.get(2)).field(39), "part 3 before part 2");
        long journalId = t.row(purchase.field(11), "0200").getLong("id");
        assertEquals(404, admin.send(admin.request("/api/posp/signatures/" + journalId).GET()).statusCode(), "incomplete");
        assertEquals("00", t.send(parts.get(1)).field(39));
        assertEquals("00", t.send(parts.get(1)).field(39), "part 2 again: nothing changes");
        assertEquals("00", t.send(parts.get(2)).field(39));

        Row stored = signature(journalId);
        assertEquals("COMPLETE", stored.getString("state"));
        assertEquals(3, stored.getInteger("parts"));
        assertArrayEquals(image, stored.getBuffer("image").getBytes(), "parts joined in order");
        HttpResponse<String> read = admin.send(admin.request("/api/posp/signatures?tid=ESIG0006&stan=" + purchase.field(11)
                + "&batch=" + purchase.field60().batch()).GET());
        assertEquals(200, read.statusCode(), read.body());
        assertArrayEquals(image, Base64.getDecoder().decode(new JsonObject(read.body()).getString("image")));
        assertEquals("00", t.send(parts.get(0)).field(39), "a part of a complete upload: answered, nothing changes");
    }

    /**
     * A vendor's published upload (vfwz iso8583-parser, SIGN_IMG_REQUEST: 0920, 60 = 07 + batch with
     * no 60.3, 55 with FF00/FF01/FF02/FF06, 62 a 126-byte JBIG image) replayed by a signed-on
     * terminal for its own purchase: its slip and its image as published, MACed; answered 0930.
     */
    @Test
    void aPublished0920UploadWithA126ByteJbigImageIsServedAs0930() throws Exception {
        PosMessage published = PosMessage.unpack(RealTrafficCorpus.read(RealTrafficCorpus.DIR.resolve("vfwz-0920-e-signature.hex")).body());
        byte[] image = published.binary(62);
        assertEquals(126, image.length);
        assertEquals("00000100000000800000004000000080" + "7F000048", HEX.formatHex(Arrays.copyOf(image, 20)), "a T.82 header: 128 x 64");
        SignedOnTerminal t = new SignedOnTerminal(world, "ESIG0007", "SN-ESIG-7");
        PosMessage purchase = t.pos.purchase(PAN, 1_111, PIN);
        PosMessage answer = t.send(purchase);
        PosMessage upload = t.pos.signatureUpload(purchase, answer, image, published.binary(55), 512).get(0).mti("0920")
                .set(60, "07" + purchase.field60().batch());

        PosMessage reply = t.send(upload);

        assertEquals("0930", reply.mti());
        assertEquals("00", reply.field(39));
        Row stored = signature(t.row(purchase.field(11), "0200").getLong("id"));
        assertArrayEquals(image, stored.getBuffer("image").getBytes());
        assertArrayEquals(published.binary(55), stored.getBuffer("slip").getBytes(), "FF00, FF01, FF02, FF06: all kept");
    }

    private Row signature(long journalId) throws Exception {
        RowSet<Row> rows = await(world.db().preparedQuery("select * from posp_signature where transaction_id = $1")
                .execute(Tuple.of(journalId)));
        assertEquals(1, rows.size(), "one signature of journal row " + journalId);
        return rows.iterator().next();
    }

    private long count(String sql) throws Exception {
        return await(world.db().query(sql).execute()).iterator().next().getLong(0);
    }

    /**
     * A JBIG image as far as its header goes: a T.82 BIH written here byte by byte (DL 0, D 0, P 1,
     * fill 0, XD 384, YD 128, L0 128, MX 8, MY 0, order 03, options 48), then {@code data} bytes.
     */
    private static byte[] jbig(int data, long seed) {
        byte[] bih = HEX.parseHex("00000100" + "00000180" + "00000080" + "00000080" + "08000348");
        byte[] out = Arrays.copyOf(bih, bih.length + data);
        byte[] body = new byte[data];
        new Random(seed).nextBytes(body);
        System.arraycopy(body, 0, out, bih.length, data);
        return out;
    }

    private static byte[] slip() {
        byte[] name = "测试商户".getBytes(Charset.forName("GBK"));
        byte[] type = "消费".getBytes(Charset.forName("GBK"));
        return HEX.parseHex("FF00" + String.format("%02X", name.length) + HEX.formatHex(name)
                + "FF01" + String.format("%02X", type.length) + HEX.formatHex(type)
                + "FF020101" + "FF05022912" + "FF060720261203153000" + "FF0B06013800138000");
    }

    /** The published terminal computation: 15 and 37 in a zero-filled 16-byte block, its halves XORed, each byte %X. */
    private static String characteristicCode(String date, String rrn) {
        byte[] b = new byte[16];
        System.arraycopy(date.getBytes(StandardCharsets.US_ASCII), 0, b, 0, 4);
        System.arraycopy(rrn.getBytes(StandardCharsets.US_ASCII), 0, b, 4, 12);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) s.append(String.format("%X", b[i] ^ b[i + 8]));
        return s.toString();
    }
}
