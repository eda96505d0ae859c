package dev.posgate.iso8583.pos;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static dev.posgate.iso8583.TestHex.ascii;
import static dev.posgate.iso8583.TestHex.bytes;
import static dev.posgate.iso8583.TestHex.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole UnionPay POS field table (2-64), pinned field by field, and each field format decoded from
 * bytes published with real messages (the real-traffic corpus names the sources) and packed back to them.
 */
class PosFieldTableTest {
    private static final Tpdu TPDU = new Tpdu(3, 0);
    private static final AppHeader HEADER = AppHeader.parse("603100310100");
    private static final String PREFIX = "60 0003 0000  60 31 00 31 01 00";

    /** Format of every field 2-64 (docs/protocol-choices.md "Real terminals"). */
    @ParameterizedTest(name = "field {0}")
    @CsvSource({
            "2, field 2 LLVAR n..19 left", "3, field 3 n6", "4, field 4 n12", "5, field 5 n12", "6, field 6 n12",
            "7, field 7 n10", "8, field 8 n8", "9, field 9 n8", "10, field 10 n8", "11, field 11 n6",
            "12, field 12 n6", "13, field 13 n4", "14, field 14 n4", "15, field 15 n4", "16, field 16 n4",
            "17, field 17 n4", "18, field 18 n4", "19, field 19 n3", "20, field 20 n3", "21, field 21 n3",
            "22, field 22 n3 left", "23, field 23 n3", "24, field 24 n3", "25, field 25 n2", "26, field 26 n2",
            "27, field 27 n1", "28, field 28 b5", "29, field 29 b5", "30, field 30 b5", "31, field 31 b5",
            "32, field 32 LLVAR n..11 left", "33, field 33 LLVAR n..11 left", "34, field 34 LLVAR ans..28",
            "35, field 35 LLVAR z..37 left", "36, field 36 LLLVAR z..104 left", "37, field 37 ans12",
            "38, field 38 ans6", "39, field 39 ans2", "40, field 40 ans3", "41, field 41 ans8",
            "42, field 42 ans15", "43, field 43 ans40", "44, field 44 LLVAR ans..25", "45, field 45 LLVAR ans..76",
            "46, field 46 LLLVAR ans..999", "47, field 47 LLLVAR ans..999", "48, field 48 LLLVAR n..322 left",
            "49, field 49 ans3", "50, field 50 ans3", "51, field 51 ans3", "52, field 52 b8", "53, field 53 n16",
            "54, field 54 LLLVAR ans..20", "55, field 55 LLLVAR b..255", "56, field 56 LLLVAR ans..999",
            "57, field 57 LLLVAR ans..999", "58, field 58 LLLVAR ans..999", "59, field 59 LLLVAR ans..600",
            "60, field 60 LLLVAR n..17 left", "61, field 61 LLLVAR n..29 left", "62, field 62 LLLVAR b..512",
            "63, field 63 LLLVAR ans..163", "64, field 64 b8"})
    void everyFieldHasItsFormat(int no, String format) {
        assertEquals(format, PosPackager.INSTANCE.field(no).toString());
    }

    @Test
    void gbkMerchantNameIn43() {
        // vfwz-0210-ic-purchase: 43 ans40 = GBK "河南省银隆信息技术有限公司" padded with spaces
        String f43 = "BAD3C4CFCAA1D2F8C2A1D0C5CFA2BCBCCAF5D3D0CFDEB9ABCBBE2020202020202020202020202020";
        byte[] body = bytes(PREFIX, "0210", "0000000000200000", f43);
        PosMessage m = PosMessage.unpack(body);
        assertEquals("河南省银隆信息技术有限公司" + " ".repeat(14), m.gbk(43));
        assertEquals(f43, hex(m.binary(43)));
        assertEquals(hex(body), hex(m.pack()));
        // built from text: the same bytes
        PosMessage built = PosMessage.create(TPDU, HEADER, "0210").setGbk(43, "河南省银隆信息技术有限公司");
        assertEquals(hex(body), hex(built.pack()));
    }

    @Test
    void gbkTextIn56AndTlvWithGbkIn59() {
        // vfwz-0210-ic-purchase: 56 = "00+成功", 59 = ASCII-hex TLV whose values are GBK
        byte[] body = bytes(PREFIX, "0210", "0000000000000120",
                "0007 30302BB3C9B9A6",
                "0114 " + ascii("EF013368747470733A2F2F7061792E6B64622D746A2E636F6D2F68356D65726368616E74EF0218"
                        + "C9A8C2EBC8CFD6A4CCE1C9FDBDE1CBE3B6EE"));
        PosMessage m = PosMessage.unpack(body);
        assertEquals("00+成功", m.gbk(56));
        assertTrue(m.field(59).startsWith("EF0133"));
        assertEquals(hex(body), hex(m.pack()));
    }

    @Test
    void terminalInformationIn46And59() {
        // vfwz-0800-sign-on: 46 LLLVAR = "PI04...V0.0.3.0"; csdn-0200: 59 LLLVAR ans..600 of 153 bytes
        String f46 = "PI0420402020514000024021068700000010808V0.0.3.0";
        String f59 = "1220898606170800025839931311HFT170803011414201908300934351502001722BD30.621555,114.361954"
                + "A2600102020216000029021001570803060001130408042472920508H7062801";
        byte[] body = bytes(PREFIX, "0200", "0000000000040020",
                "0047 " + ascii(f46), "0153 " + ascii(f59));
        PosMessage m = PosMessage.unpack(body);
        assertEquals(f46, m.field(46));
        assertEquals(f59, m.field(59));
        PosMessage up = PosMessage.create(TPDU, HEADER, "0200");
        m.copyTo(up, 46, 59, 61); // 61 absent: left alone
        assertEquals(hex(body), hex(up.pack()));
    }

    @Test
    void binaryAfterAnAsciiPrefixIn63() {
        // vfwz-0200-ic-purchase: 63 = "SM016" then 16 binary bytes
        String f63 = "534D303136CDC489E91786D0BE01F543D813611BCD";
        byte[] body = bytes(PREFIX, "0200", "0000000000000002", "0021 " + f63);
        PosMessage m = PosMessage.unpack(body);
        assertEquals(f63, hex(m.binary(63)));
        assertTrue(m.field(63).startsWith("SM016"));
        assertEquals(hex(body), hex(m.pack()));
    }

    @Test
    void field60WithAndWithout60Point3() {
        // vfwz-0200: 0013 22000727 000 60 (60.4 = 6, 60.5 = 0); vfwz-0920: 0008 07000727 (no 60.3)
        PosMessage a = PosMessage.unpack(bytes(PREFIX, "0200", "0000000000000010", "0013 22000727000600"));
        assertEquals(new Field60("22", "000727", "000", "60"), a.field60());
        PosMessage b = PosMessage.unpack(bytes(PREFIX, "0920", "0000000000000010", "0008 07000727"));
        Field60 f = b.field60();
        assertEquals("000", f.networkMgmtCode());
        assertFalse(f.networkMgmtCodePresent());
        assertEquals("07000727", f.format());
        PosMessage c = PosMessage.create(TPDU, HEADER, "0930").set(f);
        assertEquals("000807000727", hex(PosPackager.INSTANCE.field(60).pack(c.iso().getComponent(60))));
        // 60 of the maximum 17 digits (vfwz-0210): 22000727 000 600070
        assertEquals("600070", PosMessage.unpack(bytes(PREFIX, "0210", "0000000000000010",
                "0017 220007270006000700")).field60().extension());
    }

    @Test
    void numericLayouts() {
        // csdn-0200: 22 n3 left-aligned "071" = 07 10; 23 n3 right-aligned "000" = 00 00; 48 LLLVAR n "0" = 0001 00
        PosMessage m = PosMessage.unpack(bytes(PREFIX, "0200", "0000060000010000", "0710", "0000", "0001 00"));
        assertEquals("071", m.field(22));
        assertEquals("000", m.field(23));
        assertEquals("0", m.field(48));
        assertEquals("0710", hex(m.packedDigits(22)));
        assertEquals("0000", hex(m.packedDigits(23)));
        assertEquals("00", hex(m.packedDigits(48)));
        // premierpay-0210: 32 LLVAR n "00155800", 15 settlement date, 44 LLVAR ans with spaces
        PosMessage r = PosMessage.unpack(bytes(PREFIX, "0210", "0002000100100000", "0322", "08 00155800",
                "22 " + ascii("03080000   48025800   ")));
        assertEquals("0322", r.field(15));
        assertEquals("00155800", r.field(32));
        assertEquals("03080000   48025800   ", r.field(44));
    }

    @Test
    void trackTwoAndThePanTakenFromIt() {
        // lzy-0200: 35 = 37 digits 6214830117451467D2403220119630075963 + pad
        byte[] body = bytes(PREFIX, "0200", "0000000020000000", "37 6214830117451467D24032201196300759631 0"
                .replace(" ", ""));
        PosMessage m = PosMessage.unpack(body);
        assertNull(m.field(2));
        assertEquals("6214830117451467", m.pan());
        assertEquals("6214830117451467=24032201196300759631", m.field(35));
        assertFalse(m.toString().contains("6214830117451467"), "track masked");
        assertTrue(m.toString().contains("35=[37 masked]"));
        assertArrayEquals(bytes("6214830117451467D24032201196300759631" + "0"), m.packedDigits(35));
        assertEquals(hex(body), hex(m.pack()));
        // field 2 wins over the track
        assertEquals("6214830117451400", m.set(2, "6214830117451400").pan());
    }

    @Test
    void anEncryptedTrackGivesNoPanAndKeepsItsBytes() {
        // 53.3 = 1: 35 holds TDES output in the packed layout (any nibble); the PAN is not read from it
        byte[] body = bytes(PREFIX, "0200", "0000000020000800", "37 6214830117451467D2403A2F3C4E9B07596310",
                "2610000000000000");
        PosMessage m = PosMessage.unpack(body);
        assertTrue(m.trackEncrypted());
        assertNull(m.pan());
        assertEquals(hex(body), hex(m.pack()));
        byte[] packed = m.packedDigits(35);
        PosMessage clear = PosMessage.create(TPDU, HEADER, "0200").setPackedDigits(35, bytes(
                "6214830117451467D24032201196300759631 0".replace(" ", "")), 37);
        assertEquals("6214830117451467=24032201196300759631", clear.field(35));
        assertEquals(19, packed.length, "37 digits in 19 bytes");
    }

    @Test
    void headerlessCentreDialect() {
        // mocredit-0800-no-app-header: TPDU 60 0032 0000, then the MTI
        byte[] body = bytes("60 0032 0000", "0800", "0020000000C00012", "000012", ascii("12345671"),
                ascii("123456789012345"), "0011 00000001001 0".replace(" ", ""), "0003 " + ascii("01 "));
        PosMessage m = PosMessage.unpack(body, PosDialect.NO_APP_HEADER);
        assertFalse(m.header().present());
        assertEquals(PosDialect.NO_APP_HEADER, m.dialect());
        assertEquals("001", m.field60().networkMgmtCode());
        assertEquals(hex(body), hex(m.pack()));
        PosMessage r = m.reply(ProcessingRequirement.SIGN_ON_AGAIN).set(39, "00");
        assertEquals("60 0000 0032 0810".replace(" ", ""), hex(r.pack()).substring(0, 14), "no header in the answer");
        // the MAC block starts at the MTI in both dialects
        PosMessage mac = PosMessage.create(new Tpdu(0x32, 0), AppHeader.NONE, "0200").set(11, "000001")
                .set(64, new byte[8]);
        byte[] mb = mac.pack();
        assertEquals("0200", hex(MacBlock.of(mb, PosDialect.NO_APP_HEADER)).substring(0, 4));
        MacBlock.writeMac(mb, bytes("0102030405060708"), PosDialect.NO_APP_HEADER);
        assertEquals("0102030405060708", hex(MacBlock.mac(mb, PosDialect.NO_APP_HEADER)));
    }

    @Test
    void gbkRoundTripOfTextThatIsNotLatin1() {
        PosMessage m = PosMessage.create(TPDU, HEADER, "0210").setGbk(56, "交易成功 ok");
        PosMessage back = PosMessage.unpack(m.pack());
        assertEquals("交易成功 ok", back.gbk(56));
        assertEquals(hex("交易成功 ok".getBytes(PosMessage.GBK)), hex(back.binary(56)));
        assertEquals(11, "交易成功 ok".getBytes(PosMessage.GBK).length);
        assertEquals("交易成功 ok".length() + 4, new String(back.binary(56), StandardCharsets.ISO_8859_1).length());
    }

    @Test
    void securityControlIn53() {
        // values of the corpus: lzy 0200 (PIN with PAN, TDES), lzy 0200 without PIN, vfwz 0200 (algorithm 4,
        // tracks encrypted), mocredit 0200 (single DES)
        Field53 tdes = Field53.parse("2600000000000000");
        assertTrue(tdes.pinWithPan());
        assertEquals(6, tdes.algorithm());
        assertFalse(tdes.tracksEncrypted());
        assertEquals(0, Field53.parse("0600000000000000").pinFormat());
        Field53 vfwz = Field53.parse("2410000000000000");
        assertEquals(4, vfwz.algorithm());
        assertTrue(vfwz.tracksEncrypted());
        assertEquals("2410000000000000", vfwz.format());
        assertEquals(0, Field53.parse("2000000000000000").algorithm());
        PosMessage m = PosMessage.unpack(bytes(PREFIX, "0200", "0000000000000800", "2410000000000000"));
        assertEquals(vfwz, m.field53());
        assertTrue(m.trackEncrypted());
        assertNull(PosMessage.create(TPDU, HEADER, "0200").field53());
    }
}
