package dev.posgate.hsm;

import dev.posgate.crypto.Digests;
import dev.posgate.crypto.Hex;

/** Short, non-reversible fingerprints of encrypted values for logs and toString(). */
final class Fingerprints {
    private Fingerprints() {
    }

    /** First 4 bytes of SHA-256 of {@code value}, hex: identifies a value without revealing it. */
    static String of(byte[] value) {
        return Hex.encode(Digests.sha256(value), 0, 4);
    }
}
