package dev.posgate.crypto;

import java.util.Objects;

/** Key ceremony helper: a key formed from clear components by XOR. */
public final class KeyComponents {
    private KeyComponents() {
    }

    /**
     * XOR of 2 or 3 equal-length components (8, 16 or 24 bytes). The result is the plain XOR:
     * no parity adjustment (XOR of two odd-parity components has even parity; call
     * {@link Parity#adjustOdd} if the key must carry odd parity).
     */
    public static byte[] combine(byte[]... components) {
        Objects.requireNonNull(components, "components");
        if (components.length < 2 || components.length > 3) {
            throw new IllegalArgumentException("need 2 or 3 components, got " + components.length);
        }
        int len = Objects.requireNonNull(components[0], "component").length;
        if (!Tdes.isValidKeyLength(len)) {
            throw new IllegalArgumentException("component length must be 8, 16 or 24, got " + len);
        }
        byte[] out = new byte[len];
        for (byte[] c : components) {
            Objects.requireNonNull(c, "component");
            if (c.length != len) {
                throw new IllegalArgumentException("components differ in length");
            }
            for (int i = 0; i < len; i++) {
                out[i] ^= c[i];
            }
        }
        return out;
    }
}
