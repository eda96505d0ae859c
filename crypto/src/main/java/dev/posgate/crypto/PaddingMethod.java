package dev.posgate.crypto;

/**
 * ISO/IEC 9797-1 padding methods, as selected by the HSM MAC commands (M6/M8).
 * See {@link Padding} for the exact rules, including empty input.
 */
public enum PaddingMethod {
    /** No padding: the data must already be a non-empty multiple of 8 bytes. */
    NONE,
    /** ISO 9797-1 method 1: {@code 00} bytes to a multiple of 8; empty data becomes one zero block. */
    METHOD_1,
    /** ISO 9797-1 method 2: one {@code 80} byte, then {@code 00} bytes to a multiple of 8. */
    METHOD_2,
    /** ISO 9797-1 method 3: a block with the bit length of the data, then the data zero-padded (possibly none). */
    METHOD_3;

    /** Applies this padding to {@code data} (returns a fresh array). */
    public byte[] pad(byte[] data) {
        switch (this) {
            case NONE:
                if (data.length == 0 || data.length % 8 != 0) {
                    throw new IllegalArgumentException("unpadded MAC data must be a non-empty multiple of 8, got "
                            + data.length);
                }
                return data.clone();
            case METHOD_1:
                return Padding.zeroPad(data);
            case METHOD_2:
                return Padding.iso9797Method2(data);
            case METHOD_3:
                return Padding.iso9797Method3(data);
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
