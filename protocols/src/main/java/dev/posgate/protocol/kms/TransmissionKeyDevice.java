package dev.posgate.protocol.kms;

/**
 * The terminal's PIN pad as the K-flow needs it: the transmission key never leaves it, the flow
 * only asks it to check the KMS's proof of AUK, to give its own, and to install a TMK received
 * under TEK. The proofs are direction-separated (crypto {@code AukProof}): the PIN pad gives only
 * terminal-direction proofs, so it is no oracle for a KMS proof either.
 */
public interface TransmissionKeyDevice {
    /** True when {@code proof} (DF23) is the KMS's proof over our {@code rnd1}: TDES-ECB(AUK ⊕ (4B × 16), Rnd1). */
    boolean kmsProofMatches(byte[] rnd1, byte[] proof);

    /** Our proof (DF24) over the KMS's {@code rnd2}: TDES-ECB(AUK ⊕ (54 × 16), Rnd2). */
    byte[] terminalProof(byte[] rnd2);

    /**
     * Decrypts {@code tmkUnderTek} with TEK and stores it in the TMK slot {@code keyIndex} only if
     * its check value equals {@code kcv}; false (nothing stored) otherwise.
     */
    boolean installTmk(int keyIndex, byte[] tmkUnderTek, byte[] kcv);
}
