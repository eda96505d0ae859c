package dev.posgate.hsm;

/** ISO 9797-1 MAC algorithms of the M6/M8 commands. */
public enum MacAlgorithm {
    /** ISO 9797-1 algorithm 1: CBC-MAC with the whole (T)DES key (X9.9 for single length). */
    ISO9797_ALG1('1'),
    /** ISO 9797-1 algorithm 3: retail MAC = ANSI X9.19 (double-length key only). */
    ISO9797_ALG3('3');

    private final char code;

    MacAlgorithm(char code) {
        this.code = code;
    }

    public char code() {
        return code;
    }

    public static MacAlgorithm ofCode(char c) {
        for (MacAlgorithm a : values()) {
            if (a.code == c) {
                return a;
            }
        }
        return null;
    }
}
