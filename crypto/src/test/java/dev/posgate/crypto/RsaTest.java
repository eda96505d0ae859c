package dev.posgate.crypto;

import static dev.posgate.crypto.V.h;
import static dev.posgate.crypto.V.hx;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RsaTest {
    private static RSAPrivateKey priv;
    private static RSAPublicKey pub;
    private static final List<String[]> CASES = new ArrayList<>();

    @BeforeAll
    static void load() throws Exception {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                RsaTest.class.getResourceAsStream("/vectors/wycheproof_rsa_oaep_2048_sha256_mgf1sha256.txt"),
                StandardCharsets.US_ASCII))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                if (line.startsWith("pkcs8=")) {
                    priv = Rsa.decodePrivateKey(h(line.substring(6)));
                } else {
                    CASES.add(line.split(";", -1));
                }
            }
        }
        pub = Rsa.publicKeyOf(priv);
    }

    // ---- OAEP ----

    @Test
    void wycheproofOaepSha256Vectors() {
        assertEquals(12, CASES.size());
        int valid = 0;
        for (String[] c : CASES) {
            String id = "tcId " + c[0];
            byte[] label = h(c[3]);
            byte[] ct = h(c[4]);
            if (c[1].equals("valid")) {
                valid++;
                assertEquals(c[2].toUpperCase(), hx(Rsa.oaepDecrypt(priv, ct, label)), id);
            } else {
                assertThrows(CryptoException.class, () -> Rsa.oaepDecrypt(priv, ct, label), id);
            }
        }
        assertEquals(6, valid);
    }

    @Test
    void wycheproofKeyModulus() {
        assertEquals(2048, pub.getModulus().bitLength());
        assertEquals(BigInteger.valueOf(65537), pub.getPublicExponent());
        assertTrue(hx(pub.getModulus().toByteArray()).startsWith("00A2B451A07D0AA5F96E"));
    }

    @Test
    void oaepRoundTripIsRandomised() {
        byte[] tk = TransmissionKeyBlock.encode(h("0123456789ABCDEFFEDCBA9876543210"),
                h("00112233445566778899AABBCCDDEEFF"));
        byte[] c1 = Rsa.oaepEncrypt(pub, tk);
        byte[] c2 = Rsa.oaepEncrypt(pub, tk);
        assertEquals(256, c1.length);
        assertFalse(Arrays.equals(c1, c2));
        assertArrayEquals(tk, Rsa.oaepDecrypt(priv, c1));
        assertArrayEquals(tk, Rsa.oaepDecrypt(priv, c2));
    }

    @Test
    void oaepLimitsAndLabel() {
        assertEquals(190, Rsa.oaepDecrypt(priv, Rsa.oaepEncrypt(pub, new byte[190])).length);
        assertThrows(IllegalArgumentException.class, () -> Rsa.oaepEncrypt(pub, new byte[191]));
        byte[] c = Rsa.oaepEncrypt(pub, V.ascii("x"), V.ascii("label"));
        assertArrayEquals(V.ascii("x"), Rsa.oaepDecrypt(priv, c, V.ascii("label")));
        assertThrows(CryptoException.class, () -> Rsa.oaepDecrypt(priv, c));
        byte[] tampered = Rsa.oaepEncrypt(pub, V.ascii("x"));
        tampered[100] ^= 1;
        assertThrows(CryptoException.class, () -> Rsa.oaepDecrypt(priv, tampered));
    }

    // ---- PKCS#1 v1.5 type 1 ----

    /** Private-key encryption of DigestInfo ‖ H(m) must equal a standard SHA256withRSA signature. */
    @Test
    void type1OverDigestInfoEqualsSha256WithRsaSignature() throws Exception {
        byte[] m = V.ascii("L-flow: Ctmk || Rnd2");
        byte[] digestInfo = h("3031300d060960864801650304020105000420");
        byte[] t = new byte[digestInfo.length + 32];
        System.arraycopy(digestInfo, 0, t, 0, digestInfo.length);
        System.arraycopy(Digests.sha256(m), 0, t, digestInfo.length, 32);
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(priv);
        s.update(m);
        assertArrayEquals(s.sign(), Rsa.privateEncryptPkcs1Type1(priv, t));
        assertArrayEquals(t, Rsa.publicRecoverPkcs1Type1(pub, Rsa.privateEncryptPkcs1Type1(priv, t)));
    }

    @Test
    void type1PaddingStructure() {
        byte[] data = h("0011223344556677 8899AABBCCDDEEFF 0011223344556677 0102030405060708"); // Ctmk(16)+..
        byte[] sig = Rsa.privateEncryptPkcs1Type1(priv, data);
        assertEquals(256, sig.length);
        assertArrayEquals(sig, Rsa.privateEncryptPkcs1Type1(priv, data)); // deterministic
        BigInteger em = new BigInteger(1, sig).modPow(pub.getPublicExponent(), pub.getModulus());
        byte[] block = new byte[256];
        byte[] emb = em.toByteArray();
        System.arraycopy(emb, 0, block, 256 - emb.length, emb.length);
        assertEquals(0x00, block[0]);
        assertEquals(0x01, block[1]);
        int psEnd = 256 - data.length - 1;
        for (int i = 2; i < psEnd; i++) {
            assertEquals((byte) 0xFF, block[i], "PS byte " + i);
        }
        assertEquals(0x00, block[psEnd]);
        assertArrayEquals(data, Arrays.copyOfRange(block, psEnd + 1, 256));
        assertArrayEquals(data, Rsa.publicRecoverPkcs1Type1(pub, sig));
    }

    @Test
    void type1LimitsAndTampering() {
        assertEquals(245, Rsa.publicRecoverPkcs1Type1(pub, Rsa.privateEncryptPkcs1Type1(priv, new byte[245])).length);
        assertThrows(IllegalArgumentException.class, () -> Rsa.privateEncryptPkcs1Type1(priv, new byte[246]));
        byte[] sig = Rsa.privateEncryptPkcs1Type1(priv, V.ascii("Rnd2Rnd2"));
        sig[5] ^= 0x40;
        assertThrows(CryptoException.class, () -> Rsa.publicRecoverPkcs1Type1(pub, sig));
        assertThrows(CryptoException.class, () -> Rsa.publicRecoverPkcs1Type1(pub, new byte[255]));
        // an OAEP ciphertext is not a type-1 block
        assertThrows(CryptoException.class, () -> Rsa.publicRecoverPkcs1Type1(pub, Rsa.oaepEncrypt(pub, new byte[8])));
    }

    // ---- keys ----

    @Test
    void derRoundTrips() {
        byte[] spki = Rsa.encodePublicKey(pub);
        assertEquals(0x30, spki[0]);
        RSAPublicKey pub2 = Rsa.decodePublicKey(spki);
        assertEquals(pub.getModulus(), pub2.getModulus());
        byte[] pkcs8 = Rsa.encodePrivateKey(priv);
        RSAPrivateKey priv2 = Rsa.decodePrivateKey(pkcs8);
        assertEquals(priv.getPrivateExponent(), priv2.getPrivateExponent());
        assertArrayEquals(V.ascii("ok"), Rsa.oaepDecrypt(priv2, Rsa.oaepEncrypt(pub2, V.ascii("ok"))));
        assertThrows(IllegalArgumentException.class, () -> Rsa.decodePublicKey(h("300100")));
        assertThrows(IllegalArgumentException.class, () -> Rsa.decodePrivateKey(spki));
        assertThrows(IllegalArgumentException.class, () -> Rsa.decodePublicKey(pkcs8));
    }

    @Test
    void generate() {
        KeyPair kp = Rsa.generate(1024, new SecureRandom());
        RSAPublicKey p = (RSAPublicKey) kp.getPublic();
        assertEquals(1024, p.getModulus().bitLength());
        assertEquals(BigInteger.valueOf(65537), p.getPublicExponent());
        assertEquals(128, Rsa.modulusBytes(p));
        byte[] c = Rsa.oaepEncrypt(p, new byte[62]);
        assertArrayEquals(new byte[62], Rsa.oaepDecrypt(kp.getPrivate(), c));
        assertThrows(IllegalArgumentException.class, () -> Rsa.generate(512, null));
    }
}
