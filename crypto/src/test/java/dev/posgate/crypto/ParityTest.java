package dev.posgate.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ParityTest {
    @Test
    void adjustsToOddParity() {
        assertArrayEquals(V.h("0101010101010101"), Parity.adjustOdd(V.h("0000000000000000")));
        assertArrayEquals(V.h("0123456789ABCDEF"), Parity.adjustOdd(V.h("0022446688AACCEE")));
        assertArrayEquals(V.h("FEFE"), Parity.adjustOdd(V.h("FFFF")));
    }

    @Test
    void everyByteValueBecomesOddAndKeepsItsHighBits() {
        for (int i = 0; i < 256; i++) {
            byte[] out = Parity.adjustOdd(new byte[] {(byte) i});
            assertTrue(Integer.bitCount(out[0] & 0xFF) % 2 == 1, "byte " + i);
            assertTrue((out[0] & 0xFE) == (i & 0xFE));
        }
    }

    @Test
    void doesNotModifyInput() {
        byte[] in = V.h("0000");
        Parity.adjustOdd(in);
        assertArrayEquals(V.h("0000"), in);
    }

    @Test
    void detectsParity() {
        assertTrue(Parity.isOdd(V.h("0123456789ABCDEFFEDCBA9876543210")));
        assertFalse(Parity.isOdd(V.h("0123456789ABCDEE")));
        assertFalse(Parity.isOdd(V.h("00")));
    }
}
