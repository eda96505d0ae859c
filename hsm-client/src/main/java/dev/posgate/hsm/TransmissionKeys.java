package dev.posgate.hsm;

import java.util.Objects;

/** The K-flow transmission key unwrapped by the HSM: TEK and AUK under the LMK, with 4-byte KCVs. */
public record TransmissionKeys(LmkKey tek, Kcv tekKcv, LmkKey auk, Kcv aukKcv) {
    public TransmissionKeys {
        Objects.requireNonNull(tek, "tek");
        Objects.requireNonNull(tekKcv, "tekKcv");
        Objects.requireNonNull(auk, "auk");
        Objects.requireNonNull(aukKcv, "aukKcv");
    }
}
