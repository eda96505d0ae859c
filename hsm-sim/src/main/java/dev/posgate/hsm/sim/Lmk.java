package dev.posgate.hsm.sim;

import dev.posgate.crypto.Hex;
import dev.posgate.crypto.Parity;
import dev.posgate.crypto.RandomSource;
import dev.posgate.crypto.Tdes;
import dev.posgate.hsm.KeyScheme;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.LmkKey;
import java.util.Arrays;
import java.util.Objects;

/**
 * A payShield-style variant LMK: 20 double-length TDES pairs, {@code 00-01} .. {@code 38-39}.
 *
 * <p>A key of type {@code VPP} (variant digit V, pair code PP) is encrypted part by part (8
 * bytes each) with TDES-ECB under the pair selected by PP, whose first byte is XORed with the
 * key-type variant V ({@code 00 A6 5A 6A DE 2B 50 74 9C FA}) and whose ninth byte (first byte of
 * the right-hand key) is XORed with the scheme variant of the part (U: {@code A6 5A}; T:
 * {@code 6A DE 2B}; Z: none). Decrypting under the wrong type or scheme yields garbage, which
 * the commands reject on the parity check. See docs/hsm-protocol.md, "LMK".
 *
 * <p>SM4 keys (scheme P) stay under this TDES LMK, as Racal-compatible Chinese HSMs keep a TDES
 * (or AES) LMK: the 16-byte key is encrypted as two 8-byte parts like a U key, with the scheme
 * variants {@code 3C C3} instead of U's, so an SM4 key's cryptogram never decrypts to the same
 * clear value as a TDES key of the same type (docs/hsm-protocol.md, "SM4 keys under the LMK").
 *
 * <p>Immutable and thread-safe. Never printed: {@link #toString()} shows the check value only.
 */
public final class Lmk {
    /** Number of LMK pairs. */
    public static final int PAIRS = 20;
    /** Pair index of LMK 34-35, used for RSA private keys. */
    static final int RSA_PAIR = 17;

    private static final int[] TYPE_VARIANTS = {0x00, 0xA6, 0x5A, 0x6A, 0xDE, 0x2B, 0x50, 0x74, 0x9C, 0xFA};
    private static final int[] DOUBLE_VARIANTS = {0xA6, 0x5A};
    private static final int[] TRIPLE_VARIANTS = {0x6A, 0xDE, 0x2B};
    /** Scheme variants of SM4 keys (P): posgate's, distinct from every U/T variant. */
    private static final int[] SM4_VARIANTS = {0x3C, 0xC3};
    /** Pair-34-35 variants of the SM2 private-key blob keys (RSA uses 0 and 1). */
    private static final int SM2_ENC_VARIANT = 2;
    private static final int SM2_MAC_VARIANT = 3;
    private static final byte[] ZERO = new byte[8];

    private final byte[][] pairs;
    /** Derived keys, [pair][type variant][scheme part slot], computed up front. */
    private final byte[][][][] derived;
    private final String checkValue;

    private Lmk(byte[][] pairs) {
        this.pairs = pairs;
        this.derived = new byte[PAIRS][TYPE_VARIANTS.length][][];
        for (int p = 0; p < PAIRS; p++) {
            for (int v = 0; v < TYPE_VARIANTS.length; v++) {
                byte[][] slots = new byte[8][];
                slots[0] = derive(p, v, 0);                      // Z
                slots[1] = derive(p, v, DOUBLE_VARIANTS[0]);     // U part 1
                slots[2] = derive(p, v, DOUBLE_VARIANTS[1]);     // U part 2
                slots[3] = derive(p, v, TRIPLE_VARIANTS[0]);     // T part 1
                slots[4] = derive(p, v, TRIPLE_VARIANTS[1]);     // T part 2
                slots[5] = derive(p, v, TRIPLE_VARIANTS[2]);     // T part 3
                slots[6] = derive(p, v, SM4_VARIANTS[0]);        // P part 1
                slots[7] = derive(p, v, SM4_VARIANTS[1]);        // P part 2
                derived[p][v] = slots;
            }
        }
        this.checkValue = Hex.encode(Tdes.encryptEcb(pairs[0], ZERO));
    }

    private byte[] derive(int pair, int variant, int schemeVariant) {
        byte[] k = pairs[pair].clone();
        k[0] ^= (byte) TYPE_VARIANTS[variant];
        k[8] ^= (byte) schemeVariant;
        return k;
    }

    /** An LMK from 20 pairs of 16 bytes each (odd parity, halves distinct). */
    public static Lmk of(byte[][] pairs) {
        Objects.requireNonNull(pairs, "pairs");
        if (pairs.length != PAIRS) {
            throw new IllegalArgumentException("an LMK has " + PAIRS + " pairs, got " + pairs.length);
        }
        byte[][] copy = new byte[PAIRS][];
        for (int i = 0; i < PAIRS; i++) {
            byte[] p = Objects.requireNonNull(pairs[i], "pair");
            if (p.length != 16) {
                throw new IllegalArgumentException("LMK pair " + pairName(i) + " must be 16 bytes");
            }
            if (!Parity.isOdd(p)) {
                throw new IllegalArgumentException("LMK pair " + pairName(i) + " does not have odd parity");
            }
            if (Arrays.equals(Arrays.copyOf(p, 8), Arrays.copyOfRange(p, 8, 16))) {
                throw new IllegalArgumentException("LMK pair " + pairName(i) + " has equal halves");
            }
            copy[i] = p.clone();
        }
        return new Lmk(copy);
    }

    /** A fresh random LMK. */
    public static Lmk generate(RandomSource random) {
        byte[][] pairs = new byte[PAIRS][];
        for (int i = 0; i < PAIRS; i++) {
            byte[] p;
            do {
                p = Parity.adjustOdd(random.next(16));
            } while (Arrays.equals(Arrays.copyOf(p, 8), Arrays.copyOfRange(p, 8, 16)));
            pairs[i] = p;
        }
        return new Lmk(pairs);
    }

    /** Pair name for index {@code i}: {@code 00-01} .. {@code 38-39}. */
    public static String pairName(int i) {
        return String.format("%02d-%02d", 2 * i, 2 * i + 1);
    }

    /**
     * Parses the text form: either lines {@code NN-NN=<32 hex>} for all 20 pairs (comments with
     * {@code #}, blank lines ignored), or the 20 pairs as 640 hex characters (whitespace ignored).
     */
    public static Lmk parse(String text) {
        Objects.requireNonNull(text, "text");
        byte[][] pairs = new byte[PAIRS][];
        if (text.indexOf('=') >= 0) {
            for (String line : text.split("\\R")) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                int eq = l.indexOf('=');
                if (eq < 0) {
                    throw new IllegalArgumentException("LMK line without '='");
                }
                String name = l.substring(0, eq).strip();
                int idx = -1;
                for (int i = 0; i < PAIRS; i++) {
                    if (pairName(i).equals(name)) {
                        idx = i;
                    }
                }
                if (idx < 0 || pairs[idx] != null) {
                    throw new IllegalArgumentException("unknown or repeated LMK pair name '" + name + "'");
                }
                pairs[idx] = decodeHex(l.substring(eq + 1).strip(), 32);
            }
            for (int i = 0; i < PAIRS; i++) {
                if (pairs[i] == null) {
                    throw new IllegalArgumentException("LMK pair " + pairName(i) + " missing");
                }
            }
        } else {
            byte[] all = decodeHex(text.replaceAll("\\s+", ""), 32 * PAIRS);
            for (int i = 0; i < PAIRS; i++) {
                pairs[i] = Arrays.copyOfRange(all, 16 * i, 16 * i + 16);
            }
            Arrays.fill(all, (byte) 0);
        }
        return of(pairs);
    }

    private static byte[] decodeHex(String hex, int chars) {
        if (hex.length() != chars) {
            throw new IllegalArgumentException("expected " + chars + " hex characters, got " + hex.length());
        }
        try {
            return Hex.decode(hex);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("LMK is not hex");
        }
    }

    /** The file form (see {@link #parse}); contains the LMK in clear: write it only to a protected file. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        sb.append("# posgate hsm-sim variant LMK: 20 double-length pairs. SECRET - keep this file private.\n");
        sb.append("# check value ").append(checkValue).append('\n');
        for (int i = 0; i < PAIRS; i++) {
            sb.append(pairName(i)).append('=').append(Hex.encode(pairs[i])).append('\n');
        }
        return sb.toString();
    }

    /** LMK check value: TDES of eight zero bytes under pair 00-01 (16 hex), reported by NC. */
    public String checkValue() {
        return checkValue;
    }

    private static int pairIndex(KeyType type) {
        String c = type.code();
        switch (c.substring(1).toUpperCase(java.util.Locale.ROOT)) {
            case "00": return 2;
            case "01": return 3;
            case "02": return 7;
            case "03": return 8;
            case "04": return 9;
            case "05": return 10;
            case "06": return 11;
            case "07": return 12;
            case "08": return 13;
            case "09": return 14;
            case "0A": return 15;
            case "0B": return 16;
            case "0C": return 17;
            case "0D": return 18;
            case "0E": return 19;
            default: throw new IllegalArgumentException("no LMK pair for key type " + c);
        }
    }

    private byte[] partKey(KeyType type, KeyScheme scheme, int part) {
        int v = type.code().charAt(0) - '0';
        byte[][] slots = derived[pairIndex(type)][v];
        switch (scheme) {
            case Z: return slots[0];
            case U: return slots[1 + part];
            case T: return slots[3 + part];
            case P: return slots[6 + part];
            default: throw new IllegalArgumentException("not an LMK scheme: " + scheme);
        }
    }

    /** Encrypts a clear key of {@code type} under the LMK; the scheme follows from its length. */
    public LmkKey encrypt(KeyType type, byte[] clearKey) {
        KeyScheme scheme = KeyScheme.lmkSchemeFor(clearKey.length);
        byte[] out = new byte[clearKey.length];
        byte[] block = new byte[8];
        for (int part = 0; part < clearKey.length / 8; part++) {
            System.arraycopy(clearKey, 8 * part, block, 0, 8);
            byte[] c = Tdes.encryptEcb(partKey(type, scheme, part), block);
            System.arraycopy(c, 0, out, 8 * part, 8);
        }
        Arrays.fill(block, (byte) 0);
        return LmkKey.of(scheme, out);
    }

    /** Encrypts a clear 16-byte SM4 key of {@code type} under the LMK (scheme P). */
    public LmkKey encryptSm4(KeyType type, byte[] clearKey) {
        if (clearKey.length != 16) {
            throw new IllegalArgumentException("an SM4 key is 16 bytes");
        }
        byte[] out = new byte[16];
        byte[] block = new byte[8];
        for (int part = 0; part < 2; part++) {
            System.arraycopy(clearKey, 8 * part, block, 0, 8);
            byte[] c = Tdes.encryptEcb(partKey(type, KeyScheme.P, part), block);
            System.arraycopy(c, 0, out, 8 * part, 8);
        }
        Arrays.fill(block, (byte) 0);
        return LmkKey.of(KeyScheme.P, out);
    }

    /** Decrypts a key of {@code type} from under the LMK, TDES or SM4 by its scheme (no parity check here). */
    public byte[] decrypt(KeyType type, LmkKey key) {
        byte[] in = key.cryptogram();
        byte[] out = new byte[in.length];
        byte[] block = new byte[8];
        for (int part = 0; part < in.length / 8; part++) {
            System.arraycopy(in, 8 * part, block, 0, 8);
            byte[] c = Tdes.decryptEcb(partKey(type, key.scheme(), part), block);
            System.arraycopy(c, 0, out, 8 * part, 8);
            Arrays.fill(c, (byte) 0);
        }
        return out;
    }

    /** Encryption key for RSA private keys (LMK 34-35, variant 0). */
    byte[] rsaEncryptionKey() {
        return derived[RSA_PAIR][0][0].clone();
    }

    /** MAC key for RSA private keys (LMK 34-35, variant 1). */
    byte[] rsaMacKey() {
        return derived[RSA_PAIR][1][0].clone();
    }

    /** Encryption key for SM2 private keys (LMK 34-35, variant 2). */
    byte[] sm2EncryptionKey() {
        return derived[RSA_PAIR][SM2_ENC_VARIANT][0].clone();
    }

    /** MAC key for SM2 private keys (LMK 34-35, variant 3). */
    byte[] sm2MacKey() {
        return derived[RSA_PAIR][SM2_MAC_VARIANT][0].clone();
    }

    @Override
    public String toString() {
        return "Lmk[check value " + checkValue + "]";
    }
}
