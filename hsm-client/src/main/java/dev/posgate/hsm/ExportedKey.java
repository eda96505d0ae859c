package dev.posgate.hsm;

import java.util.Objects;

/** A key encrypted under a key-encrypting key (for transport) with its check value. */
public record ExportedKey(WrappedKey key, Kcv kcv) {
    public ExportedKey {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kcv, "kcv");
    }
}
