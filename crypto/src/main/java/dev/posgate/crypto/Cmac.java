package dev.posgate.crypto;

import java.util.Objects;
import org.bouncycastle.crypto.BlockCipher;

/**
 * CMAC (NIST SP 800-38B, = ISO/IEC 9797-1 MAC algorithm 5) over TDES and AES, full-length
 * output (8 bytes for TDES, 16 for AES; truncate as needed). Empty data is one padded block.
 *
 * <p>Subkeys: L = E(K, 0^b); K1 = L·x, K2 = K1·x in GF(2^b) (R64 = 0x1B, R128 = 0x87). The last
 * block is XORed with K1 when complete, else padded with {@code 80 00..} and XORed with K2.
 * Used by the TR-31 key derivation binding method (versions B and D, {@link Tr31}).
 */
public final class Cmac {
    private Cmac() {
    }

    /** TDES CMAC under a 16- or 24-byte key (8 for single DES): 8 bytes. */
    public static byte[] tdes(byte[] key, byte[] data) {
        DesCore e = DesCore.of(key, true);
        return cmac(e::block, 8, 0x1B, data);
    }

    /** AES CMAC under a 16-, 24- or 32-byte key: 16 bytes. */
    public static byte[] aes(byte[] key, byte[] data) {
        BlockCipher e = Aes.engine(key, true);
        return cmac(e::processBlock, 16, 0x87, data);
    }

    /** One keyed block encryption. */
    @FunctionalInterface
    interface BlockFn {
        void block(byte[] in, int inOff, byte[] out, int outOff);
    }

    private static byte[] cmac(BlockFn e, int bs, int r, byte[] data) {
        Objects.requireNonNull(data, "data");
        byte[] l = new byte[bs];
        e.block(l, 0, l, 0);
        byte[] k1 = dbl(l, r);
        int n = data.length == 0 ? 1 : (data.length + bs - 1) / bs;
        boolean complete = data.length > 0 && data.length % bs == 0;
        byte[] last = new byte[bs];
        int lastOff = (n - 1) * bs;
        if (complete) {
            System.arraycopy(data, lastOff, last, 0, bs);
            xorInto(last, k1);
        } else {
            int rest = data.length - lastOff;
            System.arraycopy(data, lastOff, last, 0, rest);
            last[rest] = (byte) 0x80;
            xorInto(last, dbl(k1, r));
        }
        byte[] chain = new byte[bs];
        for (int off = 0; off < lastOff; off += bs) {
            for (int i = 0; i < bs; i++) {
                chain[i] ^= data[off + i];
            }
            e.block(chain, 0, chain, 0);
        }
        xorInto(chain, last);
        e.block(chain, 0, chain, 0);
        return chain;
    }

    /** Multiplication by x in GF(2^b): shift left one bit, XOR r into the last byte on carry. */
    private static byte[] dbl(byte[] in, int r) {
        byte[] out = new byte[in.length];
        int carry = 0;
        for (int i = in.length - 1; i >= 0; i--) {
            int b = in[i] & 0xFF;
            out[i] = (byte) ((b << 1) | carry);
            carry = b >>> 7;
        }
        if (carry != 0) {
            out[in.length - 1] ^= (byte) r;
        }
        return out;
    }

    private static void xorInto(byte[] a, byte[] b) {
        for (int i = 0; i < a.length; i++) {
            a[i] ^= b[i];
        }
    }
}
