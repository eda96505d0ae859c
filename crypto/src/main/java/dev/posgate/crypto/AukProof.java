package dev.posgate.crypto;

import java.util.Arrays;
import java.util.Objects;

/**
 * The K-flow's proofs of AUK possession, one key variant per direction (protocol.md section 3,
 * "security amendments"): DF23 from the KMS = TDES-ECB(AUK ⊕ (4B × 16), Rnd1), DF24 from the
 * terminal = TDES-ECB(AUK ⊕ (54 × 16), Rnd2). With one key for both directions, an answer one
 * side gives for a chosen random is the answer the other side needs (a reflection across two
 * connections took over a TMK); with two variants it is not.
 *
 * <p>Used by the software HSM (KMS side) and by the terminal's PIN pad, so both compute the same
 * bytes. The variant key lives only for one call and is wiped.
 */
public final class AukProof {
    /** Who proves possession of AUK, and so which key variant is used. */
    public enum Direction {
        /** DF23: the KMS proves it holds AUK over the terminal's Rnd1 (variant {@code 4B}, 'K'). */
        KMS((byte) 0x4B),
        /** DF24: the terminal proves it holds AUK over the KMS's Rnd2 (variant {@code 54}, 'T'). */
        TERMINAL((byte) 0x54);

        private final byte variant;

        Direction(byte variant) {
            this.variant = variant;
        }

        /** The byte XORed into every byte of AUK for this direction. */
        public byte variant() {
            return variant;
        }
    }

    /** Length of AUK, of the random and of the proof's key: 16, 8. */
    public static final int AUK_LENGTH = 16;
    public static final int RANDOM_LENGTH = 8;

    private AukProof() {
    }

    /** The proof {@code direction} gives over {@code random} (8 bytes) with the 16-byte {@code auk}. */
    public static byte[] of(Direction direction, byte[] auk, byte[] random) {
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(auk, "auk");
        Objects.requireNonNull(random, "random");
        if (auk.length != AUK_LENGTH) throw new IllegalArgumentException("AUK must be 16 bytes, got " + auk.length);
        if (random.length != RANDOM_LENGTH) throw new IllegalArgumentException("random must be 8 bytes, got " + random.length);
        byte[] variantKey = new byte[AUK_LENGTH];
        for (int i = 0; i < AUK_LENGTH; i++) {
            variantKey[i] = (byte) (auk[i] ^ direction.variant);
        }
        try {
            return Tdes.encryptEcb(variantKey, random);
        } finally {
            Arrays.fill(variantKey, (byte) 0);
        }
    }

    /** True when {@code proof} is the proof {@code direction} gives over {@code random} (constant time). */
    public static boolean matches(Direction direction, byte[] auk, byte[] random, byte[] proof) {
        Objects.requireNonNull(proof, "proof");
        return Macs.verify(of(direction, auk, random), proof);
    }

    /** Length of the random and of the proof in the SM family (one SM4 block): 16. */
    public static final int SM4_RANDOM_LENGTH = 16;

    /**
     * The SM family's proof (SM4 terminals, docs/kms.md "K-flow with SM2"): SM4-ECB(AUK ⊕ (variant
     * × 16), random) with a 16-byte SM4 AUK and a 16-byte random; the same direction variants.
     */
    public static byte[] sm4(Direction direction, byte[] auk, byte[] random) {
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(auk, "auk");
        Objects.requireNonNull(random, "random");
        if (auk.length != AUK_LENGTH) throw new IllegalArgumentException("AUK must be 16 bytes, got " + auk.length);
        if (random.length != SM4_RANDOM_LENGTH) throw new IllegalArgumentException("random must be 16 bytes, got " + random.length);
        byte[] variantKey = new byte[AUK_LENGTH];
        for (int i = 0; i < AUK_LENGTH; i++) {
            variantKey[i] = (byte) (auk[i] ^ direction.variant);
        }
        try {
            return Sm4.encryptEcb(variantKey, random);
        } finally {
            Arrays.fill(variantKey, (byte) 0);
        }
    }

    /** True when {@code proof} is the SM family's proof {@code direction} gives over {@code random} (constant time). */
    public static boolean sm4Matches(Direction direction, byte[] auk, byte[] random, byte[] proof) {
        Objects.requireNonNull(proof, "proof");
        return Macs.verify(sm4(direction, auk, random), proof);
    }
}
