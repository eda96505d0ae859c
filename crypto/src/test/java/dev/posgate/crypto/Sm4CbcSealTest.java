package dev.posgate.crypto;

import static dev.posgate.crypto.V.h;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.macs.CBCBlockCipherMac;
import org.junit.jupiter.api.Test;

class Sm4CbcSealTest {
    /** The GB/T 32907 example key. */
    private static final byte[] K = h("0123456789ABCDEFFEDCBA9876543210");
    private static final byte[] IV = h("000102030405060708090A0B0C0D0E0F");
    private static final byte[] PLAIN = h("DF3702000000000000000000000000004E6F772069732074686520802000000000");

    /** The body laid out by hand with BouncyCastle's own SM4 CBC and CBC-MAC, not our Sm4/Macs. */
    @Test
    void bodyIsIvCiphertextAndCbcMacOverBoth() {
        byte[] plain = Arrays.copyOf(PLAIN, 32);
        byte[] body = Sm4CbcSeal.seal(K, IV, plain);
        assertArrayEquals(V.cbcSealed(new SM4Engine(), new CBCBlockCipherMac(new SM4Engine(), 128), K, IV, plain), body);
        assertArrayEquals(plain, Sm4CbcSeal.open(K, body));
    }

    @Test
    void aFlippedBitAnywhereIsRefusedBeforeDecryption() {
        byte[] body = Sm4CbcSeal.seal(K, IV, Arrays.copyOf(PLAIN, 32));
        for (int i = 0; i < body.length; i++) {
            byte[] bad = body.clone();
            bad[i] ^= 0x01;
            assertThrows(IntegrityException.class, () -> Sm4CbcSeal.open(K, bad));
        }
    }

    @Test
    void badLengthsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Sm4CbcSeal.seal(K, IV, new byte[8]));
        assertThrows(IllegalArgumentException.class, () -> Sm4CbcSeal.seal(K, new byte[8], new byte[16]));
        assertThrows(IllegalArgumentException.class, () -> Sm4CbcSeal.open(K, new byte[40]));
        assertThrows(IllegalArgumentException.class, () -> Sm4CbcSeal.open(K, new byte[56]));
    }
}
