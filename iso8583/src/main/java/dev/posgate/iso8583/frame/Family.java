package dev.posgate.iso8583.frame;

/** Message family, selected by the first byte of a frame body (protocol.md section 1). */
public enum Family {
    /** {@code 0x60}: a POS ISO8583 message (the byte is the TPDU id). */
    ISO8583((byte) 0x60),
    /** {@code 'T'} ({@code 0x54}): a TMS/KMS message (the byte is the first magic byte of the header). */
    TMS((byte) 0x54);

    private final byte code;

    Family(byte code) {
        this.code = code;
    }

    /** The first body byte that selects this family. */
    public byte code() {
        return code;
    }

    /** The family selected by {@code firstBodyByte}, or {@code null} for any other value. */
    public static Family of(byte firstBodyByte) {
        switch (firstBodyByte) {
            case 0x60: return ISO8583;
            case 0x54: return TMS;
            default: return null;
        }
    }
}
