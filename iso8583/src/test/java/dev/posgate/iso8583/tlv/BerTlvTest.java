package dev.posgate.iso8583.tlv;

import dev.posgate.iso8583.tlv.TlvFormatException.Reason;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static dev.posgate.iso8583.TestHex.ascii;
import static dev.posgate.iso8583.TestHex.bytes;
import static dev.posgate.iso8583.TestHex.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BerTlvTest {

    private static Reason reject(String hex) {
        byte[] b = bytes(hex);
        return assertThrows(TlvFormatException.class, () -> BerTlv.decode(b)).reason();
    }

    @Test
    void oneAndTwoByteTagsRoundTrip() {
        String wire = "5A 08 6225880112345678"   // 5A one-byte tag
                + " 9F02 06 000000010000"        // 9F02 two-byte tag (first byte low bits 11111)
                + " DF01 06" + ascii("VENDOR");  // DF01 vendor id
        List<Tlv> tlvs = BerTlv.decode(bytes(wire));
        assertEquals(3, tlvs.size());
        assertEquals(0x5A, tlvs.get(0).tag());
        assertEquals(0x9F02, tlvs.get(1).tag());
        assertEquals("VENDOR", BerTlv.require(tlvs, Tags.VENDOR_ID).asAscii());
        assertEquals(wire.replace(" ", ""), hex(BerTlv.encode(tlvs)));
    }

    @Test
    void longFormLengths() {
        byte[] v200 = new byte[200];
        byte[] v300 = new byte[300];
        v300[299] = 7;
        byte[] enc = BerTlv.encode(List.of(Tlv.of(Tags.FRAME_DATA, v200), Tlv.of(Tags.CERTIFICATE, v300)));
        assertEquals("DF3981C8", hex(enc).substring(0, 8));                    // 81 C8 = 200
        assertEquals("DF2082012C", hex(enc).substring(8 + 400, 8 + 400 + 10)); // 82 01 2C = 300
        List<Tlv> back = BerTlv.decode(enc);
        assertArrayEquals(v200, back.get(0).value());
        assertArrayEquals(v300, back.get(1).value());
        // boundaries: 127 short, 128 -> 81 80, 255 -> 81 FF, 256 -> 82 0100, 65535 -> 82 FFFF
        assertEquals("DF397F", hex(BerTlv.encode(Tlv.of(Tags.FRAME_DATA, new byte[127]))).substring(0, 6));
        assertEquals("DF398180", hex(BerTlv.encode(Tlv.of(Tags.FRAME_DATA, new byte[128]))).substring(0, 8));
        assertEquals("DF3981FF", hex(BerTlv.encode(Tlv.of(Tags.FRAME_DATA, new byte[255]))).substring(0, 8));
        assertEquals("DF39820100", hex(BerTlv.encode(Tlv.of(Tags.FRAME_DATA, new byte[256]))).substring(0, 10));
        assertEquals("DF3982FFFF", hex(BerTlv.encode(Tlv.of(Tags.FRAME_DATA, new byte[65535]))).substring(0, 10));
        assertThrows(IllegalArgumentException.class, () -> BerTlv.encode(Tlv.of(Tags.FRAME_DATA, new byte[65536])));
    }

    @Test
    void nonMinimalLongFormIsAcceptedAndReEncodedMinimally() {
        List<Tlv> t = BerTlv.decode(bytes("DF06 81 01 02"));
        assertEquals(2, t.get(0).asByte());
        assertEquals("DF060102", hex(BerTlv.encode(t)));
        assertEquals(3, BerTlv.decode(bytes("DF26 82 0004 01020304 DF06 01 03")).get(1).asByte());
    }

    @Test
    void indefiniteLengthIsRefused() {
        assertEquals(Reason.INDEFINITE_LENGTH, reject("DF30 80 DF31 00 0000"));
    }

    @Test
    void lengthFormsAbove82AreRefused() {
        assertEquals(Reason.LENGTH_TOO_LONG, reject("DF39 83 000001 00"));
        assertEquals(Reason.LENGTH_TOO_LONG, reject("DF39 FF"));
    }

    @Test
    void lengthBeyondTheBodyIsRefused() {
        assertEquals(Reason.TRUNCATED, reject("DF01 06 56454E444F"));      // 6 announced, 5 present
        assertEquals(Reason.TRUNCATED, reject("DF39 82 0100 00"));         // 256 announced
        assertEquals(Reason.TRUNCATED, reject("DF39 82 01"));              // long-form length cut
        assertEquals(Reason.TRUNCATED, reject("DF01"));                    // no length
        assertEquals(Reason.TRUNCATED, reject("DF"));                      // second tag byte missing
        // a child running past its parent's end, although the outer buffer has the bytes
        assertEquals(Reason.TRUNCATED, reject("DF30 04 DF31 03 DF32 01 01"));
    }

    @Test
    void threeByteTagsAreRefused() {
        TlvFormatException e = assertThrows(TlvFormatException.class, () -> BerTlv.decode(bytes("DF 81 01 01 00")));
        assertEquals(Reason.TAG_TOO_LONG, e.reason());
        assertThrows(IllegalArgumentException.class, () -> Tlv.of(0xDF8101, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> Tlv.of(0xDF81, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> Tlv.of(0x1F, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> Tlv.of(0x5A01, new byte[0]));
    }

    @Test
    void protocolConstructedTagsAreDecodedIntoChildren() {
        // D1 package list: DF30 { DF31 { DF32 kind, DF33 name, DF34 version } DF31 { ... } }
        String entry1 = "DF32 01 01  DF33 03" + ascii("app") + "  DF34 03" + ascii("1.0");
        String entry2 = "DF32 01 02  DF33 03" + ascii("par") + "  DF34 01" + ascii("7");
        int l1 = bytes(entry1).length;
        int l2 = bytes(entry2).length;
        String wire = String.format("DF30 %02X DF31 %02X %s DF31 %02X %s", l1 + l2 + 6, l1, entry1, l2, entry2);
        List<Tlv> tlvs = BerTlv.decode(bytes(wire));
        Tlv list = BerTlv.require(tlvs, Tags.PACKAGE_LIST);
        assertTrue(list.isConstructed());
        List<Tlv> entries = list.findAll(Tags.PACKAGE_ENTRY);
        assertEquals(2, entries.size());
        assertEquals("app", entries.get(0).require(Tags.PACKAGE_NAME).asAscii());
        assertEquals(2, entries.get(1).require(Tags.PACKAGE_KIND).asByte());
        assertEquals(wire.replace(" ", ""), hex(BerTlv.encode(tlvs)));
        assertTrue(Tags.isConstructed(Tags.KEY_MESSAGE_ENTRY));
        assertFalse(Tags.isConstructed(Tags.KEY_KIND));
        assertTrue(Tags.isConstructed(0x70), "BER constructed bit");
        assertTrue(Tags.isConstructed(0xFF01), "BER constructed bit on a two-byte tag");
    }

    @Test
    void keyMessageEntryBuiltAndDecoded() {
        Tlv entry = Tlv.constructed(Tags.KEY_MESSAGE_ENTRY,
                Tlv.ofByte(Tags.KEY_KIND, 1), Tlv.ofByte(Tags.PINPAD_KEY_INDEX, 3),
                Tlv.of(Tags.KEY_UNDER_DWK, bytes("00112233445566778899AABBCCDDEEFF")),
                Tlv.of(Tags.KCV, bytes("01020304")));
        byte[] enc = BerTlv.encode(entry);
        assertEquals("DF4022" + "DF410101" + "DF060103" + "DF421000112233445566778899AABBCCDDEEFF" + "DF260401020304",
                hex(enc));
        Tlv back = BerTlv.decode(enc).get(0);
        assertEquals(entry, back);
        assertEquals(34, back.length());
        assertArrayEquals(bytes("DF410101DF060103DF421000112233445566778899AABBCCDDEEFFDF260401020304"), back.value());
    }

    @Test
    void nestingDeeperThanTheLimitIsRefused() {
        assertEquals(4, BerTlv.MAX_DEPTH);
        // levels: 70(1) 70(2) 70(3) 5A(4) -> fine
        assertEquals(1, BerTlv.decode(bytes("70 06 70 04 70 02 5A 00")).size());
        // levels: 70(1) 70(2) 70(3) 70(4) 5A(5) -> refused
        assertEquals(Reason.TOO_DEEP, reject("70 08 70 06 70 04 70 02 5A 00"));
        // a deep attack does not overflow the stack, it stops at the limit
        int depth = 120;
        byte[] deep = new byte[2 * depth];
        for (int i = 0; i < depth; i++) {
            deep[2 * i] = 0x70;
            deep[2 * i + 1] = (byte) (2 * (depth - i - 1));
        }
        assertThrows(TlvFormatException.class, () -> BerTlv.decode(deep));
    }

    @Test
    void unknownTagsArePreservedInOrder() {
        String wire = "9F6E 01 AA  DF01 01 41  5F20 02 4142  DF7F 00";
        List<Tlv> tlvs = BerTlv.decode(bytes(wire));
        assertEquals(List.of(0x9F6E, 0xDF01, 0x5F20, 0xDF7F), tlvs.stream().map(Tlv::tag).toList());
        assertEquals(wire.replace(" ", ""), hex(BerTlv.encode(tlvs)));
        assertEquals("A", BerTlv.find(tlvs, Tags.VENDOR_ID).asAscii());
        assertEquals(0, BerTlv.find(tlvs, 0xDF7F).length());
    }

    @Test
    void duplicateTagsAreKeptAndFindReturnsTheFirst() {
        List<Tlv> tlvs = BerTlv.decode(bytes("DF06 01 01  DF06 01 02"));
        assertEquals(1, BerTlv.find(tlvs, Tags.PINPAD_KEY_INDEX).asByte());
        assertEquals(2, BerTlv.findAll(tlvs, Tags.PINPAD_KEY_INDEX).size());
    }

    @Test
    void missingMandatoryTag() {
        List<Tlv> tlvs = BerTlv.decode(bytes("DF01 01 41"));
        assertNull(BerTlv.find(tlvs, Tags.T_DATA));
        TlvFormatException e = assertThrows(TlvFormatException.class, () -> BerTlv.require(tlvs, Tags.T_DATA));
        assertEquals(Reason.MISSING_TAG, e.reason());
        assertEquals("MISSING_TAG", e.label());
        assertEquals(Tags.T_DATA, e.tag());
        assertTrue(e.getMessage().contains("T_DATA"), e.getMessage());
    }

    @Test
    void typedAccessorsCheckSizes() {
        Tlv size = Tlv.ofUnsigned(Tags.PACKAGE_SIZE, 0xFFFFFFFFL, 4);
        assertEquals("DF3504FFFFFFFF", hex(BerTlv.encode(size)));
        assertEquals(0xFFFFFFFFL, size.asUnsigned(4));
        assertEquals(Reason.BAD_VALUE, assertThrows(TlvFormatException.class, () -> size.asUnsigned(2)).reason());
        assertEquals(Reason.BAD_VALUE, assertThrows(TlvFormatException.class, size::asByte).reason());
        assertEquals(Reason.BAD_VALUE,
                assertThrows(TlvFormatException.class, () -> size.valueOfLength(16)).reason());
        assertThrows(IllegalArgumentException.class, () -> Tlv.ofUnsigned(Tags.OFFSET, 0x1_0000_0000L, 4));
    }

    @Test
    void valuesAreDefensivelyCopiedAndNeverPrinted() {
        byte[] key = bytes("00112233445566778899AABBCCDDEEFF");
        Tlv t = Tlv.of(Tags.KEY_UNDER_DWK, key);
        key[0] = 1;
        t.value()[1] = 1;
        assertEquals("00112233445566778899AABBCCDDEEFF", hex(t.value()));
        assertEquals("DF42[16]", t.toString());
    }

    @Test
    void randomBytesYieldOnlyTlvFormatErrors() {
        Random rnd = new Random(5);
        for (int n = 0; n < 20000; n++) {
            byte[] b = new byte[rnd.nextInt(40)];
            rnd.nextBytes(b);
            try {
                List<Tlv> t = BerTlv.decode(b);
                BerTlv.encode(t);
            } catch (TlvFormatException expected) {
                // ok
            } catch (RuntimeException other) {
                throw new AssertionError("leaked " + other + " for " + hex(b), other);
            }
        }
    }
}
