package dev.posgate.hsm.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Issue 16: EJ's public key in payShield's PKCS#1 form reads as the same key as the X.509 form. */
class RsaPublicKeysTest {

    @Test
    void aPkcs1PublicKeyInEjReadsAsItsSubjectPublicKeyInfo() throws Exception {
        for (int bits : new int[] {1024, 2048}) {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits);
            RSAPublicKey pub = (RSAPublicKey) g.generateKeyPair().getPublic();
            byte[] spki = pub.getEncoded();
            // the BIT STRING's content after its unused-bits byte is the PKCS#1 RSAPublicKey (JDK's own encoding)
            byte[] pkcs1 = pkcs1Of(spki);
            assertEquals(0x02, pkcs1[pkcs1[1] < 0 ? 2 + (pkcs1[1] & 0x7F) : 2], "RSAPublicKey starts with the modulus INTEGER");
            byte[] priv = "0004ABCD".getBytes(StandardCharsets.ISO_8859_1);
            for (byte[] form : new byte[][] {spki, pkcs1}) {
                byte[] reply = concat(concat("EJ00".getBytes(StandardCharsets.ISO_8859_1), form), priv);
                RsaKeyPairReply r = new GenerateRsaKeyPairRequest(dev.posgate.hsm.RsaKeyUsage.BOTH, bits)
                        .readReply(new FieldReader(reply, 4));
                assertArrayEquals(spki, r.publicKeyDer());
                assertEquals(pub, KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(r.publicKeyDer())));
            }
        }
    }

    /**
     * payShield's public key encoding 01 writes the INTEGERs unsigned (ut-codec-payshield's EJ:
     * {@code 3082010902820100C5...}): the same key, read as the same SubjectPublicKeyInfo the JDK
     * writes; and the software HSM's unsigned form of a JDK key is that 269-byte layout.
     */
    @Test
    void unsignedIntegersReadAsTheSameKey() throws Exception {
        for (int attempt = 0; attempt < 3; attempt++) {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            RSAPublicKey pub = (RSAPublicKey) g.generateKeyPair().getPublic();
            byte[] spki = pub.getEncoded();
            byte[] unsigned = RsaPublicKeys.rsaPublicKey(pkcs1Of(spki), true);
            assertEquals(269, unsigned.length, "SEQUENCE(265) { INTEGER(256), INTEGER(3) }: the public EJ length");
            assertEquals("3082010902820100", dev.posgate.crypto.Hex.encode(Arrays.copyOf(unsigned, 8)));
            assertArrayEquals(spki, RsaPublicKeys.asSubjectPublicKeyInfo(unsigned));
            assertArrayEquals(pkcs1Of(spki), RsaPublicKeys.rsaPublicKey(unsigned, false), "back to two's complement");
            assertEquals(pub, KeyFactory.getInstance("RSA").generatePublic(
                    new X509EncodedKeySpec(RsaPublicKeys.asSubjectPublicKeyInfo(unsigned))));
        }
    }

    private static byte[] pkcs1Of(byte[] spki) {
        // SEQUENCE { AlgorithmIdentifier (15 bytes), BIT STRING { 00, RSAPublicKey } }
        int outer = 2 + ((spki[1] & 0x80) == 0 ? 0 : spki[1] & 0x7F);
        int bit = outer + 15;
        int lenBytes = (spki[bit + 1] & 0x80) == 0 ? 0 : spki[bit + 1] & 0x7F;
        return Arrays.copyOfRange(spki, bit + 2 + lenBytes + 1, spki.length);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
