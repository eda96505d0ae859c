package dev.posgate.gateway.posp.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The stored advice's padding (ISO/IEC 9797-1 method 2) around the HSM's M0/M2, which take whole blocks only. */
class AdviceVaultTest {
    @Test
    void padsToWholeBlocksWithEightyThenZerosAndBack() {
        for (int n = 0; n <= 24; n++) {
            byte[] data = new byte[n];
            for (int i = 0; i < n; i++) data[i] = (byte) (i == n - 1 ? 0 : 0x80 + i); // trailing 00 and 80 bytes survive
            byte[] padded = AdviceVault.pad(data);
            assertEquals(0, padded.length % 8);
            assertEquals((n / 8 + 1) * 8, padded.length, "always at least one padding byte");
            assertEquals((byte) 0x80, padded[n]);
            assertArrayEquals(data, AdviceVault.unpad(padded));
        }
        assertArrayEquals(HexFormat.of().parseHex("0102038000000000"), AdviceVault.pad(HexFormat.of().parseHex("010203")));
    }

    @Test
    void refusesWhatIsNotPadded() {
        // what a wrong key (or a damaged row) decrypts to: no 80 within the last block
        assertThrows(IllegalArgumentException.class, () -> AdviceVault.unpad(HexFormat.of().parseHex("0102030405060708")));
        assertThrows(IllegalArgumentException.class, () -> AdviceVault.unpad(new byte[16]));
        assertThrows(IllegalArgumentException.class, () -> AdviceVault.unpad(HexFormat.of().parseHex("800000000000000000000000000000")));
    }
}
