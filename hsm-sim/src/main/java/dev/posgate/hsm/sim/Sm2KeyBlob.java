package dev.posgate.hsm.sim;

import dev.posgate.crypto.Macs;
import dev.posgate.crypto.RandomSource;
import dev.posgate.crypto.Sm2;
import dev.posgate.crypto.Tdes;
import dev.posgate.hsm.HsmErrors;
import dev.posgate.hsm.LmkSm2PrivateKey;
import dev.posgate.hsm.RsaKeyUsage;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * SM2 private keys under the (TDES) LMK, the RSA blob's layout with its own version and keys:
 * {@code 02 ‖ usage(1, ASCII 0/1/2) ‖ IV(8) ‖ TDES-CBC(K_enc, IV, d(32)) ‖ MAC(8)} (50 bytes),
 * K_enc = LMK 34-35 variant 2, MAC = ANSI X9.19 under LMK 34-35 variant 3 over everything before
 * it. Neither key is one of the RSA blob's, so neither blob passes for the other. A blob that
 * fails the MAC or does not hold a valid d gives error 49.
 */
final class Sm2KeyBlob {
    private static final byte VERSION = 0x02;
    private static final int LENGTH = 2 + 8 + Sm2.PRIVATE_KEY + 8;

    private Sm2KeyBlob() {
    }

    static LmkSm2PrivateKey wrap(Lmk lmk, RsaKeyUsage usage, byte[] d, RandomSource random) {
        byte[] iv = random.next(8);
        byte[] ct = Tdes.encryptCbc(lmk.sm2EncryptionKey(), iv, d);
        byte[] blob = new byte[LENGTH];
        blob[0] = VERSION;
        blob[1] = (byte) usage.code();
        System.arraycopy(iv, 0, blob, 2, 8);
        System.arraycopy(ct, 0, blob, 10, ct.length);
        byte[] mac = Macs.x919(lmk.sm2MacKey(), Arrays.copyOf(blob, LENGTH - 8));
        System.arraycopy(mac, 0, blob, LENGTH - 8, 8);
        return LmkSm2PrivateKey.of(blob);
    }

    /** Checks the MAC and decrypts; fails with 49. The caller wipes {@link Unwrapped#d()}. */
    static Unwrapped unwrap(Lmk lmk, LmkSm2PrivateKey key) {
        byte[] b = key.bytes();
        if (b.length != LENGTH || b[0] != VERSION) {
            throw new HsmCommandException(HsmErrors.PRIVATE_KEY_ERROR, "SM2 private key blob malformed");
        }
        byte[] mac = Macs.x919(lmk.sm2MacKey(), Arrays.copyOf(b, LENGTH - 8));
        if (!Macs.verify(mac, Arrays.copyOfRange(b, LENGTH - 8, LENGTH))) {
            throw new HsmCommandException(HsmErrors.PRIVATE_KEY_ERROR, "SM2 private key blob fails its MAC");
        }
        RsaKeyUsage usage = RsaKeyUsage.ofCode((char) b[1]);
        byte[] d = Tdes.decryptCbc(lmk.sm2EncryptionKey(), Arrays.copyOfRange(b, 2, 10), Arrays.copyOfRange(b, 10, 42));
        if (usage == null || new BigInteger(1, d).signum() == 0) {
            Arrays.fill(d, (byte) 0);
            throw new HsmCommandException(HsmErrors.PRIVATE_KEY_ERROR, "SM2 private key blob does not decode");
        }
        return new Unwrapped(usage, d);
    }

    record Unwrapped(RsaKeyUsage usage, byte[] d) {
    }
}
