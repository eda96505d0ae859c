package dev.posgate.crypto;

import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.BlockCipher;

/**
 * Message authentication codes over DES/TDES and SM4. All MACs are computed over the whole
 * message in one call; results are fresh arrays.
 *
 * <ul>
 *   <li>{@link #x99}: ANSI X9.9 / FIPS 113 CBC-MAC (ISO 9797-1 algorithm 1, padding method 1).</li>
 *   <li>{@link #x919}: ANSI X9.19 retail MAC (ISO 9797-1 algorithm 3, padding method 1).</li>
 *   <li>{@link #iso9797Alg1}, {@link #iso9797Alg3}: the same with a chosen padding method (HSM M6/M8).</li>
 *   <li>{@link #unionPayEcb}: the China UnionPay POS "ECB" MAC of field 64 (protocol.md section 2).</li>
 *   <li>{@link #tac}: the TMS TAC/SAC, leftmost 4 bytes of the X9.9-family MAC (protocol.md section 3).</li>
 *   <li>{@link #sm4CbcMac}, {@link #sm4Tac}, {@link #unionPaySm4}: the same shapes with SM4 and
 *       16-byte blocks (protocol.md section 5, docs/national-crypto.md).</li>
 * </ul>
 */
public final class Macs {
    private Macs() {
    }

    /**
     * ANSI X9.9 MAC: CBC-MAC with zero IV over the data zero-padded ({@link Padding#zeroPad}, so
     * empty data MACs one zero block), returning the full last block (8 bytes). With an 8-byte key
     * this is X9.9 / FIPS 113 DES; with a 16- or 24-byte key the block cipher is TDES.
     */
    public static byte[] x99(byte[] key, byte[] data) {
        Objects.requireNonNull(data, "data");
        return cbcMacZeroPadded(DesCore.of(key, true), data);
    }

    /**
     * ANSI X9.19 retail MAC (ISO 9797-1 algorithm 3, padding method 1): single-DES CBC-MAC under
     * the left half K, then the last block is decrypted under the right half K' and encrypted
     * under K. 8 bytes. With K = K' the result equals {@link #x99} under the 8-byte key K.
     */
    public static byte[] x919(byte[] key16, byte[] data) {
        Objects.requireNonNull(data, "data");
        checkKey16(key16);
        DesCore k = DesCore.des(key16, 0, true);
        return retailFinal(k, key16, cbcMacZeroPadded(k, data));
    }

    /**
     * ISO 9797-1 MAC algorithm 1 (CBC-MAC, output transformation 1): 8 bytes; truncate as needed.
     * The block cipher is DES for an 8-byte key, TDES for 16 or 24 bytes.
     */
    public static byte[] iso9797Alg1(byte[] key, byte[] data, PaddingMethod padding) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(padding, "padding");
        DesCore e = DesCore.of(key, true);
        if (padding == PaddingMethod.METHOD_1) {
            return cbcMacZeroPadded(e, data);
        }
        return cbcMacZeroPadded(e, padding.pad(data));
    }

    /**
     * ISO 9797-1 MAC algorithm 3 (retail MAC) with a 16-byte key K ‖ K': single-DES CBC-MAC under
     * K, final block decrypted under K' and encrypted under K. 8 bytes.
     */
    public static byte[] iso9797Alg3(byte[] key16, byte[] data, PaddingMethod padding) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(padding, "padding");
        checkKey16(key16);
        DesCore e = DesCore.des(key16, 0, true);
        byte[] h = padding == PaddingMethod.METHOD_1 ? cbcMacZeroPadded(e, data) : cbcMacZeroPadded(e, padding.pad(data));
        return retailFinal(e, key16, h);
    }

    /**
     * China UnionPay POS "ECB" MAC (protocol.md section 2), returning the 8 ASCII bytes carried in
     * field 64:
     * <ol>
     *   <li>zero-pad the MAB to a multiple of 8 and XOR all 8-byte blocks into R;</li>
     *   <li>hex-expand R to 16 uppercase ASCII characters H = H1 ‖ H2 (8 each);</li>
     *   <li>C = E(K, E(K, H1) XOR H2);</li>
     *   <li>hex-expand C (uppercase) and keep the first 8 characters.</li>
     * </ol>
     * E is DES for an 8-byte key, TDES for a 16- (or 24-) byte key.
     */
    public static byte[] unionPayEcb(byte[] key, byte[] mab) {
        Objects.requireNonNull(mab, "mab");
        DesCore e = DesCore.of(key, true);
        byte[] r = xorBlocks(mab, 8);
        byte[] h = Hex.encodeAscii(r);
        byte[] c = new byte[8];
        e.block(h, 0, c, 0);
        for (int i = 0; i < 8; i++) {
            c[i] ^= h[8 + i];
        }
        e.block(c, 0, c, 0);
        byte[] hc = Hex.encodeAscii(c);
        return Arrays.copyOf(hc, 8);
    }

    /**
     * TMS TAC/SAC (protocol.md section 3): leftmost 4 bytes of the CBC-MAC with zero IV over the
     * zero-padded data, TDES under a 16-byte key (DES under a legacy 8-byte key, i.e. X9.9).
     */
    public static byte[] tac(byte[] key, byte[] data) {
        return Arrays.copyOf(x99(key, data), 4);
    }

    /**
     * ISO 9797-1 MAC algorithm 1 with SM4 (CBC-MAC, zero IV, output transformation 1, padding to
     * 16-byte blocks): the full 16-byte last block; truncate as needed. Method 1 pads empty data
     * to one zero block, as {@link #x99} does.
     */
    public static byte[] sm4CbcMac(byte[] key16, byte[] data, PaddingMethod padding) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(padding, "padding");
        BlockCipher e = Sm4.engine(key16, true);
        byte[] padded = padding.pad(data, Sm4.BLOCK);
        byte[] chain = new byte[Sm4.BLOCK];
        for (int off = 0; off < padded.length; off += Sm4.BLOCK) {
            for (int i = 0; i < Sm4.BLOCK; i++) {
                chain[i] ^= padded[off + i];
            }
            e.processBlock(chain, 0, chain, 0);
        }
        return chain;
    }

    /**
     * TMS TAC/SAC of an SM4 terminal (protocol.md section 5): leftmost 4 bytes of
     * {@link #sm4CbcMac} with padding method 1 (the SM4 counterpart of {@link #tac}).
     */
    public static byte[] sm4Tac(byte[] key16, byte[] data) {
        return Arrays.copyOf(sm4CbcMac(key16, data, PaddingMethod.METHOD_1), 4);
    }

    /**
     * China UnionPay POS MAC with SM4 (protocol.md section 5), the 16-byte-block counterpart of
     * {@link #unionPayEcb}, returning the 8 ASCII bytes carried in field 64:
     * <ol>
     *   <li>zero-pad the MAB to a multiple of 16 and XOR all 16-byte blocks into R;</li>
     *   <li>hex-expand R to 32 uppercase ASCII characters H = H1 ‖ H2 (16 each);</li>
     *   <li>C = SM4(K, SM4(K, H1) XOR H2);</li>
     *   <li>hex-expand C (uppercase) and keep the first 8 characters.</li>
     * </ol>
     */
    public static byte[] unionPaySm4(byte[] key16, byte[] mab) {
        Objects.requireNonNull(mab, "mab");
        BlockCipher e = Sm4.engine(key16, true);
        byte[] h = Hex.encodeAscii(xorBlocks(mab, Sm4.BLOCK));
        byte[] c = new byte[Sm4.BLOCK];
        e.processBlock(h, 0, c, 0);
        for (int i = 0; i < Sm4.BLOCK; i++) {
            c[i] ^= h[Sm4.BLOCK + i];
        }
        e.processBlock(c, 0, c, 0);
        return Arrays.copyOf(Hex.encodeAscii(c), 8);
    }

    /**
     * Constant-time comparison of two MACs (time independent of where they differ). Returns false
     * if either is null or the lengths differ (lengths are not secret).
     */
    public static boolean verify(byte[] expected, byte[] actual) {
        if (expected == null || actual == null || expected.length != actual.length) {
            return false;
        }
        int diff = 0;
        for (int i = 0; i < expected.length; i++) {
            diff |= expected[i] ^ actual[i];
        }
        return diff == 0;
    }

    /** XOR of all {@code block}-byte blocks of the zero-padded data (step 1 of the UnionPay MACs). */
    static byte[] xorBlocks(byte[] data, int block) {
        byte[] r = new byte[block];
        for (int i = 0; i < data.length; i++) {
            r[i % block] ^= data[i];
        }
        return r;
    }

    /** CBC-MAC, zero IV, zero padding without copying the data; empty data = one zero block. */
    private static byte[] cbcMacZeroPadded(DesCore e, byte[] data) {
        byte[] chain = new byte[8];
        int full = data.length & ~7;
        for (int off = 0; off < full; off += 8) {
            for (int i = 0; i < 8; i++) {
                chain[i] ^= data[off + i];
            }
            e.block(chain, 0, chain, 0);
        }
        int rest = data.length - full;
        if (rest > 0 || data.length == 0) {
            for (int i = 0; i < rest; i++) {
                chain[i] ^= data[full + i];
            }
            e.block(chain, 0, chain, 0);
        }
        return chain;
    }

    /** Output transformation 3: decrypt under K' (right half), encrypt under K again. */
    private static byte[] retailFinal(DesCore left, byte[] key16, byte[] h) {
        DesCore.des(key16, 8, false).block(h, 0, h, 0);
        left.block(h, 0, h, 0);
        return h;
    }

    private static void checkKey16(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length != 16) {
            throw new IllegalArgumentException("retail MAC key must be 16 bytes, got " + key.length);
        }
    }
}
