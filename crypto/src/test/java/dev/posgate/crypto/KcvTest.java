package dev.posgate.crypto;

import static dev.posgate.crypto.V.h;
import static dev.posgate.crypto.V.hx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class KcvTest {
    @Test
    void publishedSingleLengthKcv() {
        byte[] key = h("0123456789ABCDEF");
        assertEquals("D5D44FF720683D0D", hx(Kcv.of(key, 8)));
        assertEquals("D5D44F", Kcv.hex6(key));
        assertEquals("D5D44FF7", hx(Kcv.of(key, 4)));
    }

    /** Widely published KCV of the test key 0123456789ABCDEF FEDCBA9876543210 (payShield/EFTlab examples). */
    @Test
    void publishedDoubleLengthKcv() {
        assertEquals("08D7B4", Kcv.hex6(h("0123456789ABCDEFFEDCBA9876543210")));
    }

    @Test
    void kcvIgnoresParityBits() {
        assertEquals(Kcv.hex6(h("0123456789ABCDEF")), Kcv.hex6(h("0022446688AACCEE")));
    }

    @Test
    void tripleLengthKcvMatchesEncryptionOfZeros() {
        byte[] k24 = h("0123456789ABCDEF23456789ABCDEF01456789ABCDEF0123");
        assertEquals(hx(Tdes.encryptEcb(k24, new byte[8])).substring(0, 8), hx(Kcv.of(k24, 4)));
    }

    @Test
    void rejectsBadLength() {
        assertThrows(IllegalArgumentException.class, () -> Kcv.of(new byte[16], 0));
        assertThrows(IllegalArgumentException.class, () -> Kcv.of(new byte[16], 9));
        assertThrows(IllegalArgumentException.class, () -> Kcv.of(new byte[10], 3));
    }
}
