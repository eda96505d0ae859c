package dev.posgate.hsm.sim;

import dev.posgate.crypto.CryptoException;
import dev.posgate.crypto.Macs;
import dev.posgate.crypto.Padding;
import dev.posgate.crypto.RandomSource;
import dev.posgate.crypto.Rsa;
import dev.posgate.crypto.Tdes;
import dev.posgate.hsm.HsmErrors;
import dev.posgate.hsm.LmkPrivateKey;
import dev.posgate.hsm.RsaKeyUsage;
import java.security.PrivateKey;
import java.util.Arrays;

/**
 * RSA private keys under the LMK:
 * {@code 01 ‖ usage(1, ASCII 0/1/2) ‖ IV(8) ‖ TDES-CBC(K_enc, IV, PKCS#8 DER ‖ 80 00..) ‖ MAC(8)},
 * K_enc = LMK 34-35 variant 0, MAC = ANSI X9.19 under LMK 34-35 variant 1 over everything before
 * it (encrypt-then-MAC). A blob that fails the MAC or does not parse gives error 49.
 */
final class RsaKeyBlob {
    private static final byte VERSION = 0x01;

    private RsaKeyBlob() {
    }

    static LmkPrivateKey wrap(Lmk lmk, RsaKeyUsage usage, PrivateKey key, RandomSource random) {
        byte[] der = Rsa.encodePrivateKey(key);
        byte[] padded = Padding.iso9797Method2(der);
        Arrays.fill(der, (byte) 0);
        byte[] iv = random.next(8);
        byte[] ct = Tdes.encryptCbc(lmk.rsaEncryptionKey(), iv, padded);
        Arrays.fill(padded, (byte) 0);
        byte[] blob = new byte[2 + 8 + ct.length + 8];
        blob[0] = VERSION;
        blob[1] = (byte) usage.code();
        System.arraycopy(iv, 0, blob, 2, 8);
        System.arraycopy(ct, 0, blob, 10, ct.length);
        byte[] mac = Macs.x919(lmk.rsaMacKey(), Arrays.copyOf(blob, blob.length - 8));
        System.arraycopy(mac, 0, blob, blob.length - 8, 8);
        return LmkPrivateKey.of(blob);
    }

    /** The usage bound into the blob (checked by {@link #unwrap}). */
    static RsaKeyUsage usage(LmkPrivateKey key) {
        byte[] b = key.bytes();
        RsaKeyUsage u = b.length > 1 ? RsaKeyUsage.ofCode((char) b[1]) : null;
        if (u == null) {
            throw new HsmCommandException(HsmErrors.PRIVATE_KEY_ERROR, "bad private key usage");
        }
        return u;
    }

    /** Checks the MAC and decrypts; fails with 49. */
    static UnwrappedKey unwrap(Lmk lmk, LmkPrivateKey key) {
        byte[] b = key.bytes();
        if (b.length < 2 + 8 + 8 + 8 || (b.length - 18) % 8 != 0 || b[0] != VERSION) {
            throw new HsmCommandException(HsmErrors.PRIVATE_KEY_ERROR, "private key blob malformed");
        }
        byte[] mac = Macs.x919(lmk.rsaMacKey(), Arrays.copyOf(b, b.length - 8));
        if (!Macs.verify(mac, Arrays.copyOfRange(b, b.length - 8, b.length))) {
            throw new HsmCommandException(HsmErrors.PRIVATE_KEY_ERROR, "private key blob fails its MAC");
        }
        RsaKeyUsage usage = usage(key);
        byte[] padded = Tdes.decryptCbc(lmk.rsaEncryptionKey(), Arrays.copyOfRange(b, 2, 10),
                Arrays.copyOfRange(b, 10, b.length - 8));
        try {
            byte[] der = Padding.unpadIso9797Method2(padded);
            PrivateKey pk = Rsa.decodePrivateKey(der);
            Arrays.fill(der, (byte) 0);
            return new UnwrappedKey(usage, pk);
        } catch (IllegalArgumentException | CryptoException e) {
            throw new HsmCommandException(HsmErrors.PRIVATE_KEY_ERROR, "private key blob does not decode");
        } finally {
            Arrays.fill(padded, (byte) 0);
        }
    }

    record UnwrappedKey(RsaKeyUsage usage, PrivateKey key) {
    }
}
