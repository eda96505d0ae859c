package dev.posgate.crypto;

import static dev.posgate.crypto.V.h;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.bouncycastle.crypto.engines.DESEngine;
import org.bouncycastle.crypto.engines.DESedeEngine;
import org.bouncycastle.crypto.macs.ISO9797Alg3Mac;
import org.junit.jupiter.api.Test;

class CbcSealTest {
    private static final byte[] K16 = h("0123456789ABCDEFFEDCBA9876543210");
    private static final byte[] IV = h("1234567890ABCDEF");
    private static final byte[] PLAIN = h("DF01020102800000" + "4E6F772069732074");

    /** The body laid out by hand with BouncyCastle's own CBC and retail MAC, not our Tdes/Macs. */
    @Test
    void bodyIsIvCiphertextAndX919OverBoth() {
        byte[] body = CbcSeal.seal(K16, IV, PLAIN);
        assertArrayEquals(V.cbcSealed(new DESedeEngine(), new ISO9797Alg3Mac(new DESEngine()), K16, IV, PLAIN), body);
        assertArrayEquals(PLAIN, CbcSeal.open(K16, body));
    }

    @Test
    void anyFlippedBitIsRefusedBeforeDecryption() {
        byte[] body = CbcSeal.seal(K16, IV, PLAIN);
        for (int i = 0; i < body.length; i++) {
            byte[] bad = body.clone();
            bad[i] ^= 0x01;
            assertThrows(IntegrityException.class, () -> CbcSeal.open(K16, bad));
        }
        byte[] otherKey = h("1111111111111111" + "2222222222222222");
        assertThrows(IntegrityException.class, () -> CbcSeal.open(otherKey, body));
    }

    @Test
    void shapesOutsideTheLayoutAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> CbcSeal.seal(K16, IV, new byte[7]));
        assertThrows(IllegalArgumentException.class, () -> CbcSeal.seal(K16, IV, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> CbcSeal.seal(K16, new byte[4], new byte[8]));
        assertThrows(IllegalArgumentException.class, () -> CbcSeal.open(K16, new byte[16]));
        assertThrows(IllegalArgumentException.class, () -> CbcSeal.open(K16, new byte[25]));
    }
}
