package dev.posgate.protocol.posp;

/**
 * A POS terminal's key algorithm (protocol.md section 5): TDES (the installed base) or SM4 (the
 * national algorithm profile). It fixes the TMK and working keys (field 62), the field 64 MAC,
 * the PIN block of field 52 and the 53.2 digit the terminal sends.
 *
 * <p>53.2 ("加密算法标志"): {@code 0} single DES, {@code 6} double-length TDES (protocol.md 2.1),
 * {@code 4} SM4 (docs/national-crypto.md, "Field 53.2": the value of a real SM-algorithm terminal's
 * purchase in the project's traffic corpus; UnionPay's own SM text is not public).
 */
public enum KeyAlgorithm {
    /** DES/TDES: 8- or 16-byte keys, UnionPay ECB or X9.19 MAC, ISO 9564 format 0 PIN block. */
    TDES,
    /** SM4: 16-byte keys, UnionPay SM4 POS MAC, the 16-byte SM4 format-0 PIN block. */
    SM4;

    /** 53.2 of single DES. */
    public static final int SINGLE_DES_53_2 = 0;
    /** 53.2 of double-length TDES. */
    public static final int TDES_53_2 = 6;
    /** 53.2 of SM4 (docs/national-crypto.md). */
    public static final int SM4_53_2 = 4;

    /** The 53.2 digit a terminal of this algorithm sends (TDES: the double-length value). */
    public int field53Algorithm() {
        return this == SM4 ? SM4_53_2 : TDES_53_2;
    }

    /**
     * Whether a 53.2 digit is consistent with this algorithm: a TDES terminal may send 0 or 6
     * (and the other values real TDES terminals send, e.g. 2 or 3 are not SM4), an SM4 terminal
     * only 4; 4 from a TDES terminal and anything but 4 from an SM4 terminal contradict the profile.
     */
    public boolean accepts53Algorithm(int digit) {
        return this == SM4 ? digit == SM4_53_2 : digit != SM4_53_2;
    }

    /** Field 53 of a request with a PIN (53.1 = 2, with the PAN), this algorithm, clear tracks. */
    public String field53WithPin() {
        return "2" + field53Algorithm() + "00000000000000";
    }
}
