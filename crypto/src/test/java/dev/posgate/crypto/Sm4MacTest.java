package dev.posgate.crypto;

import static dev.posgate.crypto.V.h;
import static dev.posgate.crypto.V.hx;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.testing.Sm4Reference;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.macs.CBCBlockCipherMac;
import org.bouncycastle.crypto.paddings.ISO7816d4Padding;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** SM4 MACs of protocol.md section 5: CBC-MAC, TAC/SAC, UnionPay SM4 POS MAC. */
class Sm4MacTest {
    private static final byte[] K = h("0123456789ABCDEFFEDCBA9876543210");

    // ---------------- CBC-MAC ----------------

    /** BouncyCastle's CBCBlockCipherMac over SM4 (zero IV; full-block MAC size) as the independent reference. */
    @Test
    void cbcMacMatchesBouncyCastleCbcBlockCipherMac() {
        SplittableRandom r = new SplittableRandom(9797);
        for (int n = 0; n < 60; n++) {
            byte[] key = TdesTest.bytes(r, 16);
            byte[] data = TdesTest.bytes(r, r.nextInt(1, 70));
            // method 1 = BouncyCastle's default zero padding of a CBCBlockCipherMac
            assertArrayEquals(bcMac(key, data, false), Macs.sm4CbcMac(key, data, PaddingMethod.METHOD_1), "n=" + n);
            // method 2 = ISO 7816-4 padding
            assertArrayEquals(bcMac(key, data, true), Macs.sm4CbcMac(key, data, PaddingMethod.METHOD_2), "n=" + n);
        }
    }

    @ParameterizedTest
    @EnumSource(PaddingMethod.class)
    void cbcMacIsTheLastBlockOfSm4CbcOverThePaddedData(PaddingMethod pm) {
        SplittableRandom r = new SplittableRandom(pm.ordinal() + 7);
        for (int n = 0; n < 30; n++) {
            int len = pm == PaddingMethod.NONE ? 16 * r.nextInt(1, 5) : r.nextInt(0, 70);
            byte[] data = TdesTest.bytes(r, len);
            byte[] padded = refPad16(pm, data);
            byte[] cbc = Sm4Test.refCbc(K, new byte[16], padded, true);
            assertArrayEquals(Arrays.copyOfRange(cbc, cbc.length - 16, cbc.length), Macs.sm4CbcMac(K, data, pm),
                    pm + " len " + len);
        }
    }

    @Test
    void emptyDataWithMethod1MacsOneZeroBlock() {
        assertArrayEquals(Sm4Reference.ecbEncrypt(K, new byte[16]), Macs.sm4CbcMac(K, new byte[0], PaddingMethod.METHOD_1));
        assertThrows(IllegalArgumentException.class, () -> Macs.sm4CbcMac(K, new byte[0], PaddingMethod.NONE));
        assertThrows(IllegalArgumentException.class, () -> Macs.sm4CbcMac(K, new byte[8], PaddingMethod.NONE));
    }

    @Test
    void tacIsLeftmost4BytesOfSm4CbcMac() {
        byte[] tData = h("1A2B3C4D 250101120000");
        byte[] cbc = Sm4Test.refCbc(K, new byte[16], Arrays.copyOf(tData, 16), true);
        assertArrayEquals(Arrays.copyOf(cbc, 4), Macs.sm4Tac(K, tData));
    }

    @Test
    void keyLengthIsChecked() {
        assertThrows(IllegalArgumentException.class, () -> Macs.sm4CbcMac(new byte[8], new byte[16], PaddingMethod.METHOD_1));
        assertThrows(IllegalArgumentException.class, () -> Macs.unionPaySm4(new byte[24], new byte[16]));
        assertThrows(IllegalArgumentException.class, () -> Macs.sm4Tac(new byte[0], new byte[16]));
    }

    // ---------------- UnionPay SM4 POS MAC ----------------

    /**
     * The worked example of the public article "pos终端mac国密(sm4)算法(java实现)"
     * (blog.csdn.net/weixin_36308404/article/details/115071206, also mzph.cn/news/573007.shtml):
     * key 12345678901234567890123456789012, MAB = the ASCII digits below. It publishes every
     * intermediate value up to the second encryption; each is checked here with BouncyCastle's
     * SM4Engine called directly, and the final MAC is the first 8 hex characters of that.
     */
    @Test
    void publishedWorkedExampleStepByStep() {
        byte[] key = h("12345678901234567890123456789012");
        byte[] mab = V.ascii("6000112018111411003020170930101010120171025000755000000005553");
        byte[] xor = Macs.xorBlocks(mab, 16);
        assertEquals("02000202030004060106020403343734", hx(xor));
        byte[] hexed = V.ascii(hx(xor));
        assertEquals("3032303030323032303330303034303630313036303230343033333433373334", hx(hexed));
        byte[] e1 = Sm4Reference.ecbEncrypt(key, Arrays.copyOf(hexed, 16));
        assertEquals("B038A2B2F3FFE3C8AC60B377C70C2DB1", hx(e1));
        for (int i = 0; i < 16; i++) {
            e1[i] ^= hexed[16 + i];
        }
        assertEquals("80099284C3CDD3FC9C538043F43B1E85", hx(e1));
        byte[] e2 = Sm4Reference.ecbEncrypt(key, e1);
        assertEquals(hx(e2).substring(0, 8), new String(Macs.unionPaySm4(key, mab), StandardCharsets.US_ASCII));
        assertEquals("1E80F373", new String(Macs.unionPaySm4(key, mab), StandardCharsets.US_ASCII));
    }

    @Test
    void unionPaySm4MatchesIndependentImplementation() {
        SplittableRandom r = new SplittableRandom(5);
        for (int n = 0; n < 60; n++) {
            byte[] key = TdesTest.bytes(r, 16);
            byte[] mab = TdesTest.bytes(r, r.nextInt(0, 150));
            assertArrayEquals(Sm4Reference.unionPayMac(key, mab), Macs.unionPaySm4(key, mab), "n=" + n);
        }
    }

    @Test
    void unionPaySm4IsEightUppercaseHexCharacters() {
        byte[] mac = Macs.unionPaySm4(K, V.ascii("0200 anything"));
        assertEquals(8, mac.length);
        for (byte b : mac) {
            assertTrue((b >= '0' && b <= '9') || (b >= 'A' && b <= 'F'));
        }
    }

    @Test
    void unionPaySm4DiffersFromTheTdesMacUnderTheSameKeyBytes() {
        byte[] mab = V.ascii("0200 some message body");
        assertTrue(!Arrays.equals(Macs.unionPayEcb(K, mab), Macs.unionPaySm4(K, mab)));
    }

    // ---------------- independent references ----------------

    private static byte[] bcMac(byte[] key, byte[] data, boolean iso7816) {
        CBCBlockCipherMac mac = iso7816
                ? new CBCBlockCipherMac(new SM4Engine(), 128, new ISO7816d4Padding())
                : new CBCBlockCipherMac(new SM4Engine(), 128);
        mac.init(new KeyParameter(key));
        mac.update(data, 0, data.length);
        byte[] out = new byte[16];
        mac.doFinal(out, 0);
        return out;
    }

    static byte[] refPad16(PaddingMethod pm, byte[] data) {
        switch (pm) {
            case NONE:
                return data.clone();
            case METHOD_1:
                return Arrays.copyOf(data, Math.max(16, (data.length + 15) / 16 * 16));
            case METHOD_2: {
                byte[] p = Arrays.copyOf(data, (data.length / 16 + 1) * 16);
                p[data.length] = (byte) 0x80;
                return p;
            }
            case METHOD_3: {
                byte[] p = new byte[16 + (data.length + 15) / 16 * 16];
                java.nio.ByteBuffer.wrap(p, 8, 8).putLong(data.length * 8L);
                System.arraycopy(data, 0, p, 16, data.length);
                return p;
            }
            default:
                throw new AssertionError();
        }
    }
}
