package dev.posgate.iso8583.pos;

import java.util.Objects;

/**
 * The 5-byte TPDU: {@code 60 | destination (2B) | source (2B)}. Addresses are kept as unsigned 16-bit
 * values, exactly as on the wire (no BCD interpretation).
 */
public record Tpdu(int destination, int source) {
    /** The TPDU id byte, which is also the frame family byte. */
    public static final int ID = 0x60;
    /** Encoded length in bytes. */
    public static final int LENGTH = 5;

    public Tpdu {
        if ((destination & ~0xFFFF) != 0 || (source & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("TPDU addresses are 16-bit: " + destination + "/" + source);
        }
    }

    /** Parses {@code b[off .. off+5)}. */
    public static Tpdu parse(byte[] b, int off) {
        Objects.requireNonNull(b, "b");
        if (off < 0 || b.length - off < LENGTH) {
            throw new PosFormatException(PosFormatException.Reason.BAD_TPDU, -1,
                    "need " + LENGTH + " bytes, have " + Math.max(0, b.length - Math.max(off, 0)));
        }
        if ((b[off] & 0xFF) != ID) {
            throw new PosFormatException(PosFormatException.Reason.BAD_TPDU, -1,
                    String.format("id byte is %02X, expected 60", b[off] & 0xFF));
        }
        return new Tpdu(((b[off + 1] & 0xFF) << 8) | (b[off + 2] & 0xFF),
                ((b[off + 3] & 0xFF) << 8) | (b[off + 4] & 0xFF));
    }

    /** The TPDU of the answer: destination and source swapped. */
    public Tpdu reply() {
        return new Tpdu(source, destination);
    }

    public byte[] encode() {
        byte[] b = new byte[LENGTH];
        writeTo(b, 0);
        return b;
    }

    public void writeTo(byte[] dst, int off) {
        dst[off] = ID;
        dst[off + 1] = (byte) (destination >>> 8);
        dst[off + 2] = (byte) destination;
        dst[off + 3] = (byte) (source >>> 8);
        dst[off + 4] = (byte) source;
    }

    @Override
    public String toString() {
        return String.format("Tpdu[60 %04X %04X]", destination, source);
    }
}
