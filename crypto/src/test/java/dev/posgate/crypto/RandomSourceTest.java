package dev.posgate.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RandomSourceTest {
    @Test
    void secureReturnsRequestedLengthAndVaries() {
        byte[] a = RandomSource.secure().next(16);
        byte[] b = RandomSource.secure().next(16);
        assertEquals(16, a.length);
        assertEquals(0, RandomSource.secure().next(0).length);
        assertFalse(Arrays.equals(a, b));
    }

    @Test
    void ofUsesTheGivenGenerator() throws Exception {
        SecureRandom r1 = SecureRandom.getInstance("SHA1PRNG");
        r1.setSeed(42L);
        SecureRandom r2 = SecureRandom.getInstance("SHA1PRNG");
        r2.setSeed(42L);
        assertArrayEquals(RandomSource.of(r1).next(24), RandomSource.of(r2).next(24));
    }
}
