package dev.posgate.crypto;

import java.util.Objects;
import org.bouncycastle.crypto.digests.SHA256Digest;

/** Message digests (BouncyCastle lightweight, no provider lookup). */
public final class Digests {
    private Digests() {
    }

    /** SHA-256 of the concatenation of {@code parts}. */
    public static byte[] sha256(byte[]... parts) {
        SHA256Digest d = new SHA256Digest();
        for (byte[] p : parts) {
            Objects.requireNonNull(p, "part");
            d.update(p, 0, p.length);
        }
        byte[] out = new byte[32];
        d.doFinal(out, 0);
        return out;
    }
}
