package dev.posgate.crypto;

import static dev.posgate.crypto.V.h;
import static dev.posgate.crypto.V.hx;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.engines.DESedeEngine;
import org.bouncycastle.crypto.macs.CMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

/**
 * CMAC and the TR-31 key derivation, checked against NIST SP 800-38B's examples and against
 * BouncyCastle's {@link CMac} over its own {@link AESEngine} / {@link DESedeEngine}, called
 * directly (an implementation independent of {@link Cmac}).
 */
class CmacTest {

    /** NIST SP 800-38B appendix D.1 (AES-128), D.3 (AES-256); three-key TDEA from NIST's CMAC example values (empty and 64-bit messages). */
    @Test
    void nistExamples() {
        byte[] k128 = h("2B7E151628AED2A6ABF7158809CF4F3C");
        assertEquals("BB1D6929E95937287FA37D129B756746", hx(Cmac.aes(k128, new byte[0])));
        assertEquals("070A16B46B4D4144F79BDD9DD04A287C", hx(Cmac.aes(k128, h("6BC1BEE22E409F96E93D7E117393172A"))));
        assertEquals("DFA66747DE9AE63030CA32611497C827", hx(Cmac.aes(k128, h(
                "6BC1BEE22E409F96E93D7E117393172AAE2D8A571E03AC9C9EB76FAC45AF8E5130C81C46A35CE411"))));
        byte[] k256 = h("603DEB1015CA71BE2B73AEF0857D77811F352C073B6108D72D9810A30914DFF4");
        assertEquals("028962F61B7BF89EFC6B551F4667D983", hx(Cmac.aes(k256, new byte[0])));
        byte[] k3 = h("8AA83BF8CBDA10620BC1BF19FBB6CD58BC313D4A371CA8B5");
        assertEquals("B7A688E122FFAF95", hx(Cmac.tdes(k3, new byte[0])));
        assertEquals("8E8F293136283797", hx(Cmac.tdes(k3, h("6BC1BEE22E409F96"))));
    }

    @Test
    void agreesWithBouncyCastleForEveryLengthAndKey() {
        SplittableRandom r = new SplittableRandom(31);
        for (int len = 0; len <= 70; len++) {
            byte[] data = bytes(r, len);
            for (int kl : new int[] {16, 24, 32}) {
                byte[] key = bytes(r, kl);
                assertArrayEquals(bc(AESEngine.newInstance(), 16, key, data), Cmac.aes(key, data), "AES " + kl + "/" + len);
            }
            for (int kl : new int[] {16, 24}) {
                byte[] key = bytes(r, kl);
                assertArrayEquals(bc(new DESedeEngine(), 8, key, data), Cmac.tdes(key, data), "TDES " + kl + "/" + len);
            }
        }
    }

    /** TR-31 version B and D key derivation recomputed with BouncyCastle's CMac. */
    @Test
    void tr31DerivationAgreesWithBouncyCastle() {
        byte[] k2 = h("DD7515F2BFC17F85CE48F3CA25CB21F6");
        byte[] k3 = h("AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCC");
        for (byte[] kbpk : new byte[][] {k2, k3}) {
            int alg = kbpk.length == 16 ? 0 : 1;
            int blocks = kbpk.length / 8;
            byte[][] derived = Tr31.deriveTdes(kbpk);
            for (int usage = 0; usage <= 1; usage++) {
                byte[] expect = new byte[0];
                for (int c = 1; c <= blocks; c++) {
                    expect = Tr31.concat(expect, bc(new DESedeEngine(), 8, kbpk,
                            derivationData(c, usage, alg, kbpk.length * 8)));
                }
                assertArrayEquals(expect, derived[usage]);
            }
        }
        for (int kl : new int[] {16, 24, 32}) {
            byte[] kbpk = h("88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6".substring(0, 2 * kl));
            byte[][] derived = Tr31.deriveAes(kbpk);
            for (int usage = 0; usage <= 1; usage++) {
                byte[] expect = new byte[0];
                for (int c = 1; expect.length < kl; c++) {
                    expect = Tr31.concat(expect, bc(AESEngine.newInstance(), 16, kbpk,
                            derivationData(c, usage, kl / 8 - 0, kl * 8)));
                }
                assertArrayEquals(Arrays.copyOf(expect, kl), derived[usage], "AES-" + kl * 8);
            }
        }
    }

    /** Derivation data: counter ‖ usage ‖ 00 ‖ algorithm ‖ bits (AES algorithm codes 2/3/4 = kl/8). */
    private static byte[] derivationData(int counter, int usage, int alg, int bits) {
        return new byte[] {(byte) counter, 0, (byte) usage, 0, 0, (byte) alg, (byte) (bits >> 8), (byte) bits};
    }

    private static byte[] bc(BlockCipher engine, int size, byte[] key, byte[] data) {
        CMac mac = new CMac(engine, size * 8);
        mac.init(new KeyParameter(key));
        mac.update(data, 0, data.length);
        byte[] out = new byte[size];
        mac.doFinal(out, 0);
        return out;
    }

    private static byte[] bytes(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }
}
