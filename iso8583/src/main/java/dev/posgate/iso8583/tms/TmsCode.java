package dev.posgate.iso8583.tms;

/** The transaction codes of protocol.md section 3 (the 2 ASCII bytes of the header's code field). */
public enum TmsCode {
    /** Handshake, terminal to TMS. */
    H1,
    /** Terminal authentication, terminal to TMS. */
    H2,
    /** Package report. */
    D1,
    /** Frame request. */
    D2,
    /** Install result. */
    D3,
    /** KMS certificate. */
    K1,
    /** TMK download start. */
    K2,
    /** TMK download finish. */
    K3,
    /** TMK installed (K-flow). */
    K4,
    /** Key loader hello. */
    L1,
    /** Key loader exchange. */
    L2,
    /** TMK installed (L-flow). */
    L3;

    /** The code for {@code text} ("H1"), or {@code null} when it is not one of the protocol's codes. */
    public static TmsCode of(String text) {
        if (text == null || text.length() != 2) {
            return null;
        }
        for (TmsCode c : values()) {
            if (c.name().equals(text)) {
                return c;
            }
        }
        return null;
    }
}
