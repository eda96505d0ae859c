package dev.posgate.crypto;

import static dev.posgate.crypto.V.h;
import static dev.posgate.crypto.V.hx;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PaddingTest {
    @Test
    void zeroPadToMultipleOf8() {
        assertEquals("0102030000000000", hx(Padding.zeroPad(h("010203"))));
        assertEquals("0102030405060708", hx(Padding.zeroPad(h("0102030405060708"))));
        assertEquals("01020304050607080900000000000000", hx(Padding.zeroPad(h("010203040506070809"))));
        assertEquals(16, Padding.zeroPad(new byte[9]).length);
    }

    @Test
    void zeroPadOfEmptyIsOneZeroBlock() {
        assertArrayEquals(new byte[8], Padding.zeroPad(new byte[0]));
    }

    @Test
    void zeroPadReturnsACopy() {
        byte[] in = h("0102030405060708");
        byte[] out = Padding.zeroPad(in);
        out[0] = 9;
        assertEquals(1, in[0]);
    }

    @Test
    void method2AlwaysAddsOneTo8Bytes() {
        assertEquals("8000000000000000", hx(Padding.iso9797Method2(new byte[0])));
        assertEquals("0102038000000000", hx(Padding.iso9797Method2(h("010203"))));
        assertEquals("01020304050607088000000000000000", hx(Padding.iso9797Method2(h("0102030405060708"))));
        assertEquals("0102030405060780", hx(Padding.iso9797Method2(h("01020304050607"))));
    }

    @Test
    void method2UnpadIsTheInverse() {
        for (int n = 0; n < 25; n++) {
            byte[] data = new byte[n];
            for (int i = 0; i < n; i++) {
                data[i] = (byte) (i % 3 == 0 ? 0x80 : i % 3 == 1 ? 0 : i); // includes 80 and 00 in the data
            }
            assertArrayEquals(data, Padding.unpadIso9797Method2(Padding.iso9797Method2(data)), "n=" + n);
        }
    }

    @Test
    void method2UnpadIsStrict() {
        assertThrows(IllegalArgumentException.class, () -> Padding.unpadIso9797Method2(new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> Padding.unpadIso9797Method2(h("01028000000000")));
        assertThrows(IllegalArgumentException.class, () -> Padding.unpadIso9797Method2(new byte[8]));
        assertThrows(IllegalArgumentException.class, () -> Padding.unpadIso9797Method2(h("0102030405060701")));
        assertThrows(IllegalArgumentException.class, () -> Padding.unpadIso9797Method2(h("0102030405068001")));
        // the 80 marker must lie in the last block
        assertThrows(IllegalArgumentException.class,
                () -> Padding.unpadIso9797Method2(h("0102030405060780 0000000000000000")));
    }

    @Test
    void method3PrefixesBitLength() {
        assertEquals("0000000000000018 0102030000000000".replace(" ", ""), hx(Padding.iso9797Method3(h("010203"))));
        assertEquals("0000000000000000", hx(Padding.iso9797Method3(new byte[0])));
        assertEquals("0000000000000040 0102030405060708".replace(" ", ""),
                hx(Padding.iso9797Method3(h("0102030405060708"))));
    }

    @Test
    void paddingMethodEnum() {
        assertEquals(PaddingMethod.METHOD_1, PaddingMethod.ofIso9797(1));
        assertEquals(PaddingMethod.METHOD_2, PaddingMethod.ofIso9797(2));
        assertEquals(PaddingMethod.METHOD_3, PaddingMethod.ofIso9797(3));
        assertThrows(IllegalArgumentException.class, () -> PaddingMethod.ofIso9797(0));
        assertThrows(IllegalArgumentException.class, () -> PaddingMethod.NONE.pad(new byte[7]));
        assertThrows(IllegalArgumentException.class, () -> PaddingMethod.NONE.pad(new byte[0]));
        assertArrayEquals(new byte[16], PaddingMethod.NONE.pad(new byte[16]));
    }

    // ---- 16-byte blocks (SM4) ----

    @Test
    void sixteenByteBlocks() {
        assertEquals("01020300000000000000000000000000", hx(Padding.zeroPad(h("010203"), 16)));
        assertArrayEquals(new byte[16], Padding.zeroPad(new byte[0], 16));
        assertEquals(16, Padding.zeroPad(new byte[16], 16).length);
        assertEquals("80000000000000000000000000000000", hx(Padding.iso9797Method2(new byte[0], 16)));
        assertEquals(32, Padding.iso9797Method2(new byte[16], 16).length);
        assertEquals("010203", hx(Padding.unpadIso9797Method2(Padding.iso9797Method2(h("010203"), 16), 16)));
        // method 3: the bit length right-aligned in a 16-byte block, then the data zero-padded
        assertEquals("00000000000000000000000000000018" + "01020300000000000000000000000000",
                hx(Padding.iso9797Method3(h("010203"), 16)));
        assertEquals("00000000000000000000000000000000", hx(Padding.iso9797Method3(new byte[0], 16)));
        assertArrayEquals(Padding.iso9797Method2(h("0102"), 16), PaddingMethod.METHOD_2.pad(h("0102"), 16));
        assertArrayEquals(new byte[16], PaddingMethod.NONE.pad(new byte[16], 16));
    }

    @Test
    void sixteenByteBlocksRejectBadInput() {
        assertThrows(IllegalArgumentException.class, () -> PaddingMethod.NONE.pad(new byte[8], 16));
        assertThrows(IllegalArgumentException.class, () -> Padding.unpadIso9797Method2(h("8000000000000000"), 16));
        assertThrows(IllegalArgumentException.class,
                () -> Padding.unpadIso9797Method2(h("80000000000000000000000000000000" + "00000000000000000000000000000000"), 16));
        assertThrows(IllegalArgumentException.class, () -> Padding.zeroPad(new byte[3], 12));
    }
}
