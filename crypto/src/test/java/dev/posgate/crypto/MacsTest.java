package dev.posgate.crypto;

import static dev.posgate.crypto.V.h;
import static dev.posgate.crypto.V.hx;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class MacsTest {
    private static final byte[] K8 = h("0123456789ABCDEF");
    private static final byte[] K16 = h("0123456789ABCDEFFEDCBA9876543210");

    // ---------------- published vectors ----------------

    /** ANSI X9.9 / FIPS 113 DAA example. */
    @Test
    void x99PublishedVector() {
        byte[] mac = Macs.x99(K8, V.ascii("7654321 Now is the time for "));
        assertEquals("F1D30F6849312CA4", hx(mac));
        assertEquals("F1D30F68", hx(Macs.tac(K8, V.ascii("7654321 Now is the time for "))));
    }

    /** ANSI X9.19 example (also ISO 9797-1 algorithm 3, padding method 1). */
    @Test
    void x919PublishedVector() {
        assertEquals("A1C72E74EA3FA9B6", hx(Macs.x919(K16, V.ascii("Now is the time for all "))));
        assertEquals("A1C72E74EA3FA9B6",
                hx(Macs.iso9797Alg3(K16, V.ascii("Now is the time for all "), PaddingMethod.METHOD_1)));
    }

    /** BouncyCastle ISO9797Alg3MacTest (16 bytes of data: no padding added by method 1). */
    @Test
    void iso9797Alg3BouncyCastleVector() {
        byte[] key = h("7CA110454A1A6E570131D9619DC1376E");
        byte[] data = V.ascii("Hello World !!!!");
        assertEquals("F09B856213BAB83B", hx(Macs.x919(key, data)));
        assertEquals("F09B856213BAB83B", hx(Macs.iso9797Alg3(key, data, PaddingMethod.NONE)));
    }

    /** ICAO Doc 9303 part 11, appendix D.3: retail MAC with padding method 2 (BAC mutual authentication). */
    @Test
    void iso9797Alg3Method2IcaoVectors() {
        byte[] kmac = h("7962D9ECE03D1ACD4C76089DCE131543");
        byte[] eIfd = h("72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2");
        byte[] eIc = h("46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F");
        assertEquals("5F1448EEA8AD90A7", hx(Macs.iso9797Alg3(kmac, eIfd, PaddingMethod.METHOD_2)));
        assertEquals("2F2D235D074D7449", hx(Macs.iso9797Alg3(kmac, eIc, PaddingMethod.METHOD_2)));
    }

    // ---------------- structural properties ----------------

    @Test
    void x919WithEqualHalvesIsX99() {
        byte[] data = V.ascii("Now is the time for all of us");
        byte[] kk = h("0123456789ABCDEF0123456789ABCDEF");
        assertArrayEquals(Macs.x99(K8, data), Macs.x919(kk, data));
    }

    @Test
    void x99WithDoubleLengthKeyIsTdesCbcMac() throws Exception {
        byte[] data = V.ascii("7654321 Now is the time for ");
        byte[] padded = Arrays.copyOf(data, 32);
        byte[] cbc = TdesTest.jca("CBC", K16, new byte[8], padded);
        assertArrayEquals(Arrays.copyOfRange(cbc, 24, 32), Macs.x99(K16, data));
        assertNotEquals(hx(Macs.x99(K8, data)), hx(Macs.x99(K16, data)));
    }

    @Test
    void emptyDataMacsOneZeroBlock() throws Exception {
        assertArrayEquals(Tdes.encryptEcb(K8, new byte[8]), Macs.x99(K8, new byte[0]));
        assertArrayEquals(Macs.x99(K16, new byte[8]), Macs.x99(K16, new byte[0]));
        assertArrayEquals(Macs.x919(K16, new byte[8]), Macs.x919(K16, new byte[0]));
        assertArrayEquals(Macs.iso9797Alg1(K16, h("80"), PaddingMethod.METHOD_1),
                Macs.iso9797Alg1(K16, new byte[0], PaddingMethod.METHOD_2));
    }

    @ParameterizedTest
    @EnumSource(PaddingMethod.class)
    void alg1AndAlg3MatchIndependentJcaComputation(PaddingMethod pm) throws Exception {
        SplittableRandom r = new SplittableRandom(pm.ordinal() + 99);
        for (int n = 0; n < 40; n++) {
            int len = pm == PaddingMethod.NONE ? 8 * r.nextInt(1, 6) : r.nextInt(0, 41);
            byte[] data = TdesTest.bytes(r, len);
            byte[] padded = refPad(pm, data);
            for (int keyLen : new int[] {8, 16, 24}) {
                byte[] key = TdesTest.bytes(r, keyLen);
                byte[] cbc = TdesTest.jca("CBC", key, new byte[8], padded);
                assertArrayEquals(Arrays.copyOfRange(cbc, cbc.length - 8, cbc.length),
                        Macs.iso9797Alg1(key, data, pm), pm + " len " + len + " key " + keyLen);
            }
            byte[] key = TdesTest.bytes(r, 16);
            assertArrayEquals(refRetail(key, padded), Macs.iso9797Alg3(key, data, pm));
        }
    }

    @Test
    void macChangesWithEveryDataBit() {
        byte[] data = V.ascii("0200 some message body of 31 by");
        byte[] base = Macs.x919(K16, data);
        for (int i = 0; i < data.length * 8; i++) {
            byte[] d = data.clone();
            d[i / 8] ^= (byte) (1 << (i % 8));
            assertFalse(Arrays.equals(base, Macs.x919(K16, d)), "bit " + i);
        }
    }

    @Test
    void keyLengthsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> Macs.x919(K8, new byte[8]));
        assertThrows(IllegalArgumentException.class, () -> Macs.x919(new byte[24], new byte[8]));
        assertThrows(IllegalArgumentException.class, () -> Macs.iso9797Alg3(K8, new byte[8], PaddingMethod.METHOD_1));
        assertThrows(IllegalArgumentException.class, () -> Macs.x99(new byte[12], new byte[8]));
        assertThrows(IllegalArgumentException.class, () -> Macs.unionPayEcb(new byte[4], new byte[8]));
        assertThrows(IllegalArgumentException.class, () -> Macs.tac(new byte[0], new byte[8]));
    }

    // ---------------- TAC / SAC ----------------

    @Test
    void tacIsLeftmost4BytesOfTdesCbcMac() throws Exception {
        byte[] tData = h("1A2B3C4D 250101120000"); // terminal random + YYMMDDhhmmss
        byte[] padded = Arrays.copyOf(tData, 16);
        byte[] cbc = TdesTest.jca("CBC", K16, new byte[8], padded);
        assertArrayEquals(Arrays.copyOfRange(cbc, 8, 12), Macs.tac(K16, tData));
        assertEquals(4, Macs.tac(K8, tData).length);
    }

    // ---------------- UnionPay ECB MAC ----------------

    /** A realistic MAB: MTI 0200 + bitmap + a few fields, 59 bytes (not a multiple of 8). */
    private static final byte[] MAB = h("0200 7024048000C08011 166212345678901234 000000 000000001000 000123"
            + " 0210 00 3132333435363738 313233343536373839303132333435 0001");

    @ParameterizedTest
    @ValueSource(ints = {8, 16})
    void unionPayMatchesIndependentImplementation(int keyLen) throws Exception {
        SplittableRandom r = new SplittableRandom(keyLen * 7L);
        for (int n = 0; n < 50; n++) {
            byte[] key = TdesTest.bytes(r, keyLen);
            byte[] mab = TdesTest.bytes(r, r.nextInt(0, 130));
            assertArrayEquals(refUnionPay(key, mab), Macs.unionPayEcb(key, mab), "n=" + n);
        }
        byte[] key = Arrays.copyOf(K16, keyLen);
        assertArrayEquals(refUnionPay(key, MAB), Macs.unionPayEcb(key, MAB));
    }

    @Test
    void unionPayIntermediateSteps() throws Exception {
        // step 1: XOR of the zero-padded blocks
        byte[] xor = Macs.xorBlocks(MAB, 8);
        byte[] padded = Arrays.copyOf(MAB, (MAB.length + 7) / 8 * 8);
        byte[] expect = new byte[8];
        for (int off = 0; off < padded.length; off += 8) {
            for (int i = 0; i < 8; i++) {
                expect[i] ^= padded[off + i];
            }
        }
        assertArrayEquals(expect, xor);
        // step 2: 16 uppercase hex characters
        String hex16 = hx(xor);
        assertEquals(16, hex16.length());
        // step 3 and 4 with the block primitives
        byte[] e1 = Tdes.encryptEcb(K16, V.ascii(hex16.substring(0, 8)));
        byte[] x = V.ascii(hex16.substring(8));
        for (int i = 0; i < 8; i++) {
            x[i] ^= e1[i];
        }
        byte[] e2 = Tdes.encryptEcb(K16, x);
        byte[] mac = Macs.unionPayEcb(K16, MAB);
        assertEquals(hx(e2).substring(0, 8), new String(mac, StandardCharsets.US_ASCII));
        // field 64 is 8 ASCII uppercase hex characters
        for (byte b : mac) {
            assertTrue((b >= '0' && b <= '9') || (b >= 'A' && b <= 'F'));
        }
    }

    /** Pinned known answers (computed once with the independent JCA reimplementation above). */
    @Test
    void unionPayPinnedKnownAnswers() {
        assertEquals("DEE42392", new String(Macs.unionPayEcb(K16, MAB), StandardCharsets.US_ASCII));
        assertEquals("430E85A6", new String(Macs.unionPayEcb(K8, MAB), StandardCharsets.US_ASCII));
        assertEquals("F5BE6DD0", new String(Macs.unionPayEcb(K16, V.ascii("Now is the time for all ")),
                StandardCharsets.US_ASCII));
    }

    @Test
    void unionPayMabTrailingZerosDoNotChangeTheMac() {
        // documented property of zero padding + XOR: appending 00 bytes is invisible
        byte[] longer = Arrays.copyOf(MAB, MAB.length + 3);
        assertArrayEquals(Macs.unionPayEcb(K16, MAB), Macs.unionPayEcb(K16, longer));
    }

    // ---------------- verify ----------------

    @Test
    void verifyComparesAllBytes() {
        byte[] a = h("0102030405060708");
        assertTrue(Macs.verify(a, a.clone()));
        assertFalse(Macs.verify(a, h("0102030405060709")));
        assertFalse(Macs.verify(a, h("8102030405060708")));
        assertFalse(Macs.verify(a, h("01020304")));
        assertFalse(Macs.verify(a, null));
        assertFalse(Macs.verify(null, a));
        assertTrue(Macs.verify(new byte[0], new byte[0]));
        for (int i = 0; i < 64; i++) {
            byte[] b = a.clone();
            b[i / 8] ^= (byte) (1 << (i % 8));
            assertFalse(Macs.verify(a, b), "bit " + i);
        }
    }

    // ---------------- independent references ----------------

    static byte[] refPad(PaddingMethod pm, byte[] data) {
        switch (pm) {
            case NONE:
                return data.clone();
            case METHOD_1:
                return Arrays.copyOf(data, Math.max(8, (data.length + 7) / 8 * 8));
            case METHOD_2: {
                byte[] p = Arrays.copyOf(data, (data.length / 8 + 1) * 8);
                p[data.length] = (byte) 0x80;
                return p;
            }
            case METHOD_3: {
                byte[] p = new byte[8 + (data.length + 7) / 8 * 8];
                java.nio.ByteBuffer.wrap(p).putLong(data.length * 8L);
                System.arraycopy(data, 0, p, 8, data.length);
                return p;
            }
            default:
                throw new AssertionError();
        }
    }

    static byte[] refRetail(byte[] key16, byte[] padded) throws Exception {
        byte[] k = Arrays.copyOf(key16, 8);
        byte[] k2 = Arrays.copyOfRange(key16, 8, 16);
        byte[] cbc = TdesTest.jca("CBC", k, new byte[8], padded);
        byte[] last = Arrays.copyOfRange(cbc, cbc.length - 8, cbc.length);
        Cipher d = Cipher.getInstance("DES/ECB/NoPadding");
        d.init(Cipher.DECRYPT_MODE, new SecretKeySpec(k2, "DES"));
        return TdesTest.jca("ECB", k, null, d.doFinal(last));
    }

    /** Step-by-step UnionPay ECB MAC with plain JCA ciphers, as protocol.md section 2 words it. */
    static byte[] refUnionPay(byte[] key, byte[] mab) throws Exception {
        Cipher c;
        if (key.length == 8) {
            c = Cipher.getInstance("DES/ECB/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "DES"));
        } else {
            byte[] k24 = new byte[24];
            System.arraycopy(key, 0, k24, 0, 16);
            System.arraycopy(key, 0, k24, 16, 8);
            c = Cipher.getInstance("DESede/ECB/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(k24, "DESede"));
        }
        // 1. pad with 00 to a multiple of 8, XOR all blocks
        int n = mab.length % 8 == 0 ? mab.length : mab.length + 8 - mab.length % 8;
        byte[] padded = new byte[n];
        System.arraycopy(mab, 0, padded, 0, mab.length);
        long acc = 0;
        for (int off = 0; off < n; off += 8) {
            acc ^= java.nio.ByteBuffer.wrap(padded, off, 8).getLong();
        }
        // 2. hex-expand to 16 ASCII characters
        String hex = String.format("%016X", acc);
        // 3. encrypt the first 8 characters, XOR with the last 8, encrypt again
        byte[] left = c.doFinal(hex.substring(0, 8).getBytes(StandardCharsets.US_ASCII));
        byte[] right = hex.substring(8).getBytes(StandardCharsets.US_ASCII);
        byte[] mixed = new byte[8];
        for (int i = 0; i < 8; i++) {
            mixed[i] = (byte) (left[i] ^ right[i]);
        }
        byte[] enc = c.doFinal(mixed);
        // 4. hex-expand and keep the first 8 characters
        StringBuilder sb = new StringBuilder();
        for (byte b : enc) {
            sb.append(String.format("%02X", b & 0xFF));
        }
        return sb.substring(0, 8).getBytes(StandardCharsets.US_ASCII);
    }
}
