package dev.posgate.hsm;

/** PIN block formats by payShield format code. */
public enum PinBlockFormat {
    /** ISO 9564 format 0 / ANSI X9.8 (payShield 01). */
    ISO_0("01"),
    /** ISO 9564 format 1 (payShield 05): not PAN-bound. */
    ISO_1("05"),
    /** ISO 9564 format 3 (payShield 47). */
    ISO_3("47");

    private final String code;

    PinBlockFormat(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static PinBlockFormat ofCode(String code) {
        for (PinBlockFormat f : values()) {
            if (f.code.equals(code)) {
                return f;
            }
        }
        return null;
    }
}
