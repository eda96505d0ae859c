package dev.posgate.iso8583.pos;

import dev.posgate.iso8583.pos.PosFormatException.Reason;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static dev.posgate.iso8583.TestHex.bytes;
import static dev.posgate.iso8583.TestHex.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/** Malformed POS messages: every one is a PosFormatException with the right reason and field. */
class PosMalformedTest {
    private static final String PREFIX = "60 0003 0000  60 22 00 000001"; // TPDU + header

    private static PosFormatException reject(Reason reason, int field, String... hex) {
        byte[] body = bytes(hex);
        PosFormatException e = assertThrows(PosFormatException.class, () -> PosMessage.unpack(body));
        assertEquals(reason, e.reason(), e.getMessage());
        assertEquals(field, e.field(), e.getMessage());
        assertEquals(reason.name(), e.label());
        return e;
    }

    @Test
    void invalidBcdInAnNField() {
        reject(Reason.BAD_BCD, 11, PREFIX, "0800", "0020000000000000", "00 0A 01"); // STAN 000A01
    }

    @Test
    void invalidBcdInTheMti() {
        reject(Reason.BAD_BCD, 0, PREFIX, "0A00", "0020000000000000", "000001");
    }

    @Test
    void invalidBcdInALengthPrefix() {
        reject(Reason.BAD_BCD, 2, PREFIX, "0200", "4000000000000000", "1A 1234");
        reject(Reason.BAD_BCD, 60, PREFIX, "0800", "0000000000000010", "00 1F 00000001 0030");
    }

    @Test
    void separatorNibbleOnlyInTrackFields() {
        // D inside the PAN (n) is refused, inside track 2 (z) it is '='; other hex nibbles are kept in z
        // (an encrypted track, 53.3 = 1, is TDES output in the packed layout) and repack byte-exact
        reject(Reason.BAD_BCD, 2, PREFIX, "0200", "4000000000000000", "04 62D2");
        assertEquals("62=2", PosMessage.unpack(bytes(PREFIX, "0200", "0000000020000000", "04 62D2")).field(35));
        byte[] encrypted = bytes(PREFIX, "0200", "0000000020000000", "07 6A2FE1B0");
        PosMessage m = PosMessage.unpack(encrypted);
        assertEquals("6A2FE1B", m.field(35));
        assertEquals(hex(encrypted), hex(m.pack()));
    }

    @Test
    void padNibbleMustBeZero() {
        reject(Reason.BAD_BCD, 2, PREFIX, "0200", "4000000000000000", "03 123F");       // F-padded PAN
        reject(Reason.BAD_BCD, 23, PREFIX, "0200", "0000020000000000", "1001");          // n3 right-aligned
        reject(Reason.BAD_BCD, 22, PREFIX, "0200", "0000040000000000", "0511");          // n3 left-aligned
    }

    @Test
    void bitmapWithBitOneSetIsRefused() {
        PosFormatException e = reject(Reason.SECONDARY_BITMAP, 1,
                PREFIX, "0200", "8000000000000000", "0000000000000000");
        assertEquals(true, e.getMessage().contains("primary"));
    }

    @Test
    void everyFieldOfTheTableIsDefinedSoNoneIsUnknown() {
        // fields 5 and 40 were refused as unknown before the whole UnionPay table was defined
        assertEquals("000000000001", PosMessage.unpack(bytes(PREFIX, "0200", "0800000000000000", "000000000001")).field(5));
        assertEquals("000", PosMessage.unpack(bytes(PREFIX, "0200", "0000000001000000", "303030")).field(40));
    }

    @Test
    void llvarLengthAboveTheFieldMaximum() {
        reject(Reason.FIELD_TOO_LONG, 2, PREFIX, "0200", "4000000000000000", "20", "00".repeat(10)); // 20 > 19
        reject(Reason.FIELD_TOO_LONG, 35, PREFIX, "0200", "0000000020000000", "38", "00".repeat(19)); // 38 > 37
        reject(Reason.FIELD_TOO_LONG, 60, PREFIX, "0800", "0000000000000010", "0018", "00".repeat(9)); // 18 > 17
        reject(Reason.FIELD_TOO_LONG, 62, PREFIX, "0810", "0000000000000004", "0513", "00".repeat(513));
        reject(Reason.FIELD_TOO_LONG, 55, PREFIX, "0200", "0000000000000200", "0256", "00".repeat(256));
        reject(Reason.FIELD_TOO_LONG, 63, PREFIX, "0800", "0000000000000002", "9999");
    }

    @Test
    void llvarLengthBeyondTheFrame() {
        reject(Reason.TRUNCATED, 2, PREFIX, "0200", "4000000000000000", "19 622588");          // 10 bytes announced
        reject(Reason.TRUNCATED, 62, PREFIX, "0810", "0000000000000004", "0040", "00".repeat(39));
        reject(Reason.TRUNCATED, 62, PREFIX, "0810", "0000000000000004", "00");                // half a prefix
        reject(Reason.TRUNCATED, 2, PREFIX, "0200", "4000000000000000");                       // no prefix
    }

    @Test
    void truncatedFixedFieldsMtiAndBitmap() {
        reject(Reason.TRUNCATED, 4, PREFIX, "0200", "1000000000000000", "000000");
        reject(Reason.TRUNCATED, 64, PREFIX, "0200", "0000000000000001", "01020304050607");
        reject(Reason.TRUNCATED, 1, PREFIX, "0200", "00200000");
        reject(Reason.TRUNCATED, 0, PREFIX, "02");
        reject(Reason.TRUNCATED, 0, PREFIX);
    }

    @Test
    void bytesAfterTheLastFieldAreRefused() {
        reject(Reason.TRAILING_BYTES, -1, PREFIX, "0800", "0020000000000000", "000001", "00");
    }

    @Test
    void badTpduAndHeader() {
        reject(Reason.BAD_TPDU, -1, "61 0003 0000  60 22 00 000001 0800 0020000000000000 000001");
        reject(Reason.BAD_TPDU, -1, "60 0003");
        reject(Reason.BAD_HEADER, -1, "60 0003 0000  60 22 00");
    }

    @Test
    void everyTruncationOfAValidMessageIsAFormatErrorNeverAnIndexError() {
        byte[] full = PosVectorsTest.PURCHASE_0200;
        for (int len = 0; len < full.length; len++) {
            byte[] cut = Arrays.copyOf(full, len);
            try {
                PosMessage.unpack(cut);
                fail("accepted a message cut at " + len);
            } catch (PosFormatException expected) {
                // ok
            }
        }
    }

    @Test
    void randomCorruptionYieldsOnlyFormatErrors() {
        Random rnd = new Random(99);
        byte[][] seeds = {PosVectorsTest.PURCHASE_0200, PosVectorsTest.SIGN_ON_0810, PosVectorsTest.SIGN_ON_0800};
        int accepted = 0;
        for (int n = 0; n < 5000; n++) {
            byte[] b = seeds[n % seeds.length].clone();
            int flips = 1 + rnd.nextInt(3);
            for (int k = 0; k < flips; k++) {
                b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
            }
            try {
                PosMessage m = PosMessage.unpack(b);
                m.pack(); // whatever is accepted must also pack
                accepted++;
            } catch (PosFormatException expected) {
                // ok
            } catch (RuntimeException other) {
                throw new AssertionError("leaked " + other + " for " + dev.posgate.iso8583.TestHex.hex(b), other);
            }
        }
        assertEquals(true, accepted > 0 && accepted < 5000, "some corruptions are still valid messages: " + accepted);
    }

    @Test
    void messageWithOnlyMtiAndEmptyBitmapIsValid() {
        PosMessage m = PosMessage.unpack(bytes(PREFIX, "0800", "0000000000000000"));
        assertEquals("0800", m.mti());
    }
}
