package dev.posgate.iso8583.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.posgate.iso8583.FormatException;
import dev.posgate.iso8583.pos.MacBlock;
import dev.posgate.iso8583.pos.PosMessage;

/**
 * Any byte string either unpacks or fails with the module's own FormatException; what
 * unpacks re-packs to bytes that unpack to the same message. Anything else (an index
 * error, a null pointer, a jPOS exception leaking out) is a finding.
 */
class PosMessageFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void unpackRepack(byte[] body) {
        PosMessage m;
        try {
            m = PosMessage.unpack(body);
        } catch (FormatException expected) {
            return;
        }
        byte[] again = m.pack();
        assertArrayEquals(again, PosMessage.unpack(again).pack(), "pack(unpack(pack(x))) is stable");
        m.toString();
        try {
            m.field60(); // a field 60 that parses as n..17 may still be too short to split: a format error
        } catch (FormatException expected) {
            // the gateway answers 30 for it (BadInputIT)
        }
        if (m.has(64)) MacBlock.of(again);
    }
}
