package dev.posgate.hsm;

import java.util.Objects;

/**
 * A freshly generated key under the LMK (to store) and under a key-encrypting key (to send),
 * with its check value. {@link #kcv()} is 8 bytes for A0 replies requested by {@link Hsm}
 * (cut with {@link Kcv#first}), 4 bytes for the PSAM extension.
 */
public record GeneratedKey(LmkKey underLmk, WrappedKey underWrapping, Kcv kcv) {
    public GeneratedKey {
        Objects.requireNonNull(underLmk, "underLmk");
        Objects.requireNonNull(underWrapping, "underWrapping");
        Objects.requireNonNull(kcv, "kcv");
    }
}
