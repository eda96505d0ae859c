package dev.posgate.hsm.sim;

import dev.posgate.crypto.Kcv;
import dev.posgate.crypto.Parity;
import dev.posgate.crypto.RandomSource;
import dev.posgate.crypto.Tdes;
import dev.posgate.hsm.HsmErrors;
import dev.posgate.hsm.KeyAlgorithm;
import dev.posgate.hsm.KeyScheme;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.LmkKey;
import dev.posgate.hsm.LmkPrivateKey;
import dev.posgate.hsm.RsaKeyUsage;
import dev.posgate.hsm.WrappedKey;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/** What every command handler needs: the LMK, randomness, key policies and clear-key helpers. */
final class SimContext {
    final Lmk lmk;
    final RandomSource random;
    final SecureRandom secureRandom;
    final boolean allowClearComponents;

    SimContext(Lmk lmk, RandomSource random, SecureRandom secureRandom, boolean allowClearComponents) {
        this.lmk = lmk;
        this.random = random;
        this.secureRandom = secureRandom;
        this.allowClearComponents = allowClearComponents;
    }

    static HsmCommandException error(String code, String message) {
        return new HsmCommandException(code, message);
    }

    /**
     * The clear value of a key of {@code type} under the LMK; fails with {@code parityError}
     * (10 for source/only keys, 11 for destination keys) when it does not have odd parity, which
     * is also what a key of another type (another LMK variant) decrypts to.
     */
    byte[] clear(KeyType type, LmkKey key, String parityError) {
        if (key.algorithm() != KeyAlgorithm.TDES) {
            throw error(HsmErrors.INVALID_KEY_SCHEME, "an SM4 key where a TDES key is expected");
        }
        byte[] k = lmk.decrypt(type, key);
        if (!Parity.isOdd(k)) {
            Arrays.fill(k, (byte) 0);
            throw error(parityError, "key parity error (" + type + ")");
        }
        return k;
    }

    /**
     * The clear value of an SM4 key (scheme P) of {@code type} under the LMK; a TDES key gives 26.
     * SM4 keys have no parity bits, so a key of another type is not detected here: the commands
     * check the declared type against their policy, and the LMK variants make a key of another type
     * decrypt to an unrelated value.
     */
    byte[] clearSm4(KeyType type, LmkKey key) {
        if (key.algorithm() != KeyAlgorithm.SM4) {
            throw error(HsmErrors.INVALID_KEY_SCHEME, "a TDES key where an SM4 key is expected");
        }
        return lmk.decrypt(type, key);
    }

    LmkKey sm4UnderLmk(KeyType type, byte[] clear) {
        return lmk.encryptSm4(type, clear);
    }

    LmkKey underLmk(KeyType type, byte[] clear) {
        return lmk.encrypt(type, clear);
    }

    /** A random odd-parity key of {@code length} bytes whose halves differ (no K1 = K2 degeneration). */
    byte[] randomKey(int length) {
        while (true) {
            byte[] k = Parity.adjustOdd(random.next(length));
            boolean degenerate = length >= 16 && Arrays.equals(Arrays.copyOf(k, 8), Arrays.copyOfRange(k, 8, 16));
            if (!degenerate) {
                return k;
            }
        }
    }

    static dev.posgate.hsm.Kcv kcv(byte[] clear, int bytes) {
        return dev.posgate.hsm.Kcv.of(Kcv.of(clear, bytes));
    }

    /** TDES-ECB of {@code clear} under {@code kek}. */
    static WrappedKey wrap(byte[] kek, byte[] clear) {
        return WrappedKey.of(KeyScheme.kekSchemeFor(clear.length), Tdes.encryptEcb(kek, clear));
    }

    static void requireType(KeyType type, Set<KeyType> allowed, String code) {
        if (!allowed.contains(type)) {
            throw error(code, "key type " + type.code() + " not permitted here");
        }
    }

    static void requireLength(byte[] key, int... lengths) {
        for (int l : lengths) {
            if (key.length == l) {
                return;
            }
        }
        throw error(HsmErrors.KEY_LENGTH, "incompatible key length " + key.length);
    }

    RsaKeyBlob.UnwrappedKey privateKey(LmkPrivateKey key, Set<RsaKeyUsage> usages) {
        RsaKeyBlob.UnwrappedKey k = RsaKeyBlob.unwrap(lmk, key);
        if (!usages.contains(k.usage())) {
            throw error(HsmErrors.FUNCTION_NOT_PERMITTED, "private key usage " + k.usage() + " not permitted");
        }
        return k;
    }

    static final Set<RsaKeyUsage> KEY_MANAGEMENT = EnumSet.of(RsaKeyUsage.KEY_MANAGEMENT, RsaKeyUsage.BOTH);
    static final Set<RsaKeyUsage> BOTH = EnumSet.of(RsaKeyUsage.BOTH);

    static void wipe(byte[]... arrays) {
        for (byte[] a : arrays) {
            if (a != null) {
                Arrays.fill(a, (byte) 0);
            }
        }
    }
}
