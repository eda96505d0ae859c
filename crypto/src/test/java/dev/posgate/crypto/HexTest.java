package dev.posgate.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class HexTest {
    @Test
    void encodesUppercase() {
        assertEquals("00FF10AB", Hex.encode(new byte[] {0, (byte) 0xFF, 0x10, (byte) 0xAB}));
        assertEquals("", Hex.encode(new byte[0]));
    }

    @Test
    void encodesRange() {
        assertEquals("10AB", Hex.encode(new byte[] {0, 0x10, (byte) 0xAB, 1}, 1, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> Hex.encode(new byte[2], 1, 2));
    }

    @Test
    void decodesEitherCase() {
        assertArrayEquals(new byte[] {(byte) 0xAB, (byte) 0xCD, (byte) 0xEF, 0x09}, Hex.decode("abCDeF09"));
        assertArrayEquals(new byte[0], Hex.decode(""));
    }

    @Test
    void rejectsOddLengthAndNonHex() {
        assertThrows(IllegalArgumentException.class, () -> Hex.decode("ABC"));
        assertThrows(IllegalArgumentException.class, () -> Hex.decode("0G"));
        assertThrows(IllegalArgumentException.class, () -> Hex.decode("0 "));
        assertThrows(IllegalArgumentException.class, () -> Hex.decode("\u0660\u0661"));
    }

    @Test
    void roundTripsAllByteValues() {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        assertArrayEquals(all, Hex.decode(Hex.encode(all)));
        assertArrayEquals(V.ascii(Hex.encode(all)), Hex.encodeAscii(all));
    }
}
