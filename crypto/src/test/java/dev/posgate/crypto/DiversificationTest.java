package dev.posgate.crypto;

import static dev.posgate.crypto.V.h;
import static dev.posgate.crypto.V.hx;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DiversificationTest {
    private static final byte[] MK = h("0123456789ABCDEFFEDCBA9876543210");

    @ParameterizedTest
    @CsvSource({
        "1234567890123456, 1234567890123456",
        "12345, 0000000000012345",
        "0, 0000000000000000",
        "98765432101234567890, 5432101234567890", // 20-digit PSAM serial: rightmost 16 digits
        "00000000000000000001, 0000000000000001",
    })
    void psamDiversifier(String card, String expected) {
        assertEquals(expected, hx(Diversification.psamDiversifier(card)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "123456789012345678901", "12345A", "1234 5678", "+1234"})
    void psamDiversifierRejectsBadCardNumbers(String card) {
        assertThrows(IllegalArgumentException.class, () -> Diversification.psamDiversifier(card));
    }

    /** Pinned vector; the value is recomputed below with plain JCA DESede and must agree. */
    @Test
    void pbocPinnedVector() throws Exception {
        byte[] d = Diversification.psamDiversifier("1234567890123456");
        byte[] expected = jcaPboc(MK, d);
        assertEquals("A82FD66425830BD068D91F7FC4F8FB68", hx(Diversification.pboc(MK, d)));
        assertArrayEquals(expected, Diversification.pboc(MK, d));
    }

    @Test
    void pbocMatchesJcaForManyInputs() throws Exception {
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        for (int n = 0; n < 30; n++) {
            byte[] mk = TdesTest.bytes(r, n % 2 == 0 ? 16 : 24);
            byte[] d = TdesTest.bytes(r, 8);
            assertArrayEquals(jcaPboc(mk, d), Diversification.pboc(mk, d));
        }
    }

    @Test
    void resultHasOddParityAndRawDiffersOnlyInParityBits() {
        byte[] d = h("0000000000012345");
        byte[] adjusted = Diversification.pboc(MK, d);
        byte[] raw = Diversification.pbocRaw(MK, d);
        assertTrue(Parity.isOdd(adjusted));
        assertEquals(16, adjusted.length);
        for (int i = 0; i < 16; i++) {
            assertEquals(raw[i] & 0xFE, adjusted[i] & 0xFE);
        }
        assertEquals(Kcv.hex6(raw), Kcv.hex6(adjusted));
        // the halves are E(d) and E(NOT d)
        assertArrayEquals(Tdes.encryptEcb(MK, d), Arrays.copyOf(raw, 8));
        assertArrayEquals(Tdes.encryptEcb(MK, h("FFFFFFFFFFFEDCBA")), Arrays.copyOfRange(raw, 8, 16));
    }

    @Test
    void rejectsBadLengths() {
        assertThrows(IllegalArgumentException.class, () -> Diversification.pboc(new byte[8], new byte[8]));
        assertThrows(IllegalArgumentException.class, () -> Diversification.pboc(MK, new byte[7]));
        assertThrows(IllegalArgumentException.class, () -> Diversification.pboc(MK, new byte[16]));
    }

    /** Independent: JCA DESede, both halves, then odd parity done bit by bit. */
    static byte[] jcaPboc(byte[] mk, byte[] d) throws Exception {
        byte[] k24 = mk.length == 24 ? mk : Arrays.copyOf(mk, 24);
        if (mk.length == 16) {
            System.arraycopy(mk, 0, k24, 16, 8);
        }
        Cipher c = Cipher.getInstance("DESede/ECB/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(k24, "DESede"));
        byte[] notD = new byte[8];
        for (int i = 0; i < 8; i++) {
            notD[i] = (byte) (d[i] ^ 0xFF);
        }
        byte[] out = new byte[16];
        System.arraycopy(c.doFinal(d), 0, out, 0, 8);
        System.arraycopy(c.doFinal(notD), 0, out, 8, 8);
        for (int i = 0; i < 16; i++) {
            int ones = 0;
            for (int bit = 1; bit < 8; bit++) {
                ones += (out[i] >> bit) & 1;
            }
            out[i] = (byte) ((out[i] & 0xFE) | (ones % 2 == 0 ? 1 : 0));
        }
        return out;
    }
}
