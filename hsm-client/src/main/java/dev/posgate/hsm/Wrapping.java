package dev.posgate.hsm;

/**
 * The kind of key-encrypting key of a generate-and-export (A0 mode 1) or export (A8): payShield's
 * ZMK/TMK flag. Values {@code 0} and {@code 1} are payShield's; {@code 2} (DMK) and {@code 3}
 * (DWK) are posgate extension values (docs/hsm-protocol.md, "Extensions").
 */
public enum Wrapping {
    ZMK('0', KeyType.ZMK),
    TMK('1', KeyType.TMK),
    DMK('2', KeyType.DMK),
    DWK('3', KeyType.DWK);

    private final char flag;
    private final KeyType kekType;

    Wrapping(char flag, KeyType kekType) {
        this.flag = flag;
        this.kekType = kekType;
    }

    public char flag() {
        return flag;
    }

    /** The LMK key type of the key-encrypting key. */
    public KeyType kekType() {
        return kekType;
    }

    public static Wrapping ofFlag(char flag) {
        for (Wrapping w : values()) {
            if (w.flag == flag) {
                return w;
            }
        }
        return null;
    }
}
