package dev.posgate.gateway.posp;

import dev.posgate.iso8583.pos.MacBlock;
import dev.posgate.iso8583.pos.PosMessage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The SM4 terminal computations written out on BouncyCastle's {@link SM4Engine} called directly
 * (never the project's crypto wrappers), so tests check the gateway independently
 * (docs/national-crypto.md).
 */
public final class Sm4Reference {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private Sm4Reference() {
    }

    /** SM4 ECB of {@code data} (a multiple of 16 bytes). */
    public static byte[] sm4(boolean encrypt, byte[] key, byte[] data) {
        SM4Engine engine = new SM4Engine();
        engine.init(encrypt, new KeyParameter(key));
        byte[] out = new byte[data.length];
        for (int off = 0; off < data.length; off += 16) engine.processBlock(data, off, out, off);
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
        byte[] c = sm4(true, key, Arrays.copyOf(h, 16));
        for (int i = 0; i < 16; i++) c[i] ^= h[16 + i];
        c = sm4(true, key, c);
        return HEX.formatHex(c).substring(0, 8).getBytes(StandardCharsets.US_ASCII);
    }

    /** The packed message with field 64 the UnionPay SM4 POS MAC under {@code mak}. */
    public static byte[] sealed(PosMessage m, byte[] mak) {
        m.set(64, new byte[8]);
        byte[] body = m.pack();
        MacBlock.writeMac(body, unionPayMac(mak, MacBlock.of(body)));
        return body;
    }

    /** The 16-byte SM4 PIN block: 0L PIN F..F (32 nibbles) XOR 20 zero nibbles + the 12 PAN digits before the check digit. */
    public static byte[] pinBlock(String pin, String pan) {
        byte[] p = HEX.parseHex("0" + pin.length() + pin + "F".repeat(30 - pin.length()));
        byte[] a = HEX.parseHex("0".repeat(20) + pan.substring(pan.length() - 13, pan.length() - 1));
        for (int i = 0; i < 16; i++) p[i] ^= a[i];
        return p;
    }
}
