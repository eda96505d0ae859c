package dev.posgate.hsm;

import dev.posgate.crypto.PaddingMethod;
import java.util.Objects;

/**
 * How the HSM computes a MAC (M6/M8): algorithm, ISO 9797-1 padding method and MAC length in
 * bytes (4 = payShield MAC size 0, 8 hex; 8 = MAC size 1, 16 hex).
 */
public record MacParams(MacAlgorithm algorithm, PaddingMethod padding, int macLength) {
    /** ANSI X9.19 retail MAC, zero padding, full 8 bytes (the POS X9.19 profile, TMS sealed bodies). */
    public static final MacParams X9_19 = new MacParams(MacAlgorithm.ISO9797_ALG3, PaddingMethod.METHOD_1, 8);
    /** ISO 9797-1 algorithm 1 (X9.9 family), zero padding, 8 bytes. */
    public static final MacParams ALG1_ZERO_PADDED = new MacParams(MacAlgorithm.ISO9797_ALG1, PaddingMethod.METHOD_1, 8);

    public MacParams {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(padding, "padding");
        if (macLength != 4 && macLength != 8) {
            throw new IllegalArgumentException("MAC length must be 4 or 8 bytes: " + macLength);
        }
    }
}
