package dev.posgate.iso8583.pos;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static dev.posgate.iso8583.TestHex.bytes;
import static dev.posgate.iso8583.TestHex.concat;
import static dev.posgate.iso8583.TestHex.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MacBlockTest {

    @Test
    void macBlockOfTheHandBuiltPurchaseIsMtiThroughField60() {
        byte[] body = PosVectorsTest.PURCHASE_0200;
        // independent: by construction the vector is 11 bytes TPDU+header, the MAB, then 8 MAC bytes
        byte[] expected = Arrays.copyOfRange(body, 11, body.length - 8);
        assertEquals("0200", hex(Arrays.copyOf(expected, 2)));
        assertEquals("A1A2A3A4A5A6A7A8", hex(Arrays.copyOfRange(body, body.length - 8, body.length)));
        assertArrayEquals(expected, MacBlock.of(body));
        assertEquals(body.length - 8, MacBlock.macOffset(body));
        assertArrayEquals(bytes("A1A2A3A4A5A6A7A8"), MacBlock.mac(body));
    }

    @Test
    void macBlockMatchesAnIndependentComputationOnRandomMessages() {
        RandomMessages r = new RandomMessages(64);
        for (int n = 0; n < 300; n++) {
            PosMessage m = r.message(true);
            byte[] packed = m.pack();
            // independent: pack the same message without field 64, drop TPDU+header, set bit 64
            PosMessage noMac = PosMessage.unpack(packed).unset(64);
            byte[] p2 = noMac.pack();
            byte[] expected = Arrays.copyOfRange(p2, 11, p2.length);
            expected[2 + 7] |= 0x01; // last bitmap byte, bit 64
            assertEquals(hex(expected), hex(MacBlock.of(packed)));
        }
    }

    @Test
    void messageWithoutField64HasNoMacBlock() {
        PosFormatException e = assertThrows(PosFormatException.class, () -> MacBlock.of(PosVectorsTest.SIGN_ON_0800));
        assertEquals(PosFormatException.Reason.NO_MAC, e.reason());
        assertEquals(64, e.field());
    }

    @Test
    void bytesAfterField64AreRefused() {
        byte[] body = concat(PosVectorsTest.PURCHASE_0200, bytes("00"));
        assertEquals(PosFormatException.Reason.TRAILING_BYTES,
                assertThrows(PosFormatException.class, () -> MacBlock.of(body)).reason());
    }

    @Test
    void truncatedOrMalformedBeforeField64IsAFormatError() {
        byte[] cut = Arrays.copyOf(PosVectorsTest.PURCHASE_0200, PosVectorsTest.PURCHASE_0200.length - 1);
        assertEquals(PosFormatException.Reason.TRUNCATED,
                assertThrows(PosFormatException.class, () -> MacBlock.of(cut)).reason());
        byte[] bad = PosVectorsTest.PURCHASE_0200.clone();
        bad[11 + 10 + 1] = (byte) 0xAB; // inside the PAN
        assertEquals(PosFormatException.Reason.BAD_BCD,
                assertThrows(PosFormatException.class, () -> MacBlock.of(bad)).reason());
        assertEquals(PosFormatException.Reason.BAD_TPDU,
                assertThrows(PosFormatException.class, () -> MacBlock.of(new byte[3])).reason());
    }

    @Test
    void writeMacFillsAPlaceholderInPlace() {
        PosMessage m = PosMessage.unpack(PosVectorsTest.PURCHASE_0200).set(64, new byte[8]);
        byte[] body = m.pack();
        byte[] mabBefore = MacBlock.of(body);
        MacBlock.writeMac(body, bytes("0102030405060708"));
        assertArrayEquals(mabBefore, MacBlock.of(body), "the MAB does not cover the MAC");
        assertEquals("0102030405060708", PosMessage.unpack(body).field(64));
        assertThrows(IllegalArgumentException.class, () -> MacBlock.writeMac(body, new byte[4]));
    }
}
