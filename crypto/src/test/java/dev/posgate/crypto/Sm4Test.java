package dev.posgate.crypto;

import static dev.posgate.crypto.V.h;
import static dev.posgate.crypto.V.hx;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.posgate.testing.Sm4Reference;
import java.util.SplittableRandom;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.modes.CBCBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Sm4Test {
    private static final byte[] K = h("0123456789ABCDEFFEDCBA9876543210");

    /** GB/T 32907-2016 appendix A, example 1: key = plaintext. */
    @Test
    void gbt32907Example1() {
        assertEquals("681EDF34D206965E86B3E94F536E4246", hx(Sm4.encryptEcb(K, K)));
        assertEquals(hx(K), hx(Sm4.decryptEcb(K, h("681EDF34D206965E86B3E94F536E4246"))));
    }

    /**
     * GB/T 32907-2016 appendix A, example 2: the plaintext encrypted 1,000,000 times under the
     * same key. Uses the keyed block function of {@link Sm4} (one key schedule), after checking
     * it agrees with the public ECB method.
     */
    @Test
    void gbt32907Example2MillionIterations() {
        BlockCipher e = Sm4.engine(K, true);
        byte[] x = K.clone();
        byte[] viaWrapper = K.clone();
        for (int i = 0; i < 3; i++) {
            e.processBlock(x, 0, x, 0);
            viaWrapper = Sm4.encryptEcb(K, viaWrapper);
        }
        assertArrayEquals(viaWrapper, x);
        for (int i = 3; i < 1_000_000; i++) {
            e.processBlock(x, 0, x, 0);
        }
        assertEquals("595298C7C6FD271F0402F804C33D3F66", hx(x));
    }

    /** draft-ribose-cfrg-sm4 (SM4 block cipher, IETF draft) appendix A.2.1 (ECB) and A.2.2 (CBC). */
    @ParameterizedTest
    @CsvSource({
        "0123456789ABCDEFFEDCBA9876543210, 5EC8143DE509CFF7B5179F8F474B86192F1D305A7FB17DF985F81C8482192304,"
                + " 78EBB11CC40B0A48312AAEB2040244CB4CB7016951909226979B0D15DC6A8F6D",
        "FEDCBA98765432100123456789ABCDEF, C5876897E4A59BBBA72A10C83872245B12DD90BC2D200692B529A4155AC9E600,"
                + " 0D3A6DDC2D21C698857215587B7BB59A91F2C147911A4144665E1FA1D40BAE38",
    })
    void riboseDraftVectors(String key, String ecb, String cbc) {
        byte[] p = h("AAAAAAAABBBBBBBBCCCCCCCCDDDDDDDDEEEEEEEEFFFFFFFFAAAAAAAABBBBBBBB");
        byte[] iv = h("000102030405060708090A0B0C0D0E0F");
        assertEquals(ecb, hx(Sm4.encryptEcb(h(key), p)));
        assertEquals(cbc, hx(Sm4.encryptCbc(h(key), iv, p)));
        assertArrayEquals(p, Sm4.decryptEcb(h(key), h(ecb)));
        assertArrayEquals(p, Sm4.decryptCbc(h(key), iv, h(cbc)));
    }

    /** ECB and CBC against BouncyCastle's SM4Engine / CBCBlockCipher called directly. */
    @Test
    void matchesBouncyCastleModesOnRandomData() {
        SplittableRandom r = new SplittableRandom(32907);
        for (int n = 0; n < 50; n++) {
            byte[] key = TdesTest.bytes(r, 16);
            byte[] iv = TdesTest.bytes(r, 16);
            byte[] data = TdesTest.bytes(r, 16 * r.nextInt(0, 6));
            assertArrayEquals(Sm4Reference.ecbEncrypt(key, data), Sm4.encryptEcb(key, data));
            assertArrayEquals(Sm4Reference.ecbDecrypt(key, data), Sm4.decryptEcb(key, data));
            assertArrayEquals(refCbc(key, iv, data, true), Sm4.encryptCbc(key, iv, data));
            assertArrayEquals(refCbc(key, iv, data, false), Sm4.decryptCbc(key, iv, data));
        }
    }

    @Test
    void argumentsAreNotModified() {
        byte[] key = K.clone();
        byte[] iv = new byte[16];
        byte[] data = h("AAAAAAAABBBBBBBBCCCCCCCCDDDDDDDD");
        byte[] copy = data.clone();
        Sm4.encryptCbc(key, iv, data);
        Sm4.decryptCbc(key, iv, data);
        assertArrayEquals(copy, data);
        assertArrayEquals(new byte[16], iv);
        assertArrayEquals(K, key);
    }

    @Test
    void rejectsBadLengths() {
        assertThrows(IllegalArgumentException.class, () -> Sm4.encryptEcb(new byte[8], new byte[16]));
        assertThrows(IllegalArgumentException.class, () -> Sm4.encryptEcb(new byte[24], new byte[16]));
        assertThrows(IllegalArgumentException.class, () -> Sm4.encryptEcb(K, new byte[8]));
        assertThrows(IllegalArgumentException.class, () -> Sm4.encryptCbc(K, new byte[8], new byte[16]));
        assertThrows(IllegalArgumentException.class, () -> Sm4.decryptCbc(K, new byte[16], new byte[17]));
        assertEquals(0, Sm4.encryptEcb(K, new byte[0]).length);
    }

    // ---- independent references: BouncyCastle called directly ----

    static byte[] refCbc(byte[] key, byte[] iv, byte[] data, boolean encrypt) {
        BlockCipher c = CBCBlockCipher.newInstance(new SM4Engine());
        c.init(encrypt, new ParametersWithIV(new KeyParameter(key), iv));
        byte[] out = new byte[data.length];
        for (int off = 0; off < data.length; off += 16) {
            c.processBlock(data, off, out, off);
        }
        return out;
    }
}
