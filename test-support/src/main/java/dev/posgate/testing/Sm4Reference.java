package dev.posgate.testing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The SM4 counterpart of {@link TdesReference}: SM4 computations done again with BouncyCastle's
 * {@link SM4Engine} called directly, not through the project's crypto module, so that a test checks
 * the HSM's, the gateway's or the terminal's result against an independent reference
 * (docs/national-crypto.md).
 */
public final class Sm4Reference {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private Sm4Reference() {}

    /** SM4 ECB of {@code data}, a multiple of 16 bytes. */
    public static byte[] ecbEncrypt(byte[] key, byte[] data) {
        return ecb(true, key, data);
    }

    /** SM4 ECB decryption of {@code data}, a multiple of 16 bytes. */
    public static byte[] ecbDecrypt(byte[] key, byte[] data) {
        return ecb(false, key, data);
    }

    private static byte[] ecb(boolean encrypt, byte[] key, byte[] data) {
        SM4Engine e = new SM4Engine();
        e.init(encrypt, new KeyParameter(key));
        byte[] out = new byte[data.length];
        for (int i = 0; i < data.length; i += 16) e.processBlock(data, i, out, i);
        return out;
    }

    /**
     * UnionPay SM4 POS MAC: XOR of the zero-padded 16-byte blocks, its 32 upper-case hex
     * characters; SM4 of the first 16, XOR the last 16, SM4 again; the first 8 hex characters.
     */
    public static byte[] unionPayMac(byte[] key, byte[] mab) {
        byte[] r = new byte[16];
        for (int i = 0; i < mab.length; i++) r[i % 16] ^= mab[i];
        byte[] h = HEX.formatHex(r).getBytes(StandardCharsets.US_ASCII);
        byte[] c = ecbEncrypt(key, Arrays.copyOf(h, 16));
        for (int i = 0; i < 16; i++) c[i] ^= h[16 + i];
        c = ecbEncrypt(key, c);
        return Arrays.copyOf(HEX.formatHex(c).getBytes(StandardCharsets.US_ASCII), 8);
    }

    /** The 16-byte SM4 PIN block: 0L PIN F..F (32 nibbles) XOR 20 zero nibbles + the 12 PAN digits before the check digit. */
    public static byte[] pinBlock(String pin, String pan) {
        byte[] p = HEX.parseHex("0" + pin.length() + pin + "F".repeat(30 - pin.length()));
        byte[] a = HEX.parseHex("0".repeat(20) + pan.substring(pan.length() - 13, pan.length() - 1));
        for (int i = 0; i < 16; i++) p[i] ^= a[i];
        return p;
    }
}
