package dev.posgate.crypto;

import static dev.posgate.crypto.V.h;
import static dev.posgate.crypto.V.hx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class KeyComponentsTest {
    @Test
    void xorOfTwoAndThree() {
        byte[] a = h("0123456789ABCDEFFEDCBA9876543210");
        byte[] b = h("1111111111111111 2222222222222222");
        byte[] c = h("FFFFFFFFFFFFFFFF 0000000000000000");
        assertEquals("1032547698BADCFEDCFE98BA54761032", hx(KeyComponents.combine(a, b)));
        assertEquals("EFCDAB8967452301DCFE98BA54761032", hx(KeyComponents.combine(a, b, c)));
        // combining with the same component twice cancels it
        assertEquals(hx(a), hx(KeyComponents.combine(a, b, b)));
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> KeyComponents.combine(new byte[16]));
        assertThrows(IllegalArgumentException.class,
                () -> KeyComponents.combine(new byte[16], new byte[16], new byte[16], new byte[16]));
        assertThrows(IllegalArgumentException.class, () -> KeyComponents.combine(new byte[16], new byte[8]));
        assertThrows(IllegalArgumentException.class, () -> KeyComponents.combine(new byte[10], new byte[10]));
        assertThrows(NullPointerException.class, () -> KeyComponents.combine(new byte[16], null));
    }
}
