package dev.posgate.hsm;

import java.util.Objects;

/** A key under the LMK with its check value (generate, import, form from components). */
public record KeyWithKcv(LmkKey key, Kcv kcv) {
    public KeyWithKcv {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kcv, "kcv");
    }
}
