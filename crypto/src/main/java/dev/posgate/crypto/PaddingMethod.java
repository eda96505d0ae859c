package dev.posgate.crypto;

/**
 * ISO/IEC 9797-1 padding methods, as selected by the HSM MAC commands (M6/M8).
 * See {@link Padding} for the exact rules, including empty input.
 */
public enum PaddingMethod {
    /** No padding: the data must already be a non-empty multiple of the block length. */
    NONE,
    /** ISO 9797-1 method 1: {@code 00} bytes to a multiple of the block; empty data becomes one zero block. */
    METHOD_1,
    /** ISO 9797-1 method 2: one {@code 80} byte, then {@code 00} bytes to a multiple of the block. */
    METHOD_2,
    /** ISO 9797-1 method 3: a block with the bit length of the data, then the data zero-padded (possibly none). */
    METHOD_3;

    /** Applies this padding for 8-byte blocks (DES/TDES) to {@code data} (returns a fresh array). */
    public byte[] pad(byte[] data) {
        return pad(data, 8);
    }

    /** Applies this padding for {@code block}-byte blocks (8 for TDES, 16 for SM4); a fresh array. */
    public byte[] pad(byte[] data, int block) {
        switch (this) {
            case NONE:
                if (data.length == 0 || data.length % block != 0) {
                    throw new IllegalArgumentException("unpadded MAC data must be a non-empty multiple of " + block
                            + ", got " + data.length);
                }
                return data.clone();
            case METHOD_1:
                return Padding.zeroPad(data, block);
            case METHOD_2:
                return Padding.iso9797Method2(data, block);
            case METHOD_3:
                return Padding.iso9797Method3(data, block);
            default:
                throw new AssertionError(this);
        }
    }

    /** Method 1, 2 or 3 by its ISO 9797-1 number. */
    public static PaddingMethod ofIso9797(int number) {
        switch (number) {
            case 1:
                return METHOD_1;
            case 2:
                return METHOD_2;
            case 3:
                return METHOD_3;
            default:
                throw new IllegalArgumentException("ISO 9797-1 padding method must be 1, 2 or 3, got " + number);
        }
    }
}
