package dev.posgate.tms.kms;

/**
 * The terminal's PIN pad as the K-flow needs it: the transmission key never leaves it, the flow
 * only asks it to compute E_AUK(x) and to install a TMK received under TEK.
 */
public interface TransmissionKeyDevice {
    /** E_AUK(random) = TDES-ECB(AUK, random) for an 8-byte random. */
    byte[] encryptUnderAuk(byte[] random);

    /**
     * Decrypts {@code tmkUnderTek} with TEK and stores it in the TMK slot {@code keyIndex} only if
     * its check value equals {@code kcv}; false (nothing stored) otherwise.
     */
    boolean installTmk(int keyIndex, byte[] tmkUnderTek, byte[] kcv);
}
