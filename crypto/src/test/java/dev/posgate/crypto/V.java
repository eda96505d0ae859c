package dev.posgate.crypto;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.Mac;
import org.bouncycastle.crypto.modes.CBCBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.bouncycastle.util.Arrays;

/** Test helpers independent of the code under test. */
final class V {
    private V() {
    }

    static byte[] h(String hex) {
        return org.bouncycastle.util.encoders.Hex.decode(hex.replace(" ", ""));
    }

    static String hx(byte[] b) {
        return org.bouncycastle.util.encoders.Hex.toHexString(b).toUpperCase();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * A CBC seal body laid out by hand with BouncyCastle: {@code iv ‖ C ‖ MAC(iv ‖ C)}, C the CBC
     * encryption of {@code plain} (a multiple of the block) under {@code key} with {@code cipher},
     * the MAC {@code mac} under the same key.
     */
    static byte[] cbcSealed(BlockCipher cipher, Mac mac, byte[] key, byte[] iv, byte[] plain) {
        CBCBlockCipher cbc = (CBCBlockCipher) CBCBlockCipher.newInstance(cipher);
        cbc.init(true, new ParametersWithIV(new KeyParameter(key), iv));
        int n = cbc.getBlockSize();
        byte[] ct = new byte[plain.length];
        for (int i = 0; i < plain.length; i += n) cbc.processBlock(plain, i, ct, i);
        mac.init(new KeyParameter(key));
        mac.update(iv, 0, iv.length);
        mac.update(ct, 0, ct.length);
        byte[] m = new byte[mac.getMacSize()];
        mac.doFinal(m, 0);
        return Arrays.concatenate(iv, ct, m);
    }
}
