package dev.posgate.crypto;

import static dev.posgate.crypto.V.h;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.bouncycastle.crypto.engines.DESEngine;
import org.bouncycastle.crypto.engines.DESedeEngine;
import org.bouncycastle.crypto.macs.ISO9797Alg3Mac;
import org.bouncycastle.crypto.modes.CBCBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.junit.jupiter.api.Test;

class CbcSealTest {
    private static final byte[] K16 = h("0123456789ABCDEFFEDCBA9876543210");
    private static final byte[] IV = h("1234567890ABCDEF");
    private static final byte[] PLAIN = h("DF01020102800000" + "4E6F772069732074");

    /** The body laid out by hand with BouncyCastle's own CBC and retail MAC, not our Tdes/Macs. */
    @Test
    void bodyIsIvCiphertextAndX919OverBoth() {
        CBCBlockCipher cbc = (CBCBlockCipher) CBCBlockCipher.newInstance(new DESedeEngine());
        cbc.init(true, new ParametersWithIV(new KeyParameter(K16), IV));
        byte[] ct = new byte[PLAIN.length];
        for (int i = 0; i < PLAIN.length; i += 8) cbc.processBlock(PLAIN, i, ct, i);
        ISO9797Alg3Mac retail = new ISO9797Alg3Mac(new DESEngine());
        retail.init(new KeyParameter(K16));
        retail.update(IV, 0, 8);
        retail.update(ct, 0, ct.length);
        byte[] mac = new byte[8];
        retail.doFinal(mac, 0);

        byte[] body = CbcSeal.seal(K16, IV, PLAIN);
        assertArrayEquals(IV, Arrays.copyOf(body, 8));
        assertArrayEquals(ct, Arrays.copyOfRange(body, 8, 8 + ct.length));
        assertArrayEquals(mac, Arrays.copyOfRange(body, 8 + ct.length, body.length));
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
