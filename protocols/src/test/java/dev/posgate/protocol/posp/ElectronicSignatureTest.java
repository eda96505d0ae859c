package dev.posgate.protocol.posp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The electronic signature upload's layouts (docs/posp.md, "Electronic signature upload"). */
class ElectronicSignatureTest {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    @Test
    void partsAreField48NumberAndCountAndAbsentMeansWhole() {
        assertEquals(ElectronicSignature.Part.WHOLE, ElectronicSignature.Part.parse(null));
        ElectronicSignature.Part p = ElectronicSignature.Part.parse("002003");
        assertEquals(2, p.number());
        assertEquals(3, p.count());
        assertEquals("002003", p.field48());
        for (String bad : new String[] {"000001", "004003", "001000", "00100", "0010a3"}) {
            assertThrows(IllegalArgumentException.class, () -> ElectronicSignature.Part.parse(bad), bad);
        }
        List<byte[]> parts = ElectronicSignature.parts(new byte[1300], 512);
        assertEquals(List.of(512, 512, 276), parts.stream().map(b -> b.length).toList());
        assertThrows(IllegalArgumentException.class, () -> ElectronicSignature.parts(new byte[10], 513), "62 is b..512");
    }

    @Test
    void aJbigHeaderIsRecognisedAndOtherImagesAreNot() {
        byte[] jbig = Arrays.copyOf(HEX.parseHex("00000100000001800000008000000080" + "08000348"), 64);
        assertTrue(ElectronicSignature.isJbig(jbig));
        assertTrue(ElectronicSignature.isJbig(Arrays.copyOf(ElectronicSignature.bih(384, 128), 30)));
        assertFalse(ElectronicSignature.isJbig(Arrays.copyOf(jbig, 20)), "a header without data");
        byte[] twoPlanes = jbig.clone();
        twoPlanes[2] = 2;
        assertFalse(ElectronicSignature.isJbig(twoPlanes));
        byte[] noWidth = jbig.clone();
        Arrays.fill(noWidth, 4, 8, (byte) 0);
        assertFalse(ElectronicSignature.isJbig(noWidth));
        assertFalse(ElectronicSignature.isJbig(Arrays.copyOf(HEX.parseHex("89504E470D0A1A0A0000000D49484452"), 64)), "PNG");
        assertFalse(ElectronicSignature.isJbig(Arrays.copyOf(HEX.parseHex("FFD8FFE000104A464946"), 64)), "JPEG");
        assertFalse(ElectronicSignature.isJbig(Arrays.copyOf(HEX.parseHex("974A42320D0A1A0A"), 64)), "JBIG2");
        assertFalse(ElectronicSignature.isJbig(Arrays.copyOf(HEX.parseHex("424D"), 64)), "BMP");
    }

    @Test
    void theSlipIsFlatTlvWithTwoByteFfTagsAndExpiryAndMobileAreNotKept() {
        byte[] f55 = HEX.parseHex("FF000441424344" + "FF0102CFFB" + "FF05022912" + "FF0B06013800138000" + "FF70010" + "1");
        List<ElectronicSignature.SlipItem> items = ElectronicSignature.parseSlip(f55);
        assertEquals(List.of(0xFF00, 0xFF01, 0xFF05, 0xFF0B, 0xFF70), items.stream().map(ElectronicSignature.SlipItem::tag).toList());
        assertArrayEquals("ABCD".getBytes(), items.get(0).value());
        assertArrayEquals(f55, ElectronicSignature.encodeSlip(items));
        assertEquals("FF0004414243" + "44" + "FF0102CFFB" + "FF700101", HEX.formatHex(ElectronicSignature.encodeSlip(ElectronicSignature.kept(items))));
        assertThrows(IllegalArgumentException.class, () -> ElectronicSignature.parseSlip(HEX.parseHex("FF0005414243")), "cut short");
        assertThrows(IllegalArgumentException.class, () -> ElectronicSignature.parseSlip(new byte[0]));
        byte[] longValue = new byte[300];
        List<ElectronicSignature.SlipItem> one = List.of(new ElectronicSignature.SlipItem(0xFF40, longValue));
        assertEquals(one.get(0).value().length, ElectronicSignature.parseSlip(ElectronicSignature.encodeSlip(one)).get(0).value().length);
    }

    @Test
    void theCharacteristicCodeXorsTheSettlementDateAndReferenceHalves() {
        // "1203" + "123456789012": bytes 0-7 "12031234" XOR bytes 8-15 "56789012"
        assertEquals("447B8226", ElectronicSignature.characteristicCode("1203", "123456789012"));
        assertEquals(ElectronicSignature.characteristicCode("0000", "000000000000"), ElectronicSignature.characteristicCode(null, null));
    }
}
