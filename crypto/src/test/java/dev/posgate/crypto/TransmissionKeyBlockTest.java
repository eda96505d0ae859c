package dev.posgate.crypto;

import static dev.posgate.crypto.V.h;
import static dev.posgate.crypto.V.hx;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TransmissionKeyBlockTest {
    private static final byte[] TEK = h("0123456789ABCDEFFEDCBA9876543210");
    private static final byte[] AUK = h("00112233445566778899AABBCCDDEEFF");

    @Test
    void layoutIsTekAukAndTruncatedSha256() throws Exception {
        byte[] block = TransmissionKeyBlock.encode(TEK, AUK);
        assertEquals(40, block.length);
        assertArrayEquals(TEK, Arrays.copyOfRange(block, 0, 16));
        assertArrayEquals(AUK, Arrays.copyOfRange(block, 16, 32));
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(TEK);
        md.update(AUK);
        assertArrayEquals(Arrays.copyOf(md.digest(), 8), Arrays.copyOfRange(block, 32, 40));
    }

    @Test
    void decodeRoundTrip() {
        TransmissionKeyBlock tk = TransmissionKeyBlock.decode(TransmissionKeyBlock.encode(TEK, AUK));
        assertArrayEquals(TEK, tk.tek());
        assertArrayEquals(AUK, tk.auk());
        assertArrayEquals(TransmissionKeyBlock.encode(TEK, AUK), tk.encoded());
        tk.tek()[0] = 0x55; // accessors hand out copies
        assertArrayEquals(TEK, tk.tek());
        assertTrue(tk.toString().contains(Kcv.hex6(TEK)));
        assertTrue(!tk.toString().contains(hx(TEK)));
    }

    @Test
    void everyFlippedBitIsDetected() {
        byte[] block = TransmissionKeyBlock.encode(TEK, AUK);
        for (int bit = 0; bit < 40 * 8; bit++) {
            byte[] b = block.clone();
            b[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThrows(IntegrityException.class, () -> TransmissionKeyBlock.decode(b), "bit " + bit);
        }
    }

    @Test
    void rejectsBadLengths() {
        assertThrows(IllegalArgumentException.class, () -> TransmissionKeyBlock.decode(new byte[39]));
        assertThrows(IllegalArgumentException.class, () -> TransmissionKeyBlock.decode(new byte[48]));
        assertThrows(IllegalArgumentException.class, () -> TransmissionKeyBlock.encode(new byte[24], AUK));
        assertThrows(IllegalArgumentException.class, () -> TransmissionKeyBlock.encode(TEK, new byte[8]));
    }

    @Test
    void kFlowEndToEnd() {
        // terminal: TK block under the KMS public key; KMS: decrypt, check, answer E_AUK(Rnd1)
        java.security.KeyPair kms = Rsa.generate(1024, new java.security.SecureRandom());
        byte[] ctk = Rsa.oaepEncrypt(kms.getPublic(), TransmissionKeyBlock.encode(TEK, AUK));
        TransmissionKeyBlock tk = TransmissionKeyBlock.decode(Rsa.oaepDecrypt(kms.getPrivate(), ctk));
        byte[] rnd1 = h("1122334455667788");
        assertArrayEquals(Tdes.encryptEcb(AUK, rnd1), Tdes.encryptEcb(tk.auk(), rnd1));
        byte[] tmk = h("89ABCDEF0123456776543210FEDCBA98");
        byte[] ctmkTk = Tdes.encryptEcb(tk.tek(), tmk);
        assertArrayEquals(tmk, Tdes.decryptEcb(TEK, ctmkTk));
    }
}
