package dev.posgate.iso8583.pos;

import org.junit.jupiter.api.Test;

import static dev.posgate.iso8583.TestHex.bytes;
import static dev.posgate.iso8583.TestHex.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TPDU, application header, field 60 and the reply helper. */
class PosPartsTest {

    @Test
    void tpduParseEncodeReply() {
        Tpdu t = Tpdu.parse(bytes("FF 60 1234 ABCD"), 1);
        assertEquals(0x1234, t.destination());
        assertEquals(0xABCD, t.source());
        assertEquals("601234ABCD", hex(t.encode()));
        assertEquals("60ABCD1234", hex(t.reply().encode()));
        assertEquals(t, t.reply().reply());
        assertThrows(PosFormatException.class, () -> Tpdu.parse(bytes("70 1234 ABCD"), 0));
        assertThrows(PosFormatException.class, () -> Tpdu.parse(bytes("60 1234 AB"), 0));
        assertThrows(IllegalArgumentException.class, () -> new Tpdu(0x10000, 0));
    }

    @Test
    void appHeaderDigits() {
        AppHeader h = AppHeader.parse(bytes("60 31 05 123456"), 0);
        assertEquals(60, h.appType());
        assertEquals(31, h.softwareVersion());
        assertEquals(0, h.terminalStatus());
        assertEquals(5, h.processingRequirement());
        assertEquals(123456, h.softwareSubVersion());
        assertEquals("603105123456", h.digits());
        assertEquals("603105123456", hex(h.encode()));
        assertEquals(h, AppHeader.parse("603105123456"));
    }

    @Test
    void processingRequirementIsTheLowNibbleOfTheThirdByte() {
        AppHeader h = AppHeader.parse(bytes("60 22 70 000001"), 0);
        assertEquals("602274000001", hex(h.withProcessingRequirement(ProcessingRequirement.TMK_DOWNLOAD).encode()));
        assertEquals("602273000001", hex(h.withProcessingRequirement(ProcessingRequirement.SIGN_ON_AGAIN).encode()));
        assertEquals("602276000001", hex(h.withProcessingRequirement(ProcessingRequirement.TMS_UPDATE).encode()));
        assertEquals("602271000001", hex(h.withProcessingRequirement(ProcessingRequirement.PARAMETERS).encode()));
        assertThrows(IllegalArgumentException.class, () -> h.withProcessingRequirement(10));
    }

    @Test
    void appHeaderKeepsNonBcdBytes() {
        // real terminals: 60 31 00 31 FF F1 (protocol.md 2.1): read type and requirement, echo the rest
        AppHeader h = AppHeader.parse(bytes("60 31 00 31 FF F1"), 0);
        assertEquals(60, h.appType());
        assertEquals(31, h.softwareVersion());
        assertEquals(0, h.processingRequirement());
        assertEquals(-1, h.softwareSubVersion());
        assertEquals("60310031FFF1", h.digits());
        assertEquals("60310331FFF1", hex(h.withProcessingRequirement(ProcessingRequirement.SIGN_ON_AGAIN).encode()));
        AppHeader odd = AppHeader.parse("6122A5000001");
        assertEquals(61, odd.appType());
        assertEquals(10, odd.terminalStatus());
        assertEquals(5, odd.processingRequirement());
        assertEquals("6122A1000001", hex(odd.withProcessingRequirement(1).encode()));
        assertEquals(-1, AppHeader.parse("F12200000001").appType());
        assertEquals(new AppHeader(60, 22, 0, 0, 1), AppHeader.parse("602200000001"));
        assertEquals(PosFormatException.Reason.BAD_HEADER,
                assertThrows(PosFormatException.class, () -> AppHeader.parse(bytes("60 22 00 00 00"), 0)).reason());
    }

    @Test
    void field60() {
        Field60 f = Field60.parse("22000001000");
        assertEquals("22", f.typeCode());
        assertEquals("000001", f.batch());
        assertEquals("000", f.networkMgmtCode());
        assertEquals("", f.extension());
        assertEquals("22000001000", f.format());
        Field60 g = Field60.parse("22000001000500");
        assertEquals("500", g.extension());
        assertEquals("22000001000500", g.format());
        assertEquals("22000002000", f.withBatch("000002").format());
        Field60 no603 = Field60.parse("22000001");
        assertEquals("000", no603.networkMgmtCode());
        assertFalse(no603.networkMgmtCodePresent());
        assertEquals("22000001", no603.format());
        assertEquals("22000009", no603.withBatch("000009").format());
        for (String bad : new String[] {"2200000", "220000010", "2200000100", "220000010001234567", "2200000100A"}) {
            assertEquals(PosFormatException.Reason.BAD_FIELD_60,
                    assertThrows(PosFormatException.class, () -> Field60.parse(bad)).reason(), bad);
        }
        assertThrows(PosFormatException.class, () -> new Field60("2", "000001", "000"));
    }

    @Test
    void field60OfAMessageWithAShortField60() {
        PosMessage m = PosMessage.create(new Tpdu(1, 2), new AppHeader(60, 0, 0, 0, 0), "0200").set(60, "220000010");
        assertEquals(PosFormatException.Reason.BAD_FIELD_60,
                assertThrows(PosFormatException.class, m::field60).reason());
        assertEquals("000", m.set(60, "22000001").field60().networkMgmtCode());
    }

    @Test
    void replySkeleton() {
        PosMessage req = PosMessage.unpack(PosVectorsTest.PURCHASE_0200).set(41, "T0000001").set(42, "M00000000000001");
        PosMessage rsp = req.reply(ProcessingRequirement.SIGN_ON_AGAIN);
        assertEquals("0210", rsp.mti());
        assertFalse(rsp.isRequest());
        assertEquals(new Tpdu(0x0000, 0x0003), rsp.tpdu());
        assertEquals(req.header().withProcessingRequirement(3), rsp.header());
        assertEquals("000123", rsp.field(11));
        assertEquals("T0000001", rsp.field(41));
        assertEquals("M00000000000001", rsp.field(42));
        for (int i : new int[] {2, 3, 4, 35, 52, 60, 64}) {
            assertFalse(rsp.has(i), "field " + i + " is not echoed by default");
        }
        PosMessage rsp2 = PosMessage.replyTo(req, 0, 2, 3, 4, 25, 49, 60, 12);
        assertEquals("6225880112345678901", rsp2.field(2));
        assertEquals("22000001000", rsp2.field(60));
        assertFalse(rsp2.has(12), "absent in the request: not echoed");

        assertEquals("0830", PosMessage.unpack(PosVectorsTest.ECHO_0820).reply(0).mti());
        assertEquals("0410", PosMessage.create(new Tpdu(1, 2), req.header(), "0400").reply(0).mti());
        assertThrows(IllegalStateException.class, () -> PosMessage.unpack(PosVectorsTest.SIGN_ON_0810).reply(0));
    }

    @Test
    void setProcessingRequirementOnAMessage() {
        PosMessage m = PosMessage.unpack(PosVectorsTest.SIGN_ON_0810).processingRequirement(4);
        assertEquals(4, m.header().processingRequirement());
        assertEquals((byte) 0x04, m.pack()[5 + 2]);
    }

    @Test
    void packagerMetadata() {
        PosPackager p = PosPackager.INSTANCE;
        assertTrue(p.isDefined(2) && p.isDefined(64) && !p.isDefined(1) && p.isDefined(5) && !p.isDefined(65));
        assertNull(p.field(65));
        assertEquals(PosFieldPackager.Align.LEFT, p.field(22).align());
        assertEquals(PosFieldPackager.Align.RIGHT, p.field(23).align());
        assertEquals(PosFieldPackager.Align.LEFT, p.field(60).align());
        assertEquals("org.jpos.iso.IFB_LLNUM", p.field(2).jposPackager().getClass().getName());
        assertEquals(3, p.field(60).prefixDigits());
        assertEquals(p.field(11), p.getFieldPackager(11), "the jPOS field table is the same objects");
    }
}
