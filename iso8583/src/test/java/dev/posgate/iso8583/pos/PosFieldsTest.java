package dev.posgate.iso8583.pos;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;

import static dev.posgate.iso8583.TestHex.ascii;
import static dev.posgate.iso8583.TestHex.bytes;
import static dev.posgate.iso8583.TestHex.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every field of the protocol.md table: exact bytes per field, round trips, maxima. */
class PosFieldsTest {
    private static final Tpdu TPDU = new Tpdu(1, 2);
    private static final AppHeader HEADER = new AppHeader(60, 1, 0, 0, 0);
    private static final int ISO_START = 11 + 2 + 8; // TPDU + header + MTI + bitmap

    /** Packs a message holding only {@code field}; returns the field's bytes. */
    private static String fieldBytes(int field, Object value) {
        PosMessage m = PosMessage.create(TPDU, HEADER, "0200");
        RandomMessages.set(m, field, value);
        byte[] body = m.pack();
        return hex(Arrays.copyOfRange(body, ISO_START, body.length));
    }

    @ParameterizedTest(name = "field {0} = {1}")
    @CsvSource(delimiter = '|', value = {
            // field | value                       | exact wire bytes (prefix + data)
            "2  | 4761739001010119                 | 16 4761739001010119",
            "2  | 476173900101011                  | 15 4761739001010110",   // odd PAN: trailing 0 nibble
            "3  | 310000                           | 310000",
            "4  | 000000012345                     | 000000012345",
            "11 | 000123                           | 000123",
            "12 | 235959                           | 235959",
            "13 | 1231                             | 1231",
            "14 | 2912                             | 2912",
            "15 | 0101                             | 0101",
            "22 | 021                              | 0210",                  // n3 left-aligned, trailing 0
            "23 | 001                              | 0001",                  // n3 right-aligned, leading 0
            "25 | 82                               | 82",
            "26 | 06                               | 06",
            "32 | 1234567                          | 07 12345670",           // LLVAR n odd: left-aligned
            "35 | 6222=2512                        | 09 6222D25120",         // z: '=' is nibble D
            "36 | 996222=12                        | 0009 996222D120",       // LLLVAR z
            "48 | 123                              | 0003 1230",             // LLLVAR n..322 left-aligned
            "53 | 2600000000000000                 | 2600000000000000",
            "60 | 22000001000                      | 0011 220000010000",     // 11 digits, trailing 0
            "60 | 2200000100050                    | 0013 22000001000500",   // 60.1-60.3 + 2 more digits
            "61 | 000001000123                     | 0012 000001000123",
    })
    void numericFieldBytes(int field, String value, String wire) {
        String expected = wire.replace(" ", "");
        assertEquals(expected, fieldBytes(field, value));
        PosMessage m = PosMessage.create(TPDU, HEADER, "0200").set(field, value);
        assertEquals(value, PosMessage.unpack(m.pack()).field(field));
    }

    @Test
    void characterAndBinaryFieldBytes() {
        assertEquals(ascii("ABC123XYZ789"), fieldBytes(37, "ABC123XYZ789"));
        assertEquals(ascii("A1B2C3"), fieldBytes(38, "A1B2C3"));
        assertEquals(ascii("A0"), fieldBytes(39, "A0"));
        assertEquals(ascii("T0000001"), fieldBytes(41, "T0000001"));
        assertEquals(ascii("M00000000000001"), fieldBytes(42, "M00000000000001"));
        assertEquals("11" + ascii("ISSUER 0123"), fieldBytes(44, "ISSUER 0123")); // LLVAR an: BCD 11 bytes
        assertEquals(ascii("156"), fieldBytes(49, "156"));
        assertEquals("0102030405060708", fieldBytes(52, bytes("0102030405060708")));
        assertEquals("0005" + "9F27018000", fieldBytes(55, bytes("9F27018000"))); // LLLVAR b: BCD 005 bytes
        assertEquals("0003" + "010203", fieldBytes(62, bytes("010203")));
        assertEquals("0163" + ascii("x".repeat(163)), fieldBytes(63, "x".repeat(163)));
        assertEquals("A1A2A3A4A5A6A7A8", fieldBytes(64, bytes("A1A2A3A4A5A6A7A8")));
    }

    @Test
    void fixedFieldsArePaddedTheJposWay() {
        assertEquals("000000000001", fieldBytes(4, "1"));          // n: leading zeros
        assertEquals("0510", fieldBytes(22, "51"));                 // n3 left-aligned: "051" then pad
        assertEquals(ascii("T1      "), fieldBytes(41, "T1"));      // ans: trailing spaces
    }

    @Test
    void characterFieldsRoundTripEveryByteValue() {
        // ISO-8859-1 literal interpretation: a GBK operator name in 63 survives untouched
        byte[] raw = new byte[163];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (byte) (i + 0x60);
        }
        String s = new String(raw, java.nio.charset.StandardCharsets.ISO_8859_1);
        PosMessage m = PosMessage.unpack(PosMessage.create(TPDU, HEADER, "0810").set(63, s).pack());
        assertArrayEquals(raw, m.binary(63));
    }

    @Test
    void everyFieldTogetherRoundTripsWithMaximumLengths() {
        PosMessage m = PosMessage.create(TPDU, HEADER, "0200");
        int count = 0;
        for (int i = 2; i <= 64; i++) {
            PosFieldPackager f = PosPackager.INSTANCE.field(i);
            if (f == null) {
                continue;
            }
            count++;
            int len = f.getLength();
            switch (f.kind()) {
                case N: m.set(i, "1234567890".repeat(40).substring(0, len)); break;
                case Z: m.set(i, ("123456789=".repeat(11)).substring(0, len)); break;
                case ANS: m.set(i, "A-Z /az#".repeat(125).substring(0, len)); break;
                default: {
                    byte[] b = new byte[len];
                    for (int k = 0; k < len; k++) {
                        b[k] = (byte) (k * 7 + i);
                    }
                    m.set(i, b);
                }
            }
        }
        assertEquals(63, count, "every field of UnionPay's POS table, 2-64, is defined");
        byte[] packed = m.pack();
        PosMessage back = PosMessage.unpack(packed);
        for (int i = 2; i <= 64; i++) {
            if (m.has(i)) {
                assertEquals(m.field(i), back.field(i), "field " + i);
            } else {
                assertTrue(!back.has(i));
            }
        }
        assertEquals(hex(packed), hex(back.pack()));
    }

    @Test
    void randomMessagesRoundTrip() {
        RandomMessages r = new RandomMessages(7);
        for (int n = 0; n < 300; n++) {
            PosMessage m = r.message(n % 2 == 0);
            byte[] packed = m.pack();
            PosMessage back = PosMessage.unpack(packed);
            assertEquals(m.mti(), back.mti());
            assertEquals(m.tpdu(), back.tpdu());
            assertEquals(m.header(), back.header());
            for (int i = 2; i <= 64; i++) {
                assertEquals(m.field(i), back.field(i), "field " + i);
            }
            assertEquals(hex(packed), hex(back.pack()));
        }
    }

    @Test
    void valuesAboveTheMaximumAreRefusedWhenSet() {
        assertEquals(PosFormatException.Reason.BAD_VALUE,
                assertThrows(PosFormatException.class, () -> msg().set(2, "1".repeat(20))).reason());
        assertThrows(PosFormatException.class, () -> msg().set(60, "1".repeat(18)));
        assertThrows(PosFormatException.class, () -> msg().set(62, new byte[513]));
        assertThrows(PosFormatException.class, () -> msg().set(55, new byte[256]));
        assertThrows(PosFormatException.class, () -> msg().set(63, "x".repeat(164)));
        assertThrows(PosFormatException.class, () -> msg().set(48, "1".repeat(323)));
        assertThrows(PosFormatException.class, () -> msg().set(52, new byte[7]), "b8 is exactly 8");
        assertThrows(PosFormatException.class, () -> msg().set(41, "123456789"));
    }

    @Test
    void valuesOutsideTheCharsetAreRefusedWhenSet() {
        PosFormatException e = assertThrows(PosFormatException.class, () -> msg().set(11, "12A4X6"));
        assertEquals(11, e.field());
        assertEquals("BAD_VALUE", e.label());
        assertThrows(PosFormatException.class, () -> msg().set(2, "6222=1"), "'=' only in z fields");
        assertThrows(PosFormatException.class, () -> msg().set(35, "6222D2512"), "track separator is '='");
        assertThrows(PosFormatException.class, () -> msg().set(63, "\u4e2d"), "beyond ISO-8859-1");
        assertThrows(PosFormatException.class, () -> msg().set(52, "12345678"), "b field needs bytes");
        assertThrows(PosFormatException.class, () -> msg().set(11, new byte[3]), "n field needs a String");
        assertThrows(PosFormatException.class, () -> msg().set(5, "1A"), "field 5 is n12");
        assertThrows(PosFormatException.class, () -> msg().set(35, "6222G2512"), "G is no nibble");
        assertThrows(PosFormatException.class, () -> msg().mti("800"));
        assertThrows(PosFormatException.class, () -> msg().mti("08A0"));
    }

    @Test
    void packRevalidatesValuesPutStraightIntoTheIsoMsg() {
        PosMessage m = msg();
        m.iso().set(11, "12A");
        assertEquals(PosFormatException.Reason.BAD_VALUE, assertThrows(PosFormatException.class, m::pack).reason());
        PosMessage m2 = msg();
        m2.iso().set(70, "001");
        PosFormatException e = assertThrows(PosFormatException.class, m2::pack);
        assertEquals(70, e.field());
        PosMessage m3 = msg();
        m3.iso().set(5, "00000000000A");
        assertEquals(5, assertThrows(PosFormatException.class, m3::pack).field());
    }

    @Test
    void absentFieldsAndUnset() {
        PosMessage m = msg().set(11, "000001").set(52, bytes("0102030405060708"));
        assertNull(m.field(12));
        assertNull(m.binary(12));
        assertNull(m.field60());
        m.unset(11, 52);
        assertTrue(!m.has(11) && !m.has(52));
        m.set(11, (String) null);
        assertNotNull(m.pack());
    }

    @Test
    void binaryValuesAreCopied() {
        byte[] pin = bytes("0102030405060708");
        PosMessage m = msg().set(52, pin);
        pin[0] = 9;
        assertEquals("0102030405060708", m.field(52));
        m.binary(52)[0] = 9;
        assertEquals("0102030405060708", m.field(52));
    }

    private static PosMessage msg() {
        return PosMessage.create(TPDU, HEADER, "0200");
    }
}
