package dev.posgate.testing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.engines.DESEngine;
import org.bouncycastle.crypto.engines.DESedeEngine;
import org.bouncycastle.crypto.macs.CBCBlockCipherMac;
import org.bouncycastle.crypto.macs.ISO9797Alg3Mac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The TMS session-key computations (docs/tms.md "Session keys") done again with BouncyCastle's engines
 * called directly, not through the project's crypto module, so that a test checks the HSM's or the
 * terminal's result against an independent reference: keys under keys (TDES ECB), TAC and SAC (TDES
 * CBC-MAC, 4 bytes), the MAC of a sealed body (X9.19), the UnionPay POS MAC (ECB MAC).
 */
public final class TdesReference {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private TdesReference() {}

    public static byte[] ecbEncrypt(byte[] key, byte[] data) {
        return ecb(true, key, data);
    }

    public static byte[] ecbDecrypt(byte[] key, byte[] data) {
        return ecb(false, key, data);
    }

    /** A single-length (8-byte) key is doubled: K1 = K2 = K3 is single DES, which DESedeEngine does not take as is. */
    private static byte[] ecb(boolean encrypt, byte[] key, byte[] data) {
        byte[] k = key.length == 8 ? concat(key, key) : key;
        DESedeEngine e = new DESedeEngine();
        e.init(encrypt, new KeyParameter(k));
        byte[] out = new byte[data.length];
        for (int i = 0; i < data.length; i += 8) e.processBlock(data, i, out, i);
        return out;
    }

    /** TDES CBC-MAC, zero IV, zero padding, 32-bit output: a TAC or a SAC. */
    public static byte[] cbcMac4(byte[] key, byte[] data) {
        CBCBlockCipherMac mac = new CBCBlockCipherMac(new DESedeEngine(), 32);
        mac.init(new KeyParameter(key));
        mac.update(data, 0, data.length);
        byte[] out = new byte[4];
        mac.doFinal(out, 0);
        return out;
    }

    /** ANSI X9.19 (ISO 9797-1 MAC algorithm 3, single DES then TDES on the last block) under a 16-byte key. */
    public static byte[] x919(byte[] key16, byte[] data) {
        ISO9797Alg3Mac mac = new ISO9797Alg3Mac(new DESEngine());
        mac.init(new KeyParameter(key16));
        mac.update(data, 0, data.length);
        byte[] out = new byte[8];
        mac.doFinal(out, 0);
        return out;
    }

    /**
     * The UnionPay POS ECB MAC (protocol.md section 2): XOR of the zero-padded 8-byte blocks, its 16
     * upper-case hex characters; TDES of the first 8, XOR the last 8, TDES again; the first 8 hex
     * characters. A single-length MAK is DES.
     */
    public static byte[] unionPayEcbMac(byte[] key, byte[] mab) {
        byte[] x = new byte[8];
        for (int i = 0; i < mab.length; i++) x[i % 8] ^= mab[i];
        byte[] h = HEX.formatHex(x).getBytes(StandardCharsets.US_ASCII);
        byte[] c = ecbEncrypt(key, Arrays.copyOf(h, 8));
        for (int i = 0; i < 8; i++) c[i] ^= h[8 + i];
        c = ecbEncrypt(key, c);
        return Arrays.copyOf(HEX.formatHex(c).getBytes(StandardCharsets.US_ASCII), 8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
