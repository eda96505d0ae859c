package dev.posgate.protocol.posp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkingKeyBlockTest {

    @Test
    void lengthsOfField62PerSignOnCode() {
        assertEquals(24, SignOnMode.ofCode("001").field62Length());
        assertEquals(40, SignOnMode.ofCode("003").field62Length());
        assertEquals(60, SignOnMode.ofCode("004").field62Length());
        assertNull(SignOnMode.ofCode("002"), "sign-off is not a sign-on");
    }

    @Test
    void layoutIsKeyThenKcvForPikMakTdk() {
        byte[] f62 = new byte[60];
        for (int i = 0; i < f62.length; i++) f62[i] = (byte) i;
        WorkingKeyBlock b = WorkingKeyBlock.decode(SignOnMode.DOUBLE_WITH_TDK, f62);
        assertArrayEquals(Arrays.copyOfRange(f62, 0, 16), b.pik().encryptedKey());
        assertArrayEquals(Arrays.copyOfRange(f62, 16, 20), b.pik().kcv());
        assertArrayEquals(Arrays.copyOfRange(f62, 20, 36), b.mak().encryptedKey());
        assertArrayEquals(Arrays.copyOfRange(f62, 40, 56), b.tdk().encryptedKey());
        assertArrayEquals(Arrays.copyOfRange(f62, 56, 60), b.tdk().kcv());
        assertArrayEquals(f62, b.encode());
    }

    @Test
    void encodeCutsEightByteKcvsToFour() {
        WorkingKeyBlock.Entry e = new WorkingKeyBlock.Entry(new byte[8], new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        byte[] f62 = WorkingKeyBlock.of(SignOnMode.SINGLE, List.of(e, e)).encode();
        assertEquals(24, f62.length);
        assertArrayEquals(new byte[] {1, 2, 3, 4}, Arrays.copyOfRange(f62, 8, 12));
    }

    @Test
    void wrongLengthsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> WorkingKeyBlock.decode(SignOnMode.DOUBLE, new byte[39]));
        WorkingKeyBlock.Entry single = new WorkingKeyBlock.Entry(new byte[8], new byte[4]);
        assertThrows(IllegalArgumentException.class, () -> WorkingKeyBlock.of(SignOnMode.DOUBLE, List.of(single, single)));
        assertThrows(IllegalArgumentException.class, () -> WorkingKeyBlock.of(SignOnMode.DOUBLE_WITH_TDK, List.of(single, single)));
    }

    /** protocol.md 2.1: a single-length MAK in the 40-byte 003 layout is its 8 bytes, 8 zero bytes, then its KCV. */
    @Test
    void aSingleLengthMakInThe003LayoutIsFollowedByEightZeroBytes() {
        byte[] key8 = {1, 2, 3, 4, 5, 6, 7, 8};
        WorkingKeyBlock.Entry pik = new WorkingKeyBlock.Entry(new byte[16], new byte[] {9, 9, 9, 9});
        WorkingKeyBlock.Entry mak = WorkingKeyBlock.Entry.singleLength(key8, new byte[] {7, 7, 7, 7, 7, 7, 7, 7});
        byte[] f62 = WorkingKeyBlock.of(SignOnMode.DOUBLE, List.of(pik, mak)).encode();
        assertEquals(40, f62.length);
        assertArrayEquals(key8, Arrays.copyOfRange(f62, 20, 28));
        assertArrayEquals(new byte[8], Arrays.copyOfRange(f62, 28, 36));
        assertArrayEquals(new byte[] {7, 7, 7, 7}, Arrays.copyOfRange(f62, 36, 40));
        assertThrows(IllegalArgumentException.class, () -> WorkingKeyBlock.Entry.singleLength(new byte[16], new byte[4]));
    }
}
