package dev.posgate.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.bouncycastle.crypto.engines.DESedeEngine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

/** The direction-separated AUK proofs against an independent computation (BouncyCastle's DESede). */
class AukProofTest {
    private final SplittableRandom random = new SplittableRandom(13);

    @Test
    void eachDirectionIsTdesEcbUnderAukXorItsVariant() {
        for (int i = 0; i < 50; i++) {
            byte[] auk = bytes(16);
            byte[] rnd = bytes(8);
            assertArrayEquals(bouncyCastle(auk, 0x4B, rnd), AukProof.of(AukProof.Direction.KMS, auk, rnd));
            assertArrayEquals(bouncyCastle(auk, 0x54, rnd), AukProof.of(AukProof.Direction.TERMINAL, auk, rnd));
        }
    }

    @Test
    void oneDirectionsProofDoesNotPassForTheOther() {
        byte[] auk = bytes(16);
        byte[] rnd = bytes(8);
        byte[] kmsProof = AukProof.of(AukProof.Direction.KMS, auk, rnd);
        assertTrue(AukProof.matches(AukProof.Direction.KMS, auk, rnd, kmsProof));
        assertFalse(AukProof.matches(AukProof.Direction.TERMINAL, auk, rnd, kmsProof), "a reflected answer is no proof");
        assertFalse(AukProof.matches(AukProof.Direction.KMS, auk, rnd, Tdes.encryptEcb(auk, rnd)), "the unvaried key is no proof");
    }

    @Test
    void refusesWrongLengths() {
        assertThrows(IllegalArgumentException.class, () -> AukProof.of(AukProof.Direction.KMS, new byte[8], new byte[8]));
        assertThrows(IllegalArgumentException.class, () -> AukProof.of(AukProof.Direction.KMS, new byte[16], new byte[16]));
    }

    /** Two-key TDES (K1, K2, K1) built by BouncyCastle from K1 ‖ K2 ‖ K1, with the variant applied here. */
    private static byte[] bouncyCastle(byte[] auk, int variant, byte[] rnd) {
        byte[] k = new byte[24];
        for (int i = 0; i < 24; i++) k[i] = (byte) (auk[i % 16] ^ variant);
        DESedeEngine e = new DESedeEngine();
        e.init(true, new KeyParameter(k));
        byte[] out = new byte[8];
        e.processBlock(rnd, 0, out, 0);
        return out;
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) random.nextInt(256);
        return b;
    }
}
