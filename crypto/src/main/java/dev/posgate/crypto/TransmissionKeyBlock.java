package dev.posgate.crypto;

import java.util.Arrays;
import java.util.Objects;

/**
 * The K-flow transmission-key block (protocol.md section 3, CN103729940A):
 * {@code TEK (16) ‖ AUK (16) ‖ first 8 bytes of SHA-256(TEK ‖ AUK)} = 40 bytes. It travels
 * RSA-OAEP encrypted under the KMS public key ({@link Rsa#oaepEncrypt}).
 *
 * <p>Instances are immutable: accessors return copies.
 */
public final class TransmissionKeyBlock {
    /** Encoded length: 16 + 16 + 8. */
    public static final int LENGTH = 40;
    private static final int KEY = 16;
    private static final int HASH = 8;

    private final byte[] tek;
    private final byte[] auk;

    private TransmissionKeyBlock(byte[] tek, byte[] auk) {
        this.tek = tek;
        this.auk = auk;
    }

    /** Builds the 40-byte block from a 16-byte TEK and a 16-byte AUK. */
    public static byte[] encode(byte[] tek16, byte[] auk16) {
        checkKey(tek16, "TEK");
        checkKey(auk16, "AUK");
        byte[] out = new byte[LENGTH];
        System.arraycopy(tek16, 0, out, 0, KEY);
        System.arraycopy(auk16, 0, out, KEY, KEY);
        byte[] h = Digests.sha256(tek16, auk16);
        System.arraycopy(h, 0, out, 2 * KEY, HASH);
        Arrays.fill(h, (byte) 0);
        return out;
    }

    /**
     * Parses and checks a block.
     *
     * @throws IllegalArgumentException if the block is not 40 bytes
     * @throws IntegrityException if the embedded hash does not match TEK ‖ AUK
     */
    public static TransmissionKeyBlock decode(byte[] block) {
        Objects.requireNonNull(block, "block");
        if (block.length != LENGTH) {
            throw new IllegalArgumentException("TK block must be " + LENGTH + " bytes, got " + block.length);
        }
        byte[] tek = Arrays.copyOfRange(block, 0, KEY);
        byte[] auk = Arrays.copyOfRange(block, KEY, 2 * KEY);
        byte[] h = Digests.sha256(tek, auk);
        boolean ok = Macs.verify(Arrays.copyOf(h, HASH), Arrays.copyOfRange(block, 2 * KEY, LENGTH));
        Arrays.fill(h, (byte) 0);
        if (!ok) {
            Arrays.fill(tek, (byte) 0);
            Arrays.fill(auk, (byte) 0);
            throw new IntegrityException("TK block hash mismatch");
        }
        return new TransmissionKeyBlock(tek, auk);
    }

    /** The transmission encryption key (16 bytes, copy). */
    public byte[] tek() {
        return tek.clone();
    }

    /** The authentication key (16 bytes, copy). */
    public byte[] auk() {
        return auk.clone();
    }

    /** Re-encodes this block (40 bytes). */
    public byte[] encoded() {
        return encode(tek, auk);
    }

    @Override
    public String toString() {
        return "TransmissionKeyBlock[TEK KCV=" + Kcv.hex6(tek) + ", AUK KCV=" + Kcv.hex6(auk) + "]";
    }

    private static void checkKey(byte[] k, String what) {
        Objects.requireNonNull(k, what);
        if (k.length != KEY) {
            throw new IllegalArgumentException(what + " must be 16 bytes, got " + k.length);
        }
    }
}
