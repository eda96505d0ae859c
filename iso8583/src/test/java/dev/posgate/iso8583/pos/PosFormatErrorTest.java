package dev.posgate.iso8583.pos;

import dev.posgate.iso8583.pos.PosFormatException.Reason;
import org.junit.jupiter.api.Test;

import static dev.posgate.iso8583.TestHex.ascii;
import static dev.posgate.iso8583.TestHex.bytes;
import static dev.posgate.iso8583.TestHex.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Format errors after TPDU, header, MTI and bitmap (protocol.md 2.1): the exception carries what parsed
 * (MTI, and 11/41/42 when they can be located) so the gateway can answer the response MTI with 39 = 30 and
 * no MAC, keeping the connection; bytes that cannot be attributed carry nothing.
 */
class PosFormatErrorTest {
    private static final String PREFIX = "60 0003 0000  60 31 00 31 FF F1";
    private static final String F41 = ascii("12345678");
    private static final String F42 = ascii("123456789012345");

    private static PosFormatException fail(String... hex) {
        return assertThrows(PosFormatException.class, () -> PosMessage.unpack(bytes(hex)));
    }

    @Test
    void aBadDigitInAFixedFieldStillYields11And41And42AfterIt() {
        // 0200 with 4 (amount, one nibble A), 11, 41, 42: 4 has a known length, so the rest is located
        PosFormatException e = fail(PREFIX, "0200", "3020000000C00000",
                "000000", "00000000010A", "000123", F41, F42);
        assertEquals(Reason.BAD_BCD, e.reason());
        assertEquals(4, e.field());
        assertTrue(e.attributable());
        PosMessage p = e.partial();
        assertEquals("0200", p.mti());
        assertEquals("000000", p.field(3));
        assertNull(p.field(4));
        assertEquals("000123", p.field(11));
        assertEquals("12345678", p.field(41));
        assertEquals("123456789012345", p.field(42));
    }

    @Test
    void theAnswerIsTheResponseMtiWith30NoMacAndTheHeaderEchoed() {
        PosFormatException e = fail(PREFIX, "0200", "3020000000C00001",
                "000000", "00000000010A", "000123", F41, F42, "0102030405060708");
        PosMessage answer = e.partial().reply(ProcessingRequirement.NONE).set(39, "30");
        byte[] wire = answer.pack();
        assertEquals(hex(bytes("60 0000 0003  60 31 00 31 FF F1", "0210", "0020000002C00000", "000123",
                ascii("30"), F41, F42)), hex(wire));
        assertFalse(PosMessage.unpack(wire).has(64));
    }

    @Test
    void aBadLengthPrefixHidesTheFieldsAfterItButKeepsThoseBefore() {
        // 11, then 35 with length prefix 3A (not BCD), then 41 and 42 that cannot be located any more
        PosFormatException e = fail(PREFIX, "0200", "0020000020C00000", "000123", "3A 1234", F41, F42);
        assertEquals(Reason.BAD_BCD, e.reason());
        assertEquals(35, e.field());
        assertEquals("000123", e.partial().field(11));
        assertFalse(e.partial().has(41));
        assertFalse(e.partial().has(42));
    }

    @Test
    void aLengthAboveTheMaximumIsAFormatErrorOfThatField() {
        // 62 announces 3330 bytes (a vendor without the LLL prefix, see the real-traffic corpus)
        PosFormatException e = fail(PREFIX, "0800", "0020000000000004", "000062", "3330 53657175");
        assertEquals(Reason.FIELD_TOO_LONG, e.reason());
        assertEquals(62, e.field());
        assertEquals("000062", e.partial().field(11));
    }

    @Test
    void aTruncatedMessageKeepsWhatCameBeforeTheCut() {
        PosFormatException e = fail(PREFIX, "0800", "0000000000C00010", F41, F42, "0011 0000010040");
        assertEquals(Reason.TRUNCATED, e.reason());
        assertEquals(60, e.field());
        assertEquals("12345678", e.partial().field(41));
        assertEquals("123456789012345", e.partial().field(42));
    }

    @Test
    void bytesAfterTheLastFieldAreAttributableWithEveryField() {
        PosFormatException e = fail(PREFIX, "0800", "0020000000C00000", "000001", F41, F42, "00");
        assertEquals(Reason.TRAILING_BYTES, e.reason());
        assertEquals("000001", e.partial().field(11));
        assertEquals("123456789012345", e.partial().field(42));
    }

    @Test
    void aSecondaryBitmapIsAttributableWithTheMtiOnly() {
        PosFormatException e = fail(PREFIX, "0200", "8000000000000000", "0000000000000000");
        assertEquals(Reason.SECONDARY_BITMAP, e.reason());
        assertEquals("0200", e.partial().mti());
        assertEquals("0210", e.partial().reply(0).mti());
    }

    @Test
    void aResponseWithABadFieldIsAttributableButIsNoRequest() {
        PosFormatException e = fail(PREFIX, "0210", "1020000000000000", "00000000010A", "000123");
        assertTrue(e.attributable());
        assertFalse(e.partial().isRequest());
        assertEquals("000123", e.partial().field(11));
    }

    @Test
    void whatCannotBeAttributedCarriesNothing() {
        assertFalse(fail("61 0003 0000  60 31 00 31 FF F1 0800 0020000000000000 000001").attributable()); // TPDU
        assertFalse(fail("60 0003 0000  60 31 00").attributable());                                      // header
        assertFalse(fail(PREFIX, "08A0", "0020000000000000", "000001").attributable());                  // MTI
        assertFalse(fail(PREFIX, "0800", "00200000").attributable());                                    // bitmap cut
        assertNull(fail(PREFIX, "08").partial());
    }

    @Test
    void aValueRefusedWhenPackingIsNoReceivedMessage() {
        PosMessage m = PosMessage.create(new Tpdu(1, 2), new AppHeader(60, 31, 0, 0, 1), "0200");
        m.iso().set(11, "12A");
        assertFalse(assertThrows(PosFormatException.class, m::pack).attributable());
    }
}
