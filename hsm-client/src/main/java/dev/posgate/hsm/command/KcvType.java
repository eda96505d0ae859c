package dev.posgate.hsm.command;

/**
 * payShield key check value type of the optional trailing group: {@code 0} = 16 hex (8 bytes,
 * "backwards compatible"), {@code 1} = 6 hex (3 bytes, the default when the group is absent).
 */
public enum KcvType {
    FULL_16H('0', 8),
    SHORT_6H('1', 3);

    private final char code;
    private final int bytes;

    KcvType(char code, int bytes) {
        this.code = code;
        this.bytes = bytes;
    }

    public char code() {
        return code;
    }

    public int bytes() {
        return bytes;
    }

    public static KcvType ofCode(char c) {
        for (KcvType t : values()) {
            if (t.code == c) {
                return t;
            }
        }
        return null;
    }
}
