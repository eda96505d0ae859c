package dev.posgate.hsm.keyblock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.crypto.KeyBlockHeader;
import dev.posgate.hsm.command.FieldException;
import dev.posgate.hsm.command.FieldReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The key-block command codec against the public payShield samples of ut-codec-payshield
 * ({@code test/config/test.js}: generateKeyEncode 2, generateKeyDecode 2), and round trips
 * through the shared codec.
 */
class KeyBlockCodecTest {

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void generateRequestMatchesTheSample() {
        KeyBlockGenerateRequest req = KeyBlockGenerateRequest.underLmk("01", KeyBlockAttributes.of("K0", "T2", 'B', "00", 'E'));
        byte[] wire = req.encode();
        assertEquals("A00FFFS%01#K0T2B00E00", new String(wire, StandardCharsets.US_ASCII));
        assertTrue(KeyBlockGenerateRequest.isKeyBlock(wire));
        assertFalse(KeyBlockGenerateRequest.isKeyBlock(ascii("A00002U")));
        assertEquals(req, KeyBlockGenerateRequest.read(new FieldReader(wire, 2)));
    }

    @Test
    void generateReplyOfTheSampleDecodes() {
        // "A1" "00" + key + KCV: ut-codec-payshield generateKeyDecode 2 (after its 4-character header)
        byte[] reply = ascii("A100S00072K0TB00E0001FB8A4952BFE42179AB8D79A81943DF1FAD67CF015117EE8528E79900D4A3E8");
        KeyBlockReply r = KeyBlockGenerateRequest.underLmk("01", KeyBlockAttributes.of("K0", "T2", 'B', "00", 'E'))
                .readReply(new FieldReader(reply, 4));
        assertEquals("S00072K0TB00E0001FB8A4952BFE42179AB8D79A81943DF1FAD67CF015117EE8528E79900", r.key().toWire());
        assertEquals("D4A3E8", r.kcv());
        KeyBlockHeader h = r.key().header();
        assertEquals("K0", h.keyUsage());
        assertEquals('B', h.modeOfUse());
        assertEquals('E', h.exportability());
        assertEquals("01", h.reserved(), "the LMK identifier");
        assertFalse(r.key().toString().contains("FB8A4952"), "toString shows the header only");
    }

    @Test
    void optionalBlocksAndExportRoundTrip() {
        KeyBlockAttributes attrs = new KeyBlockAttributes("B0", "T2", 'X', "12", 'S',
                List.of(new KeyBlockHeader.OptionalBlock("KS", "00604B120F9292800000")));
        KeyBlockKey zmk = KeyBlockKey.parse("S00072K0TB00E0001FB8A4952BFE42179AB8D79A81943DF1FAD67CF015117EE8528E79900");
        KeyBlockGenerateRequest req = new KeyBlockGenerateRequest("01", attrs, zmk);
        String wire = new String(req.encode(), StandardCharsets.US_ASCII);
        assertEquals("A01FFFS;0" + zmk.toWire() + "R%01#B0T2X12S01KS1800604B120F9292800000", wire);
        assertEquals(req, KeyBlockGenerateRequest.read(new FieldReader(ascii(wire), 2)));
        // the sample's mode 1 omits the ';'
        String noSemicolon = wire.replace("S;0", "S0");
        assertEquals(req, KeyBlockGenerateRequest.read(new FieldReader(ascii(noSemicolon), 2)));
    }

    /** A8 in the order of the payShield manual page: ZMK, key, scheme, %LMK, &N, !version. */
    @Test
    void exportRequestLayout() {
        KeyBlockKey zmk = KeyBlockKey.parse("S00072K0TB00E0001FB8A4952BFE42179AB8D79A81943DF1FAD67CF015117EE8528E79900");
        KeyBlockExportRequest req = new KeyBlockExportRequest(zmk, zmk, "01", 'N', 'B');
        String wire = new String(req.encode(), StandardCharsets.US_ASCII);
        assertEquals("A8FFF" + zmk.toWire() + zmk.toWire() + "R%01&N!B", wire);
        assertEquals(req, KeyBlockExportRequest.read(new FieldReader(ascii(wire), 2)));
        String minimal = "A8FFF;0" + zmk.toWire() + zmk.toWire() + "R";
        assertEquals(new KeyBlockExportRequest(zmk, zmk), KeyBlockExportRequest.read(new FieldReader(ascii(minimal), 2)));
        assertThrows(FieldException.class, () -> KeyBlockExportRequest.read(new FieldReader(ascii(minimal + "!E"), 2)));
    }

    /** The variant → TR-31 forms of A0 and A8, in the manual pages' field order. */
    @Test
    void variantTr31Layouts() {
        dev.posgate.hsm.LmkKey zmk = dev.posgate.hsm.LmkKey.parse("U" + "11".repeat(16));
        dev.posgate.hsm.LmkKey key = dev.posgate.hsm.LmkKey.parse("U" + "22".repeat(16));
        Tr31Attributes attrs = new Tr31Attributes("P0", 'E', "00", 'S',
                List.of(new KeyBlockHeader.OptionalBlock("KS", "00604B120F9292800000")));
        Tr31GenerateRequest gen = new Tr31GenerateRequest(dev.posgate.hsm.KeyType.ZPK, dev.posgate.hsm.KeyScheme.U, zmk,
                "00", attrs, 'B');
        String g = new String(gen.encode(), StandardCharsets.US_ASCII);
        assertEquals("A01001U;0" + zmk.toWire() + "R%00&P0E00S01KS1800604B120F9292800000!B", g);
        assertTrue(Tr31GenerateRequest.matches(gen.encode()));
        assertEquals(gen, Tr31GenerateRequest.read(new FieldReader(ascii(g), 2)));
        Tr31ExportRequest exp = new Tr31ExportRequest(dev.posgate.hsm.KeyType.ZPK, zmk, key, null, attrs, null);
        String e = new String(exp.encode(), StandardCharsets.US_ASCII);
        assertEquals("A8001" + zmk.toWire() + key.toWire() + "R&P0E00S01KS1800604B120F9292800000", e);
        assertTrue(Tr31ExportRequest.matches(exp.encode()));
        assertFalse(Tr31ExportRequest.matches(ascii("A8001" + zmk.toWire() + key.toWire() + "X")));
        assertEquals(exp, Tr31ExportRequest.read(new FieldReader(ascii(e), 2)));
    }

    @Test
    void badKeyBlockFieldsAreFieldErrors() {
        FieldException e = assertThrows(FieldException.class, () -> KeyBlockExportRequest.read(
                new FieldReader(ascii("A8FFFU0123456789ABCDEF0123456789ABCDEFR"), 2)));
        assertEquals("26", e.errorCode());
        assertThrows(FieldException.class, () -> KeyBlockExportRequest.read(new FieldReader(ascii("A8FFFS0X072"), 2)));
        assertThrows(IllegalArgumentException.class, () -> KeyBlockKey.parse("S00099K0TB00E0001"));
        assertThrows(IllegalArgumentException.class, () -> KeyBlockAttributes.of("K0", "T9", 'B', "00", 'E'));
    }
}
