package dev.posgate.crypto;

import static dev.posgate.crypto.V.h;
import static dev.posgate.crypto.V.hx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PinBlocksTest {
    private static final String PAN = "5555555551234567";

    /** Fixed bytes, for deterministic fill digits. */
    private static RandomSource fixed(int... values) {
        return n -> {
            byte[] b = new byte[n];
            for (int i = 0; i < n; i++) {
                b[i] = (byte) values[i % values.length];
            }
            return b;
        };
    }

    @Test
    void pan12() {
        assertEquals("987654321098", PinBlocks.pan12("43219876543210987"));
        assertEquals("555555123456", PinBlocks.pan12(PAN));
        assertEquals("123456789012", PinBlocks.pan12("1234567890123"));
        assertEquals("001234567890", PinBlocks.pan12("12345678901")); // short PAN: left-padded (ISO 9564-1)
        assertEquals("000001234567", PinBlocks.pan12("12345678"));
        assertEquals("789012345678", PinBlocks.pan12("1234567890123456789"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1234567", "12345678901234567890", "123456789012A", "1234567890123 ", "-123456789012"})
    void pan12RejectsBadPans(String pan) {
        assertThrows(IllegalArgumentException.class, () -> PinBlocks.pan12(pan));
    }

    // ---- format 0 ----

    /** hsm-reference.md / EFTlab BP-Tools example; psec test_pinblock.py vectors. */
    @ParameterizedTest
    @CsvSource({
        "1234, 43219876543210987, 0412AC89ABCDEF67",
        "1234, 5555555551234567, 041261AAAAEDCBA9",
        "123456789, 5555555551234567, 091261032D8DCBA9",
        "1234567890, 5555555551234567, 0A1261032D82CBA9",
        "123456789012, 5555555551234567, 0C1261032D8226A9",
    })
    void format0PublishedVectors(String pin, String pan, String block) {
        assertEquals(block, hx(PinBlocks.format0(pin, pan)));
        assertEquals(pin, PinBlocks.pinFromFormat0(h(block), pan));
        assertEquals(block, hx(PinBlocks.format0ForAccount(pin, PinBlocks.pan12(pan))));
        assertEquals(pin, PinBlocks.decode(PinBlocks.Format.ISO_0, h(block), PinBlocks.pan12(pan)));
    }

    /** psec decode_pinblock_iso_0 negative vectors. */
    @ParameterizedTest
    @ValueSource(strings = {
        "241261AAAAEDCBA9", // control field 2
        "0F1261AAAAEDCBA9", // PIN length 15
        "021261AAAAEDCBA9", // PIN length 2
        "041261AAAAEDCBAA", // filler not F
        "051261AAAAEDCBA9", // fifth PIN digit is F
    })
    void format0RejectsMalformedBlocks(String block) {
        assertThrows(PinBlockException.class, () -> PinBlocks.pinFromFormat0(h(block), PAN));
    }

    @Test
    void format0UnderTheWrongPanIsRejected() {
        byte[] block = PinBlocks.format0("1234", PAN);
        assertThrows(PinBlockException.class, () -> PinBlocks.pinFromFormat0(block, "4321987654321098"));
    }

    @Test
    void format0RoundTripsAllLengths() {
        String digits = "907856341201";
        for (int len = 4; len <= 12; len++) {
            String pin = digits.substring(0, len);
            assertEquals(pin, PinBlocks.pinFromFormat0(PinBlocks.format0(pin, "6212345678901234567"),
                    "6212345678901234567"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "123", "1234567890123", "12a4", "12 4", "١٢٣٤"})
    void rejectsBadPins(String pin) {
        assertThrows(IllegalArgumentException.class, () -> PinBlocks.format0(pin, PAN));
        assertThrows(IllegalArgumentException.class, () -> PinBlocks.format1(pin, RandomSource.secure()));
        assertThrows(IllegalArgumentException.class, () -> PinBlocks.format3(pin, PAN, RandomSource.secure()));
    }

    @Test
    void rejectsBadAccountAndBlockLength() {
        assertThrows(IllegalArgumentException.class, () -> PinBlocks.format0ForAccount("1234", "12345678901"));
        assertThrows(IllegalArgumentException.class, () -> PinBlocks.format0ForAccount("1234", "1234567890123"));
        assertThrows(IllegalArgumentException.class, () -> PinBlocks.format0ForAccount("1234", "12345678901A"));
        assertThrows(IllegalArgumentException.class, () -> PinBlocks.pinFromFormat0(new byte[7], PAN));
        assertThrows(IllegalArgumentException.class, () -> PinBlocks.pinFromFormat3(new byte[9], PAN));
        assertThrows(NullPointerException.class, () -> PinBlocks.format0(null, PAN));
    }

    // ---- format 3 ----

    /** IBM "ISO Format 3" documentation example: IPB 36123456AFBECDDC XOR 0000222333444555. */
    @Test
    void format3IbmExample() {
        // bytes 0,5,1,4,2,3,3,2 map to fill digits A,F,B,E,C,D,D,C
        byte[] block = PinBlocks.format3ForAccount("123456", "222333444555", fixed(0, 5, 1, 4, 2, 3, 3, 2));
        assertEquals("361216759CFA8889", hx(block));
        assertEquals("123456", PinBlocks.pinFromFormat3ForAccount(h("361216759CFA8889"), "222333444555"));
    }

    /** psec decode_pinblock_iso_3 vectors. */
    @ParameterizedTest
    @CsvSource({
        "1234, 341261AAAAEDCBA9",
        "123456789, 391261032D8DCBA9",
        "1234567890, 3A1261032D82CBA9",
        "123456789012, 3C1261032D8226A9",
    })
    void format3PublishedDecodes(String pin, String block) {
        assertEquals(pin, PinBlocks.pinFromFormat3(h(block), PAN));
        assertEquals(pin, PinBlocks.decode(PinBlocks.Format.ISO_3, h(block), PinBlocks.pan12(PAN)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "241261AAAAEDCBA9", // control field 2
        "041261AAAAEDCBA9", // a format 0 block
        "3F1261AAAAEDCBA9", // PIN length 15
        "321261AAAAEDCBA9", // PIN length 2
        "341261AAAAEDCBA2", // a fill digit is 4
        "351261AAAAEDCBA9", // fifth PIN digit is F
    })
    void format3RejectsMalformedBlocks(String block) {
        assertThrows(PinBlockException.class, () -> PinBlocks.pinFromFormat3(h(block), PAN));
    }

    @Test
    void format3FillIsRandomAtoF() {
        RandomSource rnd = RandomSource.secure();
        byte[] a = PinBlocks.format3("1234", PAN, rnd);
        byte[] b = PinBlocks.format3("1234", PAN, rnd);
        assertNotEquals(hx(a), hx(b)); // 10 fill digits: collision chance 6^-10
        for (int n = 0; n < 200; n++) {
            byte[] block = PinBlocks.format3("1234", PAN, rnd);
            String clear = hx(PinBlocks.format0ForAccount("1234", PinBlocks.pan12(PAN))); // same PAN XOR
            String ipb = xorHex(hx(block), xorHex(clear, "041234FFFFFFFFFF"));
            assertTrue(ipb.startsWith("341234"), ipb);
            assertTrue(ipb.substring(6).chars().allMatch(c -> c >= 'A' && c <= 'F'), ipb);
            assertEquals("1234", PinBlocks.pinFromFormat3(block, PAN));
        }
    }

    @Test
    void format3RejectsDegenerateRandomSource() {
        assertThrows(CryptoException.class, () -> PinBlocks.format3("1234", PAN, fixed(0xFF)));
    }

    // ---- format 1 ----

    @Test
    void format1() {
        byte[] block = PinBlocks.format1("1234", fixed(0x1A, 0x2B, 0x3C));
        assertEquals("141234ABCABCABCA", hx(block));
        assertEquals("1234", PinBlocks.pinFromFormat1(block));
        assertEquals("1234", PinBlocks.decode(PinBlocks.Format.ISO_1, block, null));
        assertEquals("123456789012", PinBlocks.pinFromFormat1(h("1C12345678901234")));
        assertThrows(PinBlockException.class, () -> PinBlocks.pinFromFormat1(h("041234FFFFFFFFFF")));
        assertThrows(PinBlockException.class, () -> PinBlocks.pinFromFormat1(h("1412A4FFFFFFFFFF")));
        assertThrows(PinBlockException.class, () -> PinBlocks.pinFromFormat1(h("13123FFFFFFFFFFF")));
    }

    @Test
    void encodeByFormat() {
        String account = PinBlocks.pan12(PAN);
        for (PinBlocks.Format f : PinBlocks.Format.values()) {
            byte[] block = PinBlocks.encode(f, "87654321", account, RandomSource.secure());
            assertEquals("87654321", PinBlocks.decode(f, block, account), f.name());
        }
    }

    private static String xorHex(String a, String b) {
        byte[] x = h(a);
        byte[] y = h(b);
        for (int i = 0; i < x.length; i++) {
            x[i] ^= y[i];
        }
        return hx(x);
    }
}
