package dev.posgate.iso8583.tms;

import dev.posgate.iso8583.tlv.BerTlv;
import dev.posgate.iso8583.tlv.Tags;
import dev.posgate.iso8583.tlv.Tlv;
import dev.posgate.iso8583.tlv.TlvFormatException;
import dev.posgate.iso8583.tms.TmsFormatException.Reason;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static dev.posgate.iso8583.TestHex.ascii;
import static dev.posgate.iso8583.TestHex.bytes;
import static dev.posgate.iso8583.TestHex.concat;
import static dev.posgate.iso8583.TestHex.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TmsMessageTest {

    /** H1 handshake request, byte by byte from protocol.md section 3. */
    static final byte[] H1_REQUEST = bytes(
            "54 4D",                        // 'T' 'M'
            "01",                           // version
            ascii("H1"),                    // code
            "00",                           // flags: request, clear body
            "00 00 00 07",                  // seq 7
            ascii("00"),                    // status 00 in requests
            "DF01 06", ascii("VENDOR"),     // vendor id
            "DF02 04", ascii("M100"),       // terminal model id
            "DF03 08", ascii("SN000001"),   // hardware serial
            "DF05 01 01",                   // supported TMS protocol version 1
            "DF10 0A 01020304 250314153045"); // T_DATA: random 01020304, date-time 25-03-14 15:30:45

    @Test
    void h1RequestDecodesAndEncodesBack() {
        TmsMessage m = TmsMessage.unpack(H1_REQUEST);
        TmsHeader h = m.header();
        assertEquals("H1", h.code());
        assertEquals(TmsCode.H1, h.tmsCode());
        assertFalse(h.isResponse());
        assertFalse(h.isSealed());
        assertEquals(7, h.seq());
        assertEquals("00", h.status());
        assertEquals("VENDOR", m.require(Tags.VENDOR_ID).asAscii());
        assertEquals("M100", m.require(Tags.TERMINAL_MODEL_ID).asAscii());
        assertEquals("SN000001", m.require(Tags.SERIAL_NUMBER).asAscii());
        assertEquals(1, m.require(Tags.TMS_PROTOCOL_VERSION).asByte());
        assertEquals("01020304250314153045", hex(m.require(Tags.T_DATA).valueOfLength(10)));
        assertNull(m.find(Tags.PINPAD_SERIAL_NUMBER));
        assertEquals(hex(H1_REQUEST), hex(m.pack()));

        TmsMessage built = TmsMessage.of(TmsHeader.request(TmsCode.H1, 7, false), List.of(
                Tlv.ofAscii(Tags.VENDOR_ID, "VENDOR"), Tlv.ofAscii(Tags.TERMINAL_MODEL_ID, "M100"),
                Tlv.ofAscii(Tags.SERIAL_NUMBER, "SN000001"), Tlv.ofByte(Tags.TMS_PROTOCOL_VERSION, 1),
                Tlv.of(Tags.T_DATA, bytes("01020304250314153045"))));
        assertEquals(hex(H1_REQUEST), hex(built.pack()));
        byte[] frame = built.packFrame();
        assertEquals(H1_REQUEST.length, ((frame[0] & 0xFF) << 8) | (frame[1] & 0xFF));
        assertArrayEquals(H1_REQUEST, Arrays.copyOfRange(frame, 2, frame.length));
    }

    @Test
    void responseHeader() {
        TmsMessage req = TmsMessage.unpack(H1_REQUEST);
        TmsMessage rsp = req.respond("97", List.of());
        assertEquals("544D01" + "4831" + "01" + "00000007" + "3937", hex(rsp.pack()));
        assertTrue(rsp.header().isResponse());
        assertEquals(req.header().seq(), rsp.header().seq());
        TmsHeader sealedRsp = TmsHeader.request(TmsCode.D2, 9, true).response("00");
        assertEquals(TmsHeader.FLAG_RESPONSE | TmsHeader.FLAG_SEALED, sealedRsp.flags());
    }

    @Test
    void seqIsUnsigned32Bit() {
        TmsHeader h = TmsHeader.parse(bytes("544D01 4832 00 FFFFFFFF 3030"));
        assertEquals(4294967295L, h.seq());
        assertEquals("544D01483200FFFFFFFF3030", hex(h.encode()));
        assertThrows(IllegalArgumentException.class, () -> new TmsHeader("H1", 0, 1L << 32, "00"));
    }

    @Test
    void unknownButWellFormedCodeIsParsed() {
        TmsHeader h = TmsHeader.parse(bytes("544D01 5A39 00 00000001 3030"));
        assertEquals("Z9", h.code());
        assertNull(h.tmsCode());
        assertEquals(TmsCode.L3, TmsCode.of("L3"));
        assertEquals(12, TmsCode.values().length);
    }

    private static Reason reject(byte[] body) {
        return assertThrows(TmsFormatException.class, () -> TmsMessage.unpack(body)).reason();
    }

    @Test
    void truncatedHeader() {
        for (int len = 0; len < 12; len++) {
            assertEquals(Reason.TRUNCATED, reject(Arrays.copyOf(H1_REQUEST, len)), "length " + len);
        }
        assertEquals(0, TmsMessage.unpack(Arrays.copyOf(H1_REQUEST, 12)).tlvs().size(), "empty body is fine");
    }

    @Test
    void malformedHeaders() {
        assertEquals(Reason.BAD_MAGIC, reject(bytes("544E01 4831 00 00000001 3030")));
        assertEquals(Reason.BAD_VERSION, reject(bytes("544D02 4831 00 00000001 3030")));
        assertEquals(Reason.BAD_CODE, reject(bytes("544D01 4800 00 00000001 3030")));
        assertEquals(Reason.BAD_FLAGS, reject(bytes("544D01 4831 04 00000001 3030")));
        assertEquals(Reason.BAD_STATUS, reject(bytes("544D01 4831 00 00000001 3020")));
        TmsFormatException e = assertThrows(TmsFormatException.class,
                () -> TmsMessage.unpack(bytes("544D01 4831 80 00000001 3030")));
        assertEquals("BAD_FLAGS", e.label());
    }

    @Test
    void tlvErrorsInTheBodySurfaceAsTlvFormatException() {
        byte[] body = concat(Arrays.copyOf(H1_REQUEST, 12), bytes("DF01 06 4142"));
        assertEquals(TlvFormatException.Reason.TRUNCATED,
                assertThrows(TlvFormatException.class, () -> TmsMessage.unpack(body)).reason());
        byte[] indefinite = concat(Arrays.copyOf(H1_REQUEST, 12), bytes("DF30 80 0000"));
        assertEquals(TlvFormatException.Reason.INDEFINITE_LENGTH,
                assertThrows(TlvFormatException.class, () -> TmsMessage.unpack(indefinite)).reason());
        TmsMessage m = TmsMessage.unpack(Arrays.copyOf(H1_REQUEST, 12));
        assertEquals(TlvFormatException.Reason.MISSING_TAG,
                assertThrows(TlvFormatException.class, () -> m.require(Tags.T_DATA)).reason());
    }

    @Test
    void sealedBodyIsKeptRaw() {
        byte[] sealedBody = new byte[32]; // IV 8 | 2 blocks | MAC 8
        for (int i = 0; i < sealedBody.length; i++) {
            sealedBody[i] = (byte) i;
        }
        byte[] wire = concat(bytes("544D01 4432 02 00000003 3030"), sealedBody);
        TmsMessage m = TmsMessage.unpack(wire);
        assertTrue(m.isSealed());
        assertArrayEquals(sealedBody, m.sealedBody());
        assertThrows(IllegalStateException.class, m::tlvs);
        assertEquals(hex(wire), hex(m.pack()));
        assertEquals(Reason.BAD_SEALED_BODY, reject(concat(bytes("544D01 4432 02 00000003 3030"), new byte[16])));
        assertEquals(Reason.BAD_SEALED_BODY, reject(concat(bytes("544D01 4432 02 00000003 3030"), new byte[30])));
        // after decryption the gateway rebuilds a clear message
        TmsMessage clear = TmsMessage.of(m.header().withSealed(false),
                BerTlv.decode(bytes("DF37 04 00000000 DF39 02 ABCD")));
        assertEquals(0xABCD, clear.require(Tags.FRAME_DATA).asUnsigned(2));
        assertThrows(IllegalArgumentException.class, () -> TmsMessage.of(m.header(), List.of()));
        assertThrows(IllegalArgumentException.class, () -> TmsMessage.sealed(clear.header(), new byte[24]));
    }
}
