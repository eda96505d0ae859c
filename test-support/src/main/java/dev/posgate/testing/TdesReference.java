package dev.posgate.testing;

import org.bouncycastle.crypto.engines.DESEngine;
import org.bouncycastle.crypto.engines.DESedeEngine;
import org.bouncycastle.crypto.macs.CBCBlockCipherMac;
import org.bouncycastle.crypto.macs.ISO9797Alg3Mac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The TMS session-key computations (docs/tms.md "Session keys") done again with BouncyCastle's engines
 * called directly, not through the project's crypto module, so that a test checks the HSM's or the
 * terminal's result against an independent reference: keys under keys (TDES ECB), TAC and SAC (TDES
 * CBC-MAC, 4 bytes), the MAC of a sealed body (X9.19).
 */
public final class TdesReference {
    private TdesReference() {}

    public static byte[] ecbEncrypt(byte[] key, byte[] data) {
        return ecb(true, key, data);
    }

    public static byte[] ecbDecrypt(byte[] key, byte[] data) {
        return ecb(false, key, data);
    }

    private static byte[] ecb(boolean encrypt, byte[] key, byte[] data) {
        DESedeEngine e = new DESedeEngine();
        e.init(encrypt, new KeyParameter(key));
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
}
