package dev.posgate.iso8583.pos;

import dev.posgate.iso8583.pos.RealTraffic.Sample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static dev.posgate.iso8583.TestHex.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every published real message of the corpus (src/test/resources/real-traffic) through the packager: it
 * parses and repacks byte for byte, the values the gateway uses are the published ones, and a response can
 * be built for every request. The few published dumps that break the UnionPay layout are format errors
 * that are still attributable, so the gateway answers them (39 = 30) instead of closing the connection.
 */
class RealTrafficTest {

    static List<Sample> samples() {
        return RealTraffic.load();
    }

    @Test
    void theCorpusHoldsThirtyMessagesAndEveryFamilyOfMti() {
        List<Sample> all = samples();
        assertTrue(all.size() >= 30, "30+ real messages, have " + all.size());
        Set<String> mtis = new TreeSet<>();
        for (Sample s : all) {
            if (s.broken() == null) {
                mtis.add(PosMessage.unpack(s.body(), s.dialect()).mti());
            }
        }
        assertTrue(mtis.containsAll(Set.of("0800", "0810", "0830", "0200", "0210", "0400", "0410",
                "0510", "0330", "0920", "0930")),
                mtis.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void parsesRepacksByteExactAndHasThePublishedValues(Sample s) {
        if (s.broken() != null) {
            return; // brokenDumpsAreAttributableFormatErrors
        }
        PosMessage m = PosMessage.unpack(s.body(), s.dialect());
        assertEquals(hex(s.body()), hex(m.pack()), "repack");
        for (int i = 2; i <= PosPackager.MAX_FIELD; i++) { // field by field: set what was read, same bytes
            if (m.has(i)) {
                PosMessage copy = PosMessage.create(m.tpdu(), m.header(), m.mti());
                m.copyTo(copy, i);
                assertArrayEquals(m.binary(i), copy.binary(i), "field " + i);
            }
        }
        for (Map.Entry<String, String> e : s.expect().entrySet()) {
            String key = e.getKey();
            String want = e.getValue();
            switch (key) {
                case "mti" -> assertEquals(want, m.mti());
                case "header" -> assertEquals(want, m.header().digits());
                case "60.1" -> assertEquals(want, m.field60().typeCode());
                case "60.3" -> assertEquals(want, m.field60().networkMgmtCodePresent()
                        ? m.field60().networkMgmtCode() : "absent");
                case "pan" -> {
                    String pan = m.pan();
                    assertNotNull(pan, "pan");
                    assertEquals(want, pan.substring(0, 6) + "..." + pan.substring(pan.length() - 4));
                }
                default -> assertEquals(want, m.field(Integer.parseInt(key)), "field " + key);
            }
        }
        if (s.dialect() == PosDialect.NO_APP_HEADER) {
            assertFalse(m.header().present());
        } else {
            assertEquals(s.expect().get("header"), m.header().digits());
        }
        if (m.isRequest()) {
            PosMessage r = m.reply(ProcessingRequirement.SIGN_ON_AGAIN).set(39, "00");
            byte[] rb = r.pack();
            PosMessage back = PosMessage.unpack(rb, s.dialect());
            assertEquals(m.field(11), back.field(11));
            assertEquals(m.field(41), back.field(41));
            if (m.header().present()) { // the header is echoed byte for byte but for the requirement nibble
                byte[] sent = m.header().encode();
                byte[] echoed = back.header().encode();
                sent[2] = (byte) ((sent[2] & 0xF0) | ProcessingRequirement.SIGN_ON_AGAIN);
                assertArrayEquals(sent, echoed);
            }
        }
        String pan = m.pan();
        if (pan != null) {
            assertFalse(m.toString().contains(pan), "toString masks the PAN");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void brokenDumpsAreAttributableFormatErrors(Sample s) {
        if (s.broken() == null) {
            return;
        }
        String[] want = s.expectedError();
        PosFormatException e = assertThrows(PosFormatException.class, () -> PosMessage.unpack(s.body(), s.dialect()));
        assertEquals(want[0], e.reason().name(), e.getMessage());
        assertEquals(Integer.parseInt(want[1]), e.field(), e.getMessage());
        assertTrue(e.attributable(), "TPDU, header, MTI and bitmap parsed: the sender can be answered");
        PosMessage answer = e.partial().reply(ProcessingRequirement.NONE).set(39, "30");
        PosMessage back = PosMessage.unpack(answer.pack(), s.dialect());
        assertEquals("30", back.field(39));
        assertFalse(back.has(64), "a format-error answer carries no MAC");
    }
}
