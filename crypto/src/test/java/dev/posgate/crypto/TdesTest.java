package dev.posgate.crypto;

import static dev.posgate.crypto.V.h;
import static dev.posgate.crypto.V.hx;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TdesTest {
    private static final byte[] NOW_IS_THE_TIME_FOR_ALL = V.ascii("Now is the time for all ");

    /** FIPS 81 Appendix B, table B1 (ECB) and table C1 (CBC). */
    @Test
    void fips81EcbAndCbc() {
        byte[] key = h("0123456789ABCDEF");
        byte[] ecb = h("3FA40E8A984D4815 6A271787AB8883F9 893D51EC4B563B53");
        byte[] cbc = h("E5C7CDDE872BF27C 43E934008C389C0F 683788499A7C05F6");
        byte[] iv = h("1234567890ABCDEF");
        assertArrayEquals(ecb, Tdes.encryptEcb(key, NOW_IS_THE_TIME_FOR_ALL));
        assertArrayEquals(NOW_IS_THE_TIME_FOR_ALL, Tdes.decryptEcb(key, ecb));
        assertArrayEquals(cbc, Tdes.encryptCbc(key, iv, NOW_IS_THE_TIME_FOR_ALL));
        assertArrayEquals(NOW_IS_THE_TIME_FOR_ALL, Tdes.decryptCbc(key, iv, cbc));
    }

    /** Single-DES known answers: FIPS 46 worked example, NIST SP 800-20 tables, SP 800-17 sample. */
    @ParameterizedTest
    @CsvSource({
        "133457799BBCDFF1, 0123456789ABCDEF, 85E813540F0AB405", // FIPS 46 / Grabbe worked example
        "0101010101010101, 8000000000000000, 95F8A5E5DD31D900", // SP 800-20 variable plaintext, round 1
        "0101010101010101, 4000000000000000, DD7F121CA5015619", // SP 800-20 variable plaintext, round 2
        "8001010101010101, 0000000000000000, 95A8D72813DAA94D", // SP 800-20 variable key, round 1
        "7CA110454A1A6E57, 01A1D6D039776742, 690F5B0D9A26939B", // SP 800-17 / Schneier table
        "0E329232EA6D0D73, 8787878787878787, 0000000000000000", // Grabbe "DES illustrated"
    })
    void singleDesKnownAnswers(String key, String pt, String ct) {
        assertEquals(ct, hx(Tdes.encryptEcb(h(key), h(pt))));
        assertEquals(pt, hx(Tdes.decryptEcb(h(key), h(ct))));
    }

    /** NIST SP 800-67 appendix B: three-key TDEA ECB over "The qufck brown fox jump" (sic). */
    @Test
    void sp80067ThreeKeyExample() {
        byte[] key = h("0123456789ABCDEF 23456789ABCDEF01 456789ABCDEF0123");
        byte[] pt = V.ascii("The qufck brown fox jump");
        byte[] ct = h("A826FD8CE53B855F CCE21C8112256FE6 68D5C05DD9B6B900");
        assertArrayEquals(ct, Tdes.encryptEcb(key, pt));
        assertArrayEquals(pt, Tdes.decryptEcb(key, ct));
    }

    /** Botan des.vec [TripleDES]: two-key TDEA (keying option 2). */
    @Test
    void twoKeyKnownAnswer() {
        byte[] key = h("0123456789ABCDEFFEDCBA9876543210");
        assertEquals("7F1D0A77826B8AFF", hx(Tdes.encryptEcb(key, h("0123456789ABCDE7"))));
    }

    @Test
    void doubleLengthIsK1K2K1() {
        byte[] k16 = h("0123456789ABCDEF 23456789ABCDEF01");
        byte[] k24 = h("0123456789ABCDEF 23456789ABCDEF01 0123456789ABCDEF");
        byte[] data = h("0011223344556677 8899AABBCCDDEEFF");
        assertArrayEquals(Tdes.encryptEcb(k24, data), Tdes.encryptEcb(k16, data));
        // and it is E(K1) D(K2) E(K1) with single DES
        byte[] k1 = Arrays.copyOf(k16, 8);
        byte[] k2 = Arrays.copyOfRange(k16, 8, 16);
        byte[] ede = Tdes.encryptEcb(k1, Tdes.decryptEcb(k2, Tdes.encryptEcb(k1, data)));
        assertArrayEquals(ede, Tdes.encryptEcb(k16, data));
    }

    @Test
    void tdesWithEqualHalvesIsSingleDes() {
        byte[] k = h("133457799BBCDFF1");
        byte[] k16 = h("133457799BBCDFF1133457799BBCDFF1");
        byte[] k24 = h("133457799BBCDFF1133457799BBCDFF1133457799BBCDFF1");
        byte[] data = h("0123456789ABCDEF FEDCBA9876543210");
        byte[] single = Tdes.encryptEcb(k, data);
        assertEquals("85E813540F0AB405", hx(Arrays.copyOf(single, 8)));
        assertArrayEquals(single, Tdes.encryptEcb(k16, data));
        assertArrayEquals(single, Tdes.encryptEcb(k24, data));
        byte[] iv = h("0102030405060708");
        assertArrayEquals(Tdes.encryptCbc(k, iv, data), Tdes.encryptCbc(k16, iv, data));
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 16, 24})
    void roundTripsAndMatchesJca(int keyLen) throws Exception {
        SplittableRandom r = new SplittableRandom(keyLen);
        for (int n = 0; n < 20; n++) {
            byte[] key = bytes(r, keyLen);
            byte[] iv = bytes(r, 8);
            byte[] data = bytes(r, 8 * r.nextInt(0, 9));
            byte[] ecb = Tdes.encryptEcb(key, data);
            byte[] cbc = Tdes.encryptCbc(key, iv, data);
            assertArrayEquals(data, Tdes.decryptEcb(key, ecb));
            assertArrayEquals(data, Tdes.decryptCbc(key, iv, cbc));
            if (data.length > 0) {
                assertArrayEquals(jca("ECB", key, null, data), ecb);
                assertArrayEquals(jca("CBC", key, iv, data), cbc);
            }
        }
    }

    @Test
    void inputsAreNotModified() {
        byte[] key = h("0123456789ABCDEFFEDCBA9876543210");
        byte[] iv = h("1234567890ABCDEF");
        byte[] data = h("0011223344556677 8899AABBCCDDEEFF");
        byte[] keyCopy = key.clone();
        byte[] ivCopy = iv.clone();
        byte[] dataCopy = data.clone();
        Tdes.decryptCbc(key, iv, Tdes.encryptCbc(key, iv, data));
        assertArrayEquals(keyCopy, key);
        assertArrayEquals(ivCopy, iv);
        assertArrayEquals(dataCopy, data);
    }

    @Test
    void rejectsInvalidLengths() {
        byte[] k16 = new byte[16];
        assertThrows(IllegalArgumentException.class, () -> Tdes.encryptEcb(k16, new byte[7]));
        assertThrows(IllegalArgumentException.class, () -> Tdes.decryptEcb(k16, new byte[9]));
        assertThrows(IllegalArgumentException.class, () -> Tdes.encryptCbc(k16, new byte[8], new byte[12]));
        assertThrows(IllegalArgumentException.class, () -> Tdes.decryptCbc(k16, new byte[8], new byte[1]));
        assertThrows(IllegalArgumentException.class, () -> Tdes.encryptCbc(k16, new byte[7], new byte[8]));
        assertThrows(IllegalArgumentException.class, () -> Tdes.decryptCbc(k16, new byte[16], new byte[8]));
        for (int len : new int[] {0, 7, 9, 15, 17, 23, 25, 32}) {
            assertThrows(IllegalArgumentException.class, () -> Tdes.encryptEcb(new byte[len], new byte[8]),
                    "key length " + len);
        }
        assertThrows(NullPointerException.class, () -> Tdes.encryptEcb(null, new byte[8]));
        assertArrayEquals(new byte[0], Tdes.encryptEcb(k16, new byte[0]));
    }

    static byte[] bytes(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }

    /** Independent reference: the JDK's SunJCE DES/DESede. */
    static byte[] jca(String mode, byte[] key, byte[] iv, byte[] data) throws Exception {
        String alg = key.length == 8 ? "DES" : "DESede";
        byte[] k = key;
        if (key.length == 16) {
            k = Arrays.copyOf(key, 24);
            System.arraycopy(key, 0, k, 16, 8);
        }
        Cipher c = Cipher.getInstance(alg + "/" + mode + "/NoPadding");
        if (iv == null) {
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(k, alg));
        } else {
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(k, alg), new IvParameterSpec(iv));
        }
        return c.doFinal(data);
    }
}
