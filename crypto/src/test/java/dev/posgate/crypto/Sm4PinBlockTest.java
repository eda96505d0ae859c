package dev.posgate.crypto;

import static dev.posgate.crypto.V.h;
import static dev.posgate.crypto.V.hx;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.posgate.testing.Sm4Reference;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The 16-byte SM4 PIN block (docs/national-crypto.md). */
class Sm4PinBlockTest {
    private static final String PAN = "6230606601007726888";
    private static final byte[] PIK = h("F351D490994603795C6EBEE8FAEBB481");

    /**
     * Public worked example (blog.csdn.net/M_Kerry/article/details/104625499): PIN 123654, PAN
     * 6230606601007726888, "主账号和PIN 按位异或(32位)": 06123654FFFFFFFFFFFFFFFFFFFFFFFF XOR
     * 00000000000000000000660100772688 = 06123654FFFFFFFFFFFF99FEFF88D977.
     */
    @Test
    void publishedClearBlock() {
        assertEquals("06123654FFFFFFFFFFFF99FEFF88D977", hx(PinBlocks.sm4Format0("123654", PAN)));
        assertEquals("123654", PinBlocks.pinFromSm4Format0(h("06123654FFFFFFFFFFFF99FEFF88D977"), PAN));
        assertEquals("06123654FFFFFFFFFFFF99FEFF88D977",
                hx(PinBlocks.sm4Format0ForAccount("123654", PinBlocks.pan12(PAN))));
    }

    /** Encrypted under the SM4 PIK of the same example; the value checked with SM4Engine called directly. */
    @Test
    void encryptedUnderThePublishedPik() {
        byte[] clear = PinBlocks.sm4Format0("123654", PAN);
        byte[] enc = Sm4.encryptEcb(PIK, clear);
        assertArrayEquals(Sm4Reference.ecbEncrypt(PIK, clear), enc);
        assertEquals("CD01D6AD8F0A484C52A9364A0595AD60", hx(enc));
        assertEquals("123654", PinBlocks.pinFromSm4Format0(Sm4.decryptEcb(PIK, enc), PAN));
    }

    /**
     * The variant this project does not use, documented by the same article: its published
     * ciphertext E639B734... decrypts to the 8-byte ISO format 0 block followed by eight zero
     * bytes — a TDES-era block zero-padded to the SM4 block, which the article itself flags
     * ("跟银行确认好,PIN_BLOCK 是 16位还是32位的"). Kept as a test so the choice stays visible.
     */
    @Test
    void theArticlesCiphertextIsTheZeroPaddedEightByteVariant() {
        byte[] clear = Sm4Reference.ecbDecrypt(PIK, h("E639B7346D93D4ECE1E991CDCC84936E"));
        assertArrayEquals(Arrays.copyOf(PinBlocks.format0("123654", PAN), 16), clear);
        // and it is not a valid 16-byte block under our layout
        assertThrows(PinBlockException.class, () -> PinBlocks.pinFromSm4Format0(clear, PAN));
    }

    @Test
    void matchesIndependentStringConstruction() {
        SplittableRandom r = new SplittableRandom(9564);
        for (int n = 0; n < 200; n++) {
            int pinLen = r.nextInt(4, 13);
            StringBuilder pin = new StringBuilder();
            for (int i = 0; i < pinLen; i++) {
                pin.append(r.nextInt(10));
            }
            StringBuilder pan = new StringBuilder();
            int panLen = r.nextInt(8, 20);
            for (int i = 0; i < panLen; i++) {
                pan.append(r.nextInt(10));
            }
            assertEquals(ref(pin.toString(), pan.toString()), hx(PinBlocks.sm4Format0(pin.toString(), pan.toString())));
            assertEquals(pin.toString(), PinBlocks.pinFromSm4Format0(PinBlocks.sm4Format0(pin.toString(),
                    pan.toString()), pan.toString()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "26123654FFFFFFFFFFFF99FEFF88D977", // control nibble 2
        "0F123654FFFFFFFFFFFF99FEFF88D977", // PIN length 15
        "03123654FFFFFFFFFFFF99FEFF88D977", // PIN length 3
        "06123654FFFFFFFFFFFF99FEFF88D976", // last fill nibble not F
        "0612365AFFFFFFFFFFFF99FEFF88D977", // PIN digit A
    })
    void rejectsMalformedBlocks(String block) {
        assertThrows(PinBlockException.class, () -> PinBlocks.pinFromSm4Format0(h(block), PAN));
    }

    @Test
    void rejectsTheWrongPanAndWrongLengths() {
        byte[] block = PinBlocks.sm4Format0("1234", PAN);
        assertThrows(PinBlockException.class, () -> PinBlocks.pinFromSm4Format0(block, "4321987654321098"));
        assertThrows(IllegalArgumentException.class, () -> PinBlocks.pinFromSm4Format0(new byte[8], PAN));
        assertThrows(IllegalArgumentException.class, () -> PinBlocks.sm4Format0("123", PAN));
        assertThrows(IllegalArgumentException.class, () -> PinBlocks.sm4Format0("1234", "1234567"));
    }

    /** 0 L PIN F..F (32 nibbles) XOR 20 zero nibbles ‖ 12 account digits, with strings and BigInteger. */
    private static String ref(String pin, String pan) {
        String body = pan.substring(0, pan.length() - 1);
        String account = ("000000000000" + body).substring(body.length());
        String pinField = "0" + Integer.toHexString(pin.length()).toUpperCase() + pin + "F".repeat(30 - pin.length());
        String panField = "0".repeat(20) + account;
        String x = new BigInteger(pinField, 16).xor(new BigInteger(panField, 16)).toString(16).toUpperCase();
        return "0".repeat(32 - x.length()) + x;
    }
}
