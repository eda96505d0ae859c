package dev.posgate.crypto;

import java.util.Objects;
import org.bouncycastle.crypto.engines.DESEngine;

/**
 * The DES/TDES block function used by this package: BouncyCastle's DES round function
 * ({@code DESBase.desFunc}) over BouncyCastle-format working keys, with a fast key schedule.
 *
 * <p>Why not {@code new DESedeEngine().init(...)} per call: BouncyCastle's key schedule walks
 * the PC-1/PC-2 permutations bit by bit (about 1.5 µs per DES key, ten times the cost of a block),
 * and every MAC verify or PIN translate sets up fresh keys. The schedule is a pure bit selection,
 * i.e. linear over GF(2) with schedule(0) = 0, so schedule(k) is the XOR of the schedules of k's
 * nibbles. The 16 x 16 nibble tables are built once, at class initialisation, <em>from
 * BouncyCastle's own {@code generateWorkingKey}</em>; the result is therefore bit-identical to
 * BouncyCastle's for every key (and the tests check that on random keys). Decryption keys are the
 * encryption round keys in reverse round order, as in BouncyCastle.
 *
 * <p>{@code desFunc} only reads its arguments and static S-box tables, so one shared engine
 * instance (never initialised) serves all threads. Instances of this class are immutable.
 */
final class DesCore {
    private static final Bc BC = new Bc();
    /** ENC[nibblePosition * 16 + nibbleValue] = encryption working key of that lone nibble. */
    private static final int[][] ENC = new int[16 * 16][];

    static {
        int[][] basis = new int[64][];
        for (int bit = 0; bit < 64; bit++) {
            byte[] k = new byte[8];
            k[bit >>> 3] = (byte) (0x80 >>> (bit & 7));
            basis[bit] = BC.schedule(k);
        }
        for (int pos = 0; pos < 16; pos++) {
            for (int v = 0; v < 16; v++) {
                int[] wk = new int[32];
                for (int b = 0; b < 4; b++) {
                    if ((v & (8 >>> b)) != 0) {
                        int[] base = basis[pos * 4 + b];
                        for (int i = 0; i < 32; i++) {
                            wk[i] ^= base[i];
                        }
                    }
                }
                ENC[pos * 16 + v] = wk;
            }
        }
    }

    /** Working keys applied in order (1 for DES, 3 for TDES EDE / DED). Never modified. */
    private final int[] k1;
    private final int[] k2;
    private final int[] k3;

    private DesCore(int[] k1, int[] k2, int[] k3) {
        this.k1 = k1;
        this.k2 = k2;
        this.k3 = k3;
    }

    /** DES for 8 bytes, TDES (K1,K2,K1) for 16 bytes, TDES (K1,K2,K3) for 24 bytes. */
    static DesCore of(byte[] key, boolean encrypt) {
        Objects.requireNonNull(key, "key");
        switch (key.length) {
            case 8:
                return new DesCore(schedule(key, 0, encrypt), null, null);
            case 16: {
                int[] e1 = encryptSchedule(key, 0);
                int[] e2 = encryptSchedule(key, 8);
                return encrypt
                        ? new DesCore(e1, reverse(e2), e1)
                        : new DesCore(reverse(e1), e2, reverse(e1));
            }
            case 24: {
                int[] e1 = encryptSchedule(key, 0);
                int[] e2 = encryptSchedule(key, 8);
                int[] e3 = encryptSchedule(key, 16);
                return encrypt
                        ? new DesCore(e1, reverse(e2), e3)
                        : new DesCore(reverse(e3), e2, reverse(e1));
            }
            default:
                throw new IllegalArgumentException("DES/TDES key must be 8, 16 or 24 bytes, got " + key.length);
        }
    }

    /** Single DES on {@code key[off, off+8)}. */
    static DesCore des(byte[] key, int off, boolean encrypt) {
        return new DesCore(schedule(key, off, encrypt), null, null);
    }

    /** Encrypts or decrypts one 8-byte block; {@code in} and {@code out} may be the same array. */
    void block(byte[] in, int inOff, byte[] out, int outOff) {
        BC.des(k1, in, inOff, out, outOff);
        if (k2 != null) {
            BC.des(k2, out, outOff, out, outOff);
            BC.des(k3, out, outOff, out, outOff);
        }
    }

    /** The BouncyCastle-format working key of the DES key at {@code key[off, off+8)}. */
    static int[] schedule(byte[] key, int off, boolean encrypt) {
        int[] e = encryptSchedule(key, off);
        return encrypt ? e : reverse(e);
    }

    private static int[] encryptSchedule(byte[] key, int off) {
        int[] wk = new int[32];
        for (int i = 0; i < 8; i++) {
            int b = key[off + i] & 0xFF;
            int[] hi = ENC[(2 * i) * 16 + (b >>> 4)];
            int[] lo = ENC[(2 * i + 1) * 16 + (b & 0x0F)];
            for (int j = 0; j < 32; j++) {
                wk[j] ^= hi[j] ^ lo[j];
            }
        }
        return wk;
    }

    /** Decryption working key: the 16 round-key pairs in reverse order. */
    private static int[] reverse(int[] enc) {
        int[] dec = new int[32];
        for (int round = 0; round < 16; round++) {
            dec[2 * (15 - round)] = enc[2 * round];
            dec[2 * (15 - round) + 1] = enc[2 * round + 1];
        }
        return dec;
    }

    /** Access to BouncyCastle's protected DES primitives; never initialised, holds no key. */
    private static final class Bc extends DESEngine {
        int[] schedule(byte[] key8) {
            return generateWorkingKey(true, key8);
        }

        void des(int[] wk, byte[] in, int inOff, byte[] out, int outOff) {
            desFunc(wk, in, inOff, out, outOff);
        }
    }
}
