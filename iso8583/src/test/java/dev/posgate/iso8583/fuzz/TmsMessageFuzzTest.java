package dev.posgate.iso8583.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.posgate.iso8583.FormatException;
import dev.posgate.iso8583.tms.TmsMessage;

/** TMS header and body parsing of arbitrary bytes: a format error or a stable round trip. */
class TmsMessageFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void unpackRepack(byte[] body) {
        TmsMessage m;
        try {
            m = TmsMessage.unpack(body);
        } catch (FormatException expected) {
            return;
        }
        byte[] again = m.pack();
        assertArrayEquals(again, TmsMessage.unpack(again).pack());
        m.toString();
    }
}
