package dev.posgate.iso8583.pos;

import org.junit.jupiter.api.Test;

import static dev.posgate.iso8583.TestHex.ascii;
import static dev.posgate.iso8583.TestHex.bytes;
import static dev.posgate.iso8583.TestHex.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Frames built byte by byte from protocol.md section 2: each decodes to the expected values and packs back
 * to exactly the same bytes; building the same message through the API also gives exactly these bytes.
 */
class PosVectorsTest {

    static final String TPDU_REQ = "60 0003 0000";          // TPDU: id 60, destination 0003, source 0000
    static final String TPDU_RSP = "60 0000 0003";          // response: destination and source swapped
    static final String HEADER = "60 22 00 000001";         // app type 60, sw version 22, status 0,
                                                            // processing requirement 0, sub-version 000001
    static final String F41 = ascii("12345678");            // 41 ans8 terminal id
    static final String F42 = ascii("123456789012345");     // 42 ans15 merchant id

    /** Sign-on, double-length PIK and MAK: 0800, 60.1 = 00, 60.3 = 003. */
    static final byte[] SIGN_ON_0800 = bytes(
            TPDU_REQ,
            HEADER,
            "08 00",                    // MTI 0800, n4 BCD
            "00 20 00 00 00 C0 00 12",  // bitmap: 11 | 41 42 | 60 63
            "00 00 01",                 // 11 STAN n6: 000001
            F41,                        // 41
            F42,                        // 42
            "00 11 00 00 00 01 00 30",  // 60 LLLVAR n..17: len 011 (BCD 0011), "00"+"000001"+"003" + pad 0
            "00 03", ascii("001"));     // 63 LLLVAR ans..163: len 003, operator "001"

    /** Echo test: 0820, 60.3 = 301. */
    static final byte[] ECHO_0820 = bytes(
            TPDU_REQ,
            HEADER,
            "08 20",                    // MTI 0820
            "00 20 00 00 00 C0 00 10",  // bitmap: 11 | 41 42 | 60
            "00 00 02",                 // 11: 000002
            F41, F42,
            "00 11 00 00 00 01 30 10"); // 60: len 011, "00"+"000001"+"301" + pad 0

    static final String F62_KEYS =
            "11111111 11111111 22222222 22222222" // PIK under TMK (16)
                    + " 0A0B0C0D"                  // PIK KCV (4)
                    + " 33333333 33333333 44444444 44444444" // MAK under TMK (16)
                    + " 1A1B1C1D";                 // MAK KCV (4)

    /** Sign-on response, field 62 of 40 bytes (003: PIK(16) KCV(4) MAK(16) KCV(4)). */
    static final byte[] SIGN_ON_0810 = bytes(
            TPDU_RSP,
            HEADER,
            "08 10",                    // MTI 0810
            "00 38 00 01 0A C0 00 14",  // bitmap: 11 12 13 | 32 | 37 39 | 41 42 | 60 62
            "00 00 01",                 // 11: 000001
            "15 30 45",                 // 12 hhmmss: 153045
            "03 14",                    // 13 MMDD: 0314
            "11 12 34 56 78 90 10",     // 32 LLVAR n..11: len 11, "12345678901" left-aligned + pad 0
            ascii("123456789012"),      // 37 an12 RRN
            ascii("00"),                // 39 an2 response code
            F41, F42,
            "00 11 00 00 00 01 00 30",  // 60: "00000001003"
            "00 40", F62_KEYS);         // 62 LLLVAR b..512: len 040 (BCD), 40 bytes

    /** Purchase 0200 with fields 2 (odd PAN), 3, 4, 11, 14, 22, 25, 26, 35, 49, 52, 53, 60, 64. */
    static final byte[] PURCHASE_0200 = bytes(
            TPDU_REQ,
            HEADER,
            "02 00",                    // MTI 0200
            "70 24 04 C0 20 00 98 11",  // bitmap: 2 3 4 | 11 14 | 22 | 25 26 | 35 | 49 52 53 | 60 64
            "19 62 25 88 01 12 34 56 78 90 10", // 2 LLVAR n..19: len 19, PAN + trailing pad nibble 0
            "00 00 00",                 // 3 processing code: 000000
            "00 00 00 01 00 00",        // 4 amount n12: 000000010000 (100.00)
            "00 01 23",                 // 11 STAN: 000123
            "25 12",                    // 14 expiry YYMM: 2512
            "05 10",                    // 22 n3 left-aligned: "051" + trailing 0
            "00",                       // 25 n2: 00
            "12",                       // 26 n2: 12
            "31 62 25 88 01 12 34 56 78 90 1D 25 12 10 10 00 00", // 35 LLVAR z..37: len 31, D = '=', pad 0
            ascii("156"),               // 49 an3 currency
            "11 22 33 44 55 66 77 88",  // 52 b8 PIN block
            "26 00 00 00 00 00 00 00",  // 53 n16: 2600000000000000
            "00 11 22 00 00 01 00 00",  // 60: "22"+"000001"+"000" + pad 0
            "A1 A2 A3 A4 A5 A6 A7 A8"); // 64 b8 MAC

    static final String PAN = "6225880112345678901";
    static final String TRACK2 = "6225880112345678901=25121010000";

    private static AppHeader header() {
        return new AppHeader(60, 22, 0, 0, 1);
    }

    private static void assertRoundTrip(byte[] wire) {
        PosMessage m = PosMessage.unpack(wire);
        assertEquals(hex(wire), hex(m.pack()), "re-pack must give the same bytes");
        byte[] frame = m.packFrame();
        assertEquals(wire.length, ((frame[0] & 0xFF) << 8) | (frame[1] & 0xFF));
        assertEquals(hex(wire), hex(java.util.Arrays.copyOfRange(frame, 2, frame.length)));
    }

    @Test
    void signOn0800() {
        PosMessage m = PosMessage.unpack(SIGN_ON_0800);
        assertEquals(new Tpdu(0x0003, 0x0000), m.tpdu());
        assertEquals(header(), m.header());
        assertEquals("0800", m.mti());
        assertTrue(m.isRequest());
        assertEquals("000001", m.field(11));
        assertEquals("12345678", m.field(41));
        assertEquals("123456789012345", m.field(42));
        assertEquals("00000001003", m.field(60));
        assertEquals(new Field60("00", "000001", "003"), m.field60());
        assertEquals("001", m.field(63));
        assertFalse(m.has(64));
        assertRoundTrip(SIGN_ON_0800);

        PosMessage built = PosMessage.create(new Tpdu(3, 0), header(), "0800")
                .set(11, "000001").set(41, "12345678").set(42, "123456789012345")
                .set(new Field60("00", "000001", "003")).set(63, "001");
        assertEquals(hex(SIGN_ON_0800), hex(built.pack()));
    }

    @Test
    void echo0820() {
        PosMessage m = PosMessage.unpack(ECHO_0820);
        assertEquals("0820", m.mti());
        assertEquals("301", m.field60().networkMgmtCode());
        assertEquals("00", m.field60().typeCode());
        assertEquals("000001", m.field60().batch());
        assertEquals("000002", m.field(11));
        assertRoundTrip(ECHO_0820);
    }

    @Test
    void signOnResponse0810WithFortyByteField62() {
        PosMessage m = PosMessage.unpack(SIGN_ON_0810);
        assertEquals("0810", m.mti());
        assertFalse(m.isRequest());
        assertEquals(new Tpdu(0x0000, 0x0003), m.tpdu());
        assertEquals("153045", m.field(12));
        assertEquals("0314", m.field(13));
        assertEquals("12345678901", m.field(32));
        assertEquals("123456789012", m.field(37));
        assertEquals("00", m.field(39));
        byte[] f62 = m.binary(62);
        assertEquals(40, f62.length);
        assertArrayEquals(bytes(F62_KEYS), f62);
        assertEquals(hex(bytes(F62_KEYS)), m.field(62), "b fields render as hex");
        assertRoundTrip(SIGN_ON_0810);

        // the reply helper + the response fields give exactly this frame
        PosMessage reply = PosMessage.unpack(SIGN_ON_0800).reply(ProcessingRequirement.NONE, 60)
                .set(12, "153045").set(13, "0314").set(32, "12345678901").set(37, "123456789012")
                .set(39, "00").set(62, bytes(F62_KEYS));
        assertEquals(hex(SIGN_ON_0810), hex(reply.pack()));
    }

    @Test
    void purchase0200() {
        PosMessage m = PosMessage.unpack(PURCHASE_0200);
        assertEquals("0200", m.mti());
        assertEquals(PAN, m.field(2));
        assertEquals("000000", m.field(3));
        assertEquals("000000010000", m.field(4));
        assertEquals("000123", m.field(11));
        assertEquals("2512", m.field(14));
        assertEquals("051", m.field(22));
        assertEquals("00", m.field(25));
        assertEquals("12", m.field(26));
        assertEquals(TRACK2, m.field(35));
        assertEquals("156", m.field(49));
        assertArrayEquals(bytes("1122334455667788"), m.binary(52));
        assertEquals("2600000000000000", m.field(53));
        assertEquals(new Field60("22", "000001", "000"), m.field60());
        assertArrayEquals(bytes("A1A2A3A4A5A6A7A8"), m.binary(64));
        assertRoundTrip(PURCHASE_0200);

        PosMessage built = PosMessage.create(new Tpdu(3, 0), header(), "0200")
                .set(2, PAN).set(3, "000000").set(4, "000000010000").set(11, "000123").set(14, "2512")
                .set(22, "051").set(25, "00").set(26, "12").set(35, TRACK2).set(49, "156")
                .set(52, bytes("1122334455667788")).set(53, "2600000000000000")
                .set(60, "22000001000").set(64, bytes("A1A2A3A4A5A6A7A8"));
        assertEquals(hex(PURCHASE_0200), hex(built.pack()));
    }

    @Test
    void toStringMasksSensitiveFields() {
        String s = PosMessage.unpack(PURCHASE_0200).toString();
        assertTrue(s.contains("2=622588*********8901"), s);
        assertFalse(s.contains("6225880112345678901"), s);
        assertFalse(s.contains("1122334455667788"), s);
        assertFalse(s.contains("25121010000"), s);
        assertTrue(s.contains("35=[31 masked]"), s);
    }
}
