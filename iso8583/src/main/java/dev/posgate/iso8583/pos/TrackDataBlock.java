package dev.posgate.iso8583.pos;

import java.util.Arrays;

/**
 * The track-data block (TDB) of an encrypted track (53.3 = 1, docs/posp.md "Track encryption"):
 * the 8 bytes of the packed track that end one byte before its last, encrypted under the TDK or
 * the ZEK in place. Shared by the gateway, which re-encrypts it, and the host simulator, which
 * reads it.
 */
public final class TrackDataBlock {
    /** The shortest packed track that holds a TDB and the byte after it. */
    public static final int MIN_PACKED = 9;
    /** The SM4 TDB (an SM4 terminal, issue 17): 16 bytes, the SM4 block, same rule otherwise. */
    public static final int SM4_BLOCK = 16;

    private TrackDataBlock() {}

    /** The TDB of a packed track. */
    public static byte[] of(byte[] packed) {
        return of(packed, 8);
    }

    /**
     * The {@code block}-byte TDB of a packed track: the {@code block} bytes ending one byte before
     * its last (8 for TDES, 16 for SM4; the track needs {@code block + 1} packed bytes).
     */
    public static byte[] of(byte[] packed, int block) {
        return Arrays.copyOfRange(packed, packed.length - 1 - block, packed.length - 1);
    }

    /** A copy of {@code packed} with its TDB replaced by {@code block} (8 or 16 bytes). */
    public static byte[] replaced(byte[] packed, byte[] block) {
        byte[] out = packed.clone();
        System.arraycopy(block, 0, out, packed.length - 1 - block.length, block.length);
        return out;
    }

    /** The first {@code digits} nibbles as field text ({@code D} as {@code =}), as PosMessage keeps a track. */
    public static String text(byte[] packed, int digits) {
        char[] c = new char[digits];
        for (int i = 0; i < digits; i++) {
            int nib = nibble(packed, i);
            c[i] = nib == 0x0D ? '=' : Character.toUpperCase(Character.forDigit(nib, 16));
        }
        return new String(c);
    }

    /** Nibble {@code i} of a packed track, high nibble first. */
    public static int nibble(byte[] packed, int i) {
        int v = packed[i >> 1] & 0xFF;
        return (i & 1) == 0 ? v >>> 4 : v & 0x0F;
    }
}
