package dev.posgate.gateway.posp;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.gateway.support.TerminalConnection;
import dev.posgate.iso8583.pos.Field60;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.protocol.posp.SignOnMode;
import dev.posgate.terminal.pos.PosClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import dev.posgate.gateway.cli.Main;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 14 item 7 end to end over TCP: an operator loads two AIDs and two EMV CA public keys through
 * the admin API (one of each as published in mposSDK's 0810/380 and 0810/370 answers); a signed-on
 * terminal whose purchases are answered with processing requirement 1 uploads its status, downloads
 * each entry it lacks byte for byte, ends both downloads and is answered with 0 from then on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(PospFixture.PerClass.class)
class IcParametersEndToEndIT {
    private static final String PAN = "6222021234567890123";
    private static final HexFormat HEX = HexFormat.of();
    private final HttpClient http = HttpClient.newHttpClient();
    private final PospFixture world;

    IcParametersEndToEndIT(PospFixture world) {
        this.world = world;
    }

    @Test
    void aTerminalDownloadsTheEntriesItLacksAndIsNoLongerBehind() throws Exception {
        PosClient pos = world.tmkClient("TERM1470", world.registerTmkTerminal("TERM1470", "SN-1470"));
        assertEquals("00", await(pos.signOn(SignOnMode.DOUBLE)).code());
        assertEquals(200, put("/api/posp/ic/aids").statusCode()); // empty sets, whatever another test of this class loaded
        assertEquals(200, put("/api/posp/ic/capks").statusCode());
        assertEquals(0, await(pos.send(pos.purchase(PAN, 100, null))).processingRequirement(), "nothing loaded");

        byte[] aid1 = published("mpossdk-0810-ic-param-download.hex");
        // the same record for the UnionPay debit AID A000000333010101
        byte[] aid2 = concat(HEX.parseHex("9f0608a000000333010101"), Arrays.copyOfRange(aid1, 3 + 7, aid1.length));
        byte[] capk1 = published("mpossdk-0810-capk-download.hex");
        byte[] capk2 = handMadeCapk();
        assertEquals(200, put("/api/posp/ic/aids", aid1, aid2).statusCode());
        HttpResponse<String> loaded = put("/api/posp/ic/capks", capk1, capk2);
        assertEquals(200, loaded.statusCode());
        String setHash = new JsonObject(loaded.body()).getString("setHash");
        assertEquals(setHash, await(world.db().preparedQuery("select detail->>'setHash' from audit_log where action = 'posp.ic.load'"
                + " and subject = 'CAPK' order by id desc limit 1").execute()).iterator().next().getString(0), "the load is audited");

        PosClient.Reply before = await(pos.send(pos.purchase(PAN, 100, null)));
        assertEquals("00", before.code());
        assertEquals(1, before.processingRequirement(), "parameters outdated");
        assertEquals(Boolean.TRUE, before.macValid(), "the header is outside the MAC");
        assertTrue(behind().contains("TERM1470"));

        try (TerminalConnection t = world.gateway.connect()) {
            // AIDs: the terminal names none (62 = "100", not TLV: read as naming nothing); the answer lists both (9F06 each)
            PosMessage status = exchange(t, "0820", "382", "100".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertEquals("0830", status.mti());
            assertEquals("00", status.field(39));
            assertArrayEquals(slices(new byte[] {'1'}, aid1, 0, 10, aid2, 0, 11), status.binary(62));
            for (byte[] aid : new byte[][] {aid1, aid2}) {
                int aidLength = aid[2] & 0xFF;
                PosMessage down = exchange(t, "0800", "380", Arrays.copyOfRange(aid, 0, 3 + aidLength));
                assertEquals("0810", down.mti());
                assertEquals("00", down.field(39));
                assertArrayEquals(concat(new byte[] {'1'}, aid), down.binary(62), "the AID record byte for byte");
            }
            assertEquals("00", exchange(t, "0800", "381", null).field(39));

            // CA keys: the terminal has the published one; only the other is listed (RID, index, expiry)
            PosMessage keys = exchange(t, "0820", "372", Arrays.copyOfRange(capk1, 0, 8 + 4));
            assertEquals("00", keys.field(39));
            assertArrayEquals(slices(new byte[] {'1'}, capk2, 0, 8 + 4 + 11), keys.binary(62));
            PosMessage down = exchange(t, "0800", "370", Arrays.copyOfRange(capk2, 0, 8 + 4));
            assertEquals("00", down.field(39));
            assertArrayEquals(concat(new byte[] {'1'}, capk2), down.binary(62), "the CA key byte for byte");
            assertEquals("25", exchange(t, "0800", "370", HEX.parseHex("9f0605a0000003339f220199")).field(39), "not loaded");
            assertEquals("00", exchange(t, "0800", "371", null).field(39));
        }

        PosClient.Reply after = await(pos.send(pos.purchase(PAN, 100, null)));
        assertEquals("00", after.code());
        assertEquals(0, after.processingRequirement(), "both sets confirmed");
        assertFalse(behind().contains("TERM1470"));
    }

    /** A CA key whose DF03 is not the EMV SHA-1 of RID, index, modulus and exponent is refused and nothing is replaced. */
    @Test
    void aCaKeyWithAWrongCheckHashIsRefused() throws Exception {
        byte[] capk = published("mpossdk-0810-capk-download.hex");
        capk[capk.length - 1] ^= 1;
        HttpResponse<String> r = put("/api/posp/ic/capks", capk);
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("DF03"), r.body());
    }

    /** The CLI loads a CA key file (hex TLV bodies, comments skipped) and the set is read back as loaded. */
    @Test
    void theCliLoadsACaKeyFile() throws Exception {
        byte[] capk1 = published("mpossdk-0810-capk-download.hex");
        byte[] capk2 = handMadeCapk();
        Path file = Files.createTempFile("capks", ".hex");
        Files.writeString(file, "# mposSDK's CUP key 08, then a hand-made one\n" + HEX.formatHex(capk1) + "\n\n" + HEX.formatHex(capk2) + "\n");
        int exit = Main.run("ic", "capks", "load", file.toString(), "--admin", "http://127.0.0.1:" + world.gateway.adminPort(),
                "--token", world.gateway.app().adminToken());
        Files.delete(file);
        assertEquals(0, exit);
        HttpResponse<String> r = http.send(request("/api/posp/ic/capks").GET().build(), HttpResponse.BodyHandlers.ofString());
        JsonArray entries = new JsonObject(r.body()).getJsonArray("entries");
        assertEquals(2, entries.size());
        assertEquals(HEX.withUpperCase().formatHex(capk1), entries.getJsonObject(0).getString("tlv"));
        assertEquals("A00000033308", entries.getJsonObject(0).getString("key"));
        assertEquals("EE23B616C95C02652AD18860E48787C079E8E85A", entries.getJsonObject(0).getString("checkHash"), "the published DF03");
        assertEquals(HEX.withUpperCase().formatHex(capk2), entries.getJsonObject(1).getString("tlv"));
    }

    private PosMessage exchange(TerminalConnection t, String mti, String code, byte[] f62) throws Exception {
        PosMessage m = PosMessage.create(PosClient.TPDU, PosClient.HEADER, mti).set(11, "000147").set(41, "TERM1470")
                .set(42, "898310048990001").set(new Field60("00", "000001", code));
        if (f62 != null) m.set(62, f62);
        return PosMessage.unpack(t.exchange(m.pack()));
    }

    /** Field 62 of a published answer without its leading status byte: the entry's TLV body. */
    private static byte[] published(String file) {
        byte[] f62 = PosMessage.unpack(RealTrafficCorpus.read(RealTrafficCorpus.DIR.resolve(file)).body()).binary(62);
        assertEquals('1', f62[0]);
        return Arrays.copyOfRange(f62, 1, f62.length);
    }

    /** RID A000000333, index 0B, a 128-byte modulus, exponent 03, DF03 computed here per EMV Book 2 A2.1. */
    private static byte[] handMadeCapk() throws Exception {
        byte[] rid = HEX.parseHex("a000000333");
        byte[] modulus = new byte[128];
        for (int i = 0; i < modulus.length; i++) modulus[i] = (byte) (0xC1 + 7 * i);
        byte[] hash = MessageDigest.getInstance("SHA-1").digest(concat(rid, new byte[] {0x0B}, modulus, new byte[] {0x03}));
        return concat(HEX.parseHex("9f0605"), rid, HEX.parseHex("9f22010b"), HEX.parseHex("df0508") , "20301231".getBytes(),
                HEX.parseHex("df060101df070101df028180"), modulus, HEX.parseHex("df040103df0314"), hash);
    }

    private HttpResponse<String> put(String path, byte[]... entries) throws Exception {
        JsonArray list = new JsonArray();
        for (byte[] e : entries) list.add(HEX.formatHex(e));
        return http.send(request(path).PUT(HttpRequest.BodyPublishers.ofString(new JsonObject().put("entries", list).encode())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String behind() throws Exception {
        HttpResponse<String> r = http.send(request("/api/posp/ic/terminals?behind=true").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        return r.body();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + world.gateway.adminPort() + path))
                .header("Authorization", "Bearer " + world.gateway.app().adminToken());
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    /** {@code first}, then slices given as (array, from, to) triples. */
    private static byte[] slices(byte[] first, Object... slices) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(first);
        for (int i = 0; i < slices.length; i += 3) {
            out.writeBytes(Arrays.copyOfRange((byte[]) slices[i], (Integer) slices[i + 1], (Integer) slices[i + 2]));
        }
        return out.toByteArray();
    }
}
