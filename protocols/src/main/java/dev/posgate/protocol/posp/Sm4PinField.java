package dev.posgate.protocol.posp;

import dev.posgate.iso8583.pos.PosMessage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Where an SM4 terminal's 16-byte PIN block travels. Field 52 is b64 (8 bytes, fixed length):
 * a 16-byte block cannot be carried there, and the parser cannot know the length from 53.2,
 * which comes after 52. The layout here is the one of the only public capture of a terminal with
 * 53.2 = 4 we know (the vfwz 0200 of the project's traffic corpus, docs/national-crypto.md,
 * "SM4 PIN block on the wire"): field 52 present with 8 zero bytes, and field 63 =
 * {@code "SM016"} (ASCII: tag {@code SM}, length {@code 016}) followed by the 16 bytes of the
 * SM4 PIN block under the SM4 PIK.
 */
public final class Sm4PinField {
    /** The ASCII prefix of field 63 before the block. */
    public static final String PREFIX = "SM016";
    /** Bytes of an SM4 PIN block. */
    public static final int BLOCK_LENGTH = 16;

    private Sm4PinField() {}

    /** Sets 52 (8 zero bytes) and 63 ({@code SM016} + block) of {@code m}. */
    public static PosMessage write(PosMessage m, byte[] block16) {
        if (block16.length != BLOCK_LENGTH) throw new IllegalArgumentException("an SM4 PIN block is 16 bytes");
        byte[] f63 = Arrays.copyOf(PREFIX.getBytes(StandardCharsets.US_ASCII), PREFIX.length() + BLOCK_LENGTH);
        System.arraycopy(block16, 0, f63, PREFIX.length(), BLOCK_LENGTH);
        return m.set(52, new byte[8]).set(63, new String(f63, StandardCharsets.ISO_8859_1));
    }

    /** The 16-byte block of {@code m}, or null when field 63 does not carry one ({@code SM016} + 16 bytes). */
    public static byte[] read(PosMessage m) {
        byte[] f63 = m.binary(63);
        if (f63 == null || f63.length < PREFIX.length() + BLOCK_LENGTH) return null;
        if (!new String(f63, 0, PREFIX.length(), StandardCharsets.ISO_8859_1).equals(PREFIX)) return null;
        return Arrays.copyOfRange(f63, PREFIX.length(), PREFIX.length() + BLOCK_LENGTH);
    }
}
