package dev.posgate.iso8583.pos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A received message keeps its bytes for MAC verification until it is changed. */
class PosMessageWireTest {

    @Test
    void wireIsTheReceivedBodyUntilTheMessageChanges() {
        byte[] body = PosVectorsTest.PURCHASE_0200.clone();
        PosMessage m = PosMessage.unpack(body);
        assertSame(body, m.wire(), "no copy for a whole-array body");
        m.set(39, "00");
        assertArrayEquals(m.pack(), m.wire());
        assertNotEquals(body.length, m.wire().length);
    }

    @Test
    void aSliceIsCopiedAndEveryMutatorForgetsTheReceivedBytes() {
        byte[] framed = new byte[PosVectorsTest.ECHO_0820.length + 3];
        System.arraycopy(PosVectorsTest.ECHO_0820, 0, framed, 2, PosVectorsTest.ECHO_0820.length);
        PosMessage m = PosMessage.unpack(framed, 2, PosVectorsTest.ECHO_0820.length);
        assertArrayEquals(PosVectorsTest.ECHO_0820, m.wire());
        Arrays.fill(framed, (byte) 0);
        assertArrayEquals(PosVectorsTest.ECHO_0820, m.wire(), "independent of the caller's buffer");

        byte[] before = m.wire();
        m.processingRequirement(ProcessingRequirement.SIGN_ON_AGAIN);
        assertEquals(ProcessingRequirement.SIGN_ON_AGAIN, PosMessage.unpack(m.wire()).header().processingRequirement());
        assertNotEquals(Arrays.toString(before), Arrays.toString(m.wire()));
    }
}
