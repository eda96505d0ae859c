package dev.posgate.iso8583.pos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.iso8583.tlv.BerTlv;
import dev.posgate.iso8583.tlv.Tlv;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class IccDataTest {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    @Test
    void everyField55OfThePublishedRealTerminalMessagesIsWellFormed() {
        int seen = 0;
        for (RealTraffic.Sample s : RealTraffic.load()) {
            if (s.broken() != null && !s.broken().isEmpty()) continue;
            PosMessage m = PosMessage.unpack(s.body(), s.dialect());
            // financial messages only: the e-signature (0920) puts its own data in 55
            if (!m.has(55) || !(m.mti().startsWith("01") || m.mti().startsWith("02") || m.mti().startsWith("04"))) continue;
            seen++;
            assertTrue(IccData.wellFormed(m.binary(55)), s.name());
        }
        assertTrue(seen >= 4, "the corpus holds IC messages: " + seen);
    }

    @Test
    void df31IsPrimitiveInField55ButStaysConstructedInTheTmsCodec() {
        byte[] f55 = HEX.parseHex("DF31052000000000");
        List<Tlv> emv = IccData.parse(f55);
        assertFalse(emv.get(0).isConstructed());
        assertArrayEquals(f55, BerTlv.encode(emv));
        assertThrowsAnything(() -> BerTlv.decode(f55));
    }

    @Test
    void theReversalSubsetKeepsUnionPaysTagsInOrderAndNothingElse() {
        byte[] f55 = HEX.parseHex("9F36020042" + "5A0A6222021234567890123F" + "950500000480009F1E0831323334353637389F1003010203"
                + "57136222021234567890123D29122011234567800F" + "9F2608A1B2C3D4E5F60718");
        byte[] sub = IccData.reversalSubset(f55);
        assertEquals("950500000480009F10030102039F1E0831323334353637389F36020042", HEX.formatHex(sub));
        assertNull(IccData.reversalSubset(HEX.parseHex("9F2608A1B2C3D4E5F60718")), "none of the tags: no 55 at all");
        assertNull(IccData.reversalSubset(HEX.parseHex("9F26")), "malformed: none");
    }

    @Test
    void cardholderDataIsStripped() {
        byte[] f55 = HEX.parseHex("5A0A6222021234567890123F57136222021234567890123D29122011234567800F9F36020042");
        assertEquals("9F36020042", HEX.formatHex(IccData.withoutCardholderData(f55)));
    }

    @Test
    void malformedIsRefused() {
        for (String bad : new String[] {"9F2608A1", "9F", "9F2680", "9F268301", "7105" + "8603", ""}) {
            assertFalse(IccData.wellFormed(HEX.parseHex(bad)), bad);
        }
        assertTrue(IccData.wellFormed(HEX.parseHex("7105860384240000".substring(0, 14))));
    }

    private static void assertThrowsAnything(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException expected) {
            return;
        }
        throw new AssertionError("expected a failure");
    }
}
