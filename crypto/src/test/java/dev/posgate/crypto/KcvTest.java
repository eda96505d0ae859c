package dev.posgate.crypto;

import static dev.posgate.crypto.V.h;
import static dev.posgate.crypto.V.hx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.posgate.testing.Sm4Reference;
import org.junit.jupiter.api.Test;

class KcvTest {
    @Test
    void publishedSingleLengthKcv() {
        byte[] key = h("0123456789ABCDEF");
        assertEquals("D5D44FF720683D0D", hx(Kcv.of(key, 8)));
        assertEquals("D5D44F", Kcv.hex6(key));
        assertEquals("D5D44FF7", hx(Kcv.of(key, 4)));
    }

    /** Widely published KCV of the test key 0123456789ABCDEF FEDCBA9876543210 (payShield/EFTlab examples). */
    @Test
    void publishedDoubleLengthKcv() {
        assertEquals("08D7B4", Kcv.hex6(h("0123456789ABCDEFFEDCBA9876543210")));
    }

    @Test
    void kcvIgnoresParityBits() {
        assertEquals(Kcv.hex6(h("0123456789ABCDEF")), Kcv.hex6(h("0022446688AACCEE")));
    }

    @Test
    void tripleLengthKcvMatchesEncryptionOfZeros() {
        byte[] k24 = h("0123456789ABCDEF23456789ABCDEF01456789ABCDEF0123");
        assertEquals(hx(Tdes.encryptEcb(k24, new byte[8])).substring(0, 8), hx(Kcv.of(k24, 4)));
    }

    @Test
    void rejectsBadLength() {
        assertThrows(IllegalArgumentException.class, () -> Kcv.of(new byte[16], 0));
        assertThrows(IllegalArgumentException.class, () -> Kcv.of(new byte[16], 9));
        assertThrows(IllegalArgumentException.class, () -> Kcv.of(new byte[10], 3));
    }

    // ---- SM4 (protocol.md section 5) ----

    /**
     * Public worked example "银行卡密码键盘 SM4 ECB模式+ANSI X9.8 格式标准 PIN 加解密示例"
     * (blog.csdn.net/M_Kerry/article/details/104625499): the PIK under the TMK decrypts to
     * F351D490994603795C6EBEE8FAEBB481 and its published check value is the first 8 bytes of
     * SM4(PIK, 16 zero bytes).
     */
    @Test
    void publishedSm4CheckValue() {
        byte[] tmk = h("1234567890ABCDEFABCDEF0987654321");
        byte[] pik = Sm4.decryptEcb(tmk, h("3D66234C49E4296FF9C78D8BACBD6A76"));
        assertEquals("F351D490994603795C6EBEE8FAEBB481", hx(pik));
        assertEquals("861E83E31FAEBF10", hx(Kcv.ofSm4(pik, 8)));
        assertEquals("861E83E3", hx(Kcv.ofSm4(pik, 4)));
        assertEquals("861E83", Kcv.hex6Sm4(pik));
    }

    @Test
    void sm4KcvIsSm4OfSixteenZeroBytes() {
        byte[] key = h("0123456789ABCDEFFEDCBA9876543210");
        assertEquals(hx(Sm4Reference.ecbEncrypt(key, new byte[16])), hx(Kcv.ofSm4(key, 16)));
        assertEquals("2677F46B09C122CC975533105BD4A22A", hx(Kcv.ofSm4(key, 16)));
        // same key bytes, other algorithm: the TDES KCV differs
        assertEquals("08D7B4", Kcv.hex6(key));
        assertEquals("2677F4", Kcv.hex6Sm4(key));
    }

    @Test
    void sm4KcvRejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> Kcv.ofSm4(new byte[16], 0));
        assertThrows(IllegalArgumentException.class, () -> Kcv.ofSm4(new byte[16], 17));
        assertThrows(IllegalArgumentException.class, () -> Kcv.ofSm4(new byte[8], 3));
    }
}
