package dev.posgate.crypto;

import java.nio.charset.StandardCharsets;

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
}
