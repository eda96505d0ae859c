package dev.posgate.crypto;

import java.util.Objects;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SM3Digest;

/** Message digests (BouncyCastle lightweight, no provider lookup). */
public final class Digests {
    private Digests() {
    }

    /** SHA-256 of the concatenation of {@code parts}. */
    public static byte[] sha256(byte[]... parts) {
        return digest(new SHA256Digest(), parts);
    }

    /** SM3 (GB/T 32905-2016, GM/T 0004-2012) of the concatenation of {@code parts}: 32 bytes. */
    public static byte[] sm3(byte[]... parts) {
        return digest(new SM3Digest(), parts);
    }

    private static byte[] digest(Digest d, byte[]... parts) {
        for (byte[] p : parts) {
            Objects.requireNonNull(p, "part");
            d.update(p, 0, p.length);
        }
        byte[] out = new byte[d.getDigestSize()];
        d.doFinal(out, 0);
        return out;
    }
}
