package dev.posgate.hsm;

/** Block cipher mode of M0/M2 (payShield mode flag). */
public enum CipherMode {
    ECB("00"),
    CBC("01");

    private final String code;

    CipherMode(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static CipherMode ofCode(String code) {
        for (CipherMode m : values()) {
            if (m.code.equals(code)) {
                return m;
            }
        }
        return null;
    }
}
