package dev.posgate.crypto;

import static dev.posgate.crypto.V.h;
import static dev.posgate.crypto.V.hx;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.bouncycastle.asn1.gm.GMNamedCurves;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.engines.SM2Engine;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithID;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.PlainDSAEncoding;
import org.bouncycastle.crypto.signers.SM2Signer;
import org.junit.jupiter.api.Test;

/**
 * SM2 with the examples on the recommended curve: GM/T 0003.5-2012 appendix A (signature) and
 * GB/T 32918.5-2017 annex C (encryption), both with d = 3945208F… and k = 59276E27….
 * Values confirmed in several public implementations' tests (docs/national-crypto.md).
 */
class Sm2Test {
    // recommended curve parameters, GM/T 0003.5 / GB/T 32918.5 section 3
    private static final String P = "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF";
    private static final String A = "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC";
    private static final String B = "28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93";
    private static final String GX = "32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7";
    private static final String GY = "BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0";
    private static final String N = "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123";

    private static final byte[] D = h("3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8");
    private static final byte[] Q = h("04"
            + "09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020"
            + "CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13");
    private static final byte[] K = h("59276E27D506861A16680F3AD9C02DCCEF3CC1FA3CDBE4CE6D54B80DEAC1BC21");
    private static final byte[] MESSAGE_DIGEST = V.ascii("message digest");
    private static final String SIGNATURE = "F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3"
            + "B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA";
    private static final String CIPHERTEXT = "04"
            + "04EBFC718E8D1798620432268E77FEB6415E2EDE0E073C0F4F640ECD2E149A73"
            + "E858F9D81E5430A57B36DAAB8F950A3C64E6EE6A63094D99283AFF767E124DF0"
            + "59983C18F809E262923C53AEC295D30383B54E39D609D160AFCB1908D0BD8766"
            + "21886CA989CA9C7D58087307CA93092D651EFA";
    private static final byte[] ALICE = V.ascii("ALICE123@YAHOO.COM");

    private static final X9ECParameters X9 = GMNamedCurves.getByName("sm2p256v1");
    private static final ECDomainParameters DOMAIN = new ECDomainParameters(X9);

    /** A SecureRandom that always yields the same bytes: the fixed k of the published examples. */
    static SecureRandom fixed(byte[] k) {
        return new SecureRandom() {
            private static final long serialVersionUID = 1L;

            @Override
            public void nextBytes(byte[] bytes) {
                System.arraycopy(k, 0, bytes, 0, bytes.length);
            }
        };
    }

    @Test
    void theCurveIsTheRecommendedOne() {
        assertEquals(P, X9.getCurve().getField().getCharacteristic().toString(16).toUpperCase());
        assertEquals(A, hx(X9.getCurve().getA().getEncoded()));
        assertEquals(B, hx(X9.getCurve().getB().getEncoded()));
        assertEquals("04" + GX + GY, hx(X9.getG().getEncoded(false)));
        assertEquals(N, X9.getN().toString(16).toUpperCase());
    }

    // ---------------- signature ----------------

    @Test
    void publicKeyOfThePublishedPrivateKey() {
        assertArrayEquals(Q, Sm2.publicKeyOf(D));
    }

    /** GM/T 0003.5-2012 appendix A: ID = default, M = "message digest", k fixed → (r, s). */
    @Test
    void publishedSignatureWithFixedK() {
        assertEquals(SIGNATURE, hx(Sm2.sign(D, Sm2.DEFAULT_USER_ID.getBytes(StandardCharsets.US_ASCII),
                MESSAGE_DIGEST, fixed(K))));
        assertTrue(Sm2.verify(Q, MESSAGE_DIGEST, h(SIGNATURE)));
        assertTrue(Sm2.verify(Q, V.ascii("1234567812345678"), MESSAGE_DIGEST, h(SIGNATURE)));
    }

    /** The published e = SM3(Z_A ‖ M) = F0B43E94…, recomputed from the standard's formula with SM3Digest. */
    @Test
    void publishedHashValueFromTheZaFormula() {
        byte[] id = V.ascii(Sm2.DEFAULT_USER_ID);
        SM3Digest z = new SM3Digest();
        z.update((byte) (id.length * 8 >> 8));
        z.update((byte) (id.length * 8));
        z.update(id, 0, id.length);
        for (String part : new String[] {A, B, GX, GY, hx(Q).substring(2, 66), hx(Q).substring(66)}) {
            byte[] b = h(part);
            z.update(b, 0, b.length);
        }
        byte[] za = new byte[32];
        z.doFinal(za, 0);
        assertEquals("F0B43E94BA45ACCAACE692ED534382EB17E6AB5A19CE7B31F4486FDFC0D28640",
                hx(Digests.sm3(za, MESSAGE_DIGEST)));
    }

    @Test
    void tamperedSignaturesDoNotVerify() {
        byte[] sig = h(SIGNATURE);
        assertFalse(Sm2.verify(Q, V.ascii("message digesT"), sig));
        assertFalse(Sm2.verify(Q, ALICE, MESSAGE_DIGEST, sig));
        for (int i = 0; i < 64; i += 7) {
            byte[] bad = sig.clone();
            bad[i] ^= 0x01;
            assertFalse(Sm2.verify(Q, MESSAGE_DIGEST, bad), "byte " + i);
        }
        assertFalse(Sm2.verify(Q, MESSAGE_DIGEST, new byte[63]));
        assertFalse(Sm2.verify(Q, MESSAGE_DIGEST, new byte[64]));
        assertFalse(Sm2.verify(Q, MESSAGE_DIGEST, null));
    }

    /**
     * An explicit user id: no published sm2p256v1 vector uses ALICE123@YAHOO.COM (GB/T 32918.2's
     * example is on a test curve), so the wrapper is checked both ways against BouncyCastle's
     * SM2Signer called directly.
     */
    @Test
    void explicitUserIdCrossCheckedWithSm2Signer() throws Exception {
        byte[] sig = Sm2.sign(D, ALICE, MESSAGE_DIGEST, null);
        SM2Signer v = new SM2Signer(PlainDSAEncoding.INSTANCE);
        v.init(false, new ParametersWithID(new ECPublicKeyParameters(X9.getCurve().decodePoint(Q), DOMAIN), ALICE));
        v.update(MESSAGE_DIGEST, 0, MESSAGE_DIGEST.length);
        assertTrue(v.verifySignature(sig));
        assertFalse(Sm2.verify(Q, MESSAGE_DIGEST, sig)); // not under the default id

        SM2Signer s = new SM2Signer(PlainDSAEncoding.INSTANCE);
        s.init(true, new ParametersWithID(new ParametersWithRandom(
                new ECPrivateKeyParameters(new BigInteger(1, D), DOMAIN), new SecureRandom()), ALICE));
        s.update(MESSAGE_DIGEST, 0, MESSAGE_DIGEST.length);
        assertTrue(Sm2.verify(Q, ALICE, MESSAGE_DIGEST, s.generateSignature()));
    }

    /** DER form: the published (r, s) as SEQUENCE of INTEGERs; round trip; SM2Signer with DER encoding verifies it. */
    @Test
    void derSignatureForm() {
        byte[] der = Sm2.signatureToDer(h(SIGNATURE));
        // SEQUENCE(0x46) { INTEGER(0x21) 00 F5A0.., INTEGER(0x21) 00 B1B6.. }: both high bits set, so a 00 prefix each
        assertEquals("30460221" + "00" + SIGNATURE.substring(0, 64) + "0221" + "00" + SIGNATURE.substring(64), hx(der));
        assertEquals(SIGNATURE, hx(Sm2.signatureFromDer(der)));
        SM2Signer v = new SM2Signer(); // StandardDSAEncoding (DER) by default
        v.init(false, new ECPublicKeyParameters(X9.getCurve().decodePoint(Q), DOMAIN));
        v.update(MESSAGE_DIGEST, 0, MESSAGE_DIGEST.length);
        assertTrue(v.verifySignature(der));
        assertThrows(IllegalArgumentException.class, () -> Sm2.signatureToDer(new byte[64]));
        assertThrows(IllegalArgumentException.class, () -> Sm2.signatureFromDer(h("3000")));
    }

    // ---------------- encryption ----------------

    /** GB/T 32918.5-2017 annex C: M = "encryption standard", k fixed → C1 ‖ C3 ‖ C2. */
    @Test
    void publishedCiphertextWithFixedK() {
        byte[] c = Sm2.encrypt(Q, V.ascii("encryption standard"), fixed(K));
        assertEquals(CIPHERTEXT, hx(c));
        assertEquals(19 + Sm2.CIPHERTEXT_OVERHEAD, c.length);
        assertEquals("encryption standard", new String(Sm2.decrypt(D, h(CIPHERTEXT)), StandardCharsets.US_ASCII));
    }

    @Test
    void decryptsWhatSm2EngineEncryptsAndViceVersa() throws Exception {
        byte[] key16 = h("0123456789ABCDEFFEDCBA9876543210");
        SM2Engine e = new SM2Engine(SM2Engine.Mode.C1C3C2);
        e.init(true, new ParametersWithRandom(new ECPublicKeyParameters(X9.getCurve().decodePoint(Q), DOMAIN),
                new SecureRandom()));
        assertArrayEquals(key16, Sm2.decrypt(D, e.processBlock(key16, 0, 16)));

        SM2Engine d = new SM2Engine(SM2Engine.Mode.C1C3C2);
        d.init(false, new ECPrivateKeyParameters(new BigInteger(1, D), DOMAIN));
        byte[] c = Sm2.encrypt(Q, key16);
        assertArrayEquals(key16, d.processBlock(c, 0, c.length));
    }

    @Test
    void tamperedCiphertextsAreRejected() {
        byte[] c = h(CIPHERTEXT);
        for (int i : new int[] {70, 97, c.length - 1}) { // C3, first byte of C2, last byte of C2
            byte[] bad = c.clone();
            bad[i] ^= 0x01;
            assertThrows(CryptoException.class, () -> Sm2.decrypt(D, bad), "byte " + i);
        }
        byte[] offCurve = c.clone();
        offCurve[10] ^= 0x01; // C1 no longer on the curve
        assertThrows(CryptoException.class, () -> Sm2.decrypt(D, offCurve));
        assertThrows(CryptoException.class, () -> Sm2.decrypt(D, java.util.Arrays.copyOf(c, 97)));
        byte[] other = Sm2.generate(null).privateKey();
        assertThrows(CryptoException.class, () -> Sm2.decrypt(other, c));
    }

    // ---------------- keys ----------------

    @Test
    void generatedKeysSignAndDecrypt() {
        Sm2.KeyPair kp = Sm2.generate(new SecureRandom());
        assertEquals(32, kp.privateKey().length);
        assertEquals(65, kp.publicKey().length);
        assertEquals(0x04, kp.publicKey()[0]);
        assertArrayEquals(kp.publicKey(), Sm2.publicKeyOf(kp.privateKey()));
        assertTrue(Sm2.isValidPublicKey(kp.publicKey()));
        byte[] msg = V.ascii("TK block");
        assertTrue(Sm2.verify(kp.publicKey(), msg, Sm2.sign(kp.privateKey(), msg)));
        assertArrayEquals(msg, Sm2.decrypt(kp.privateKey(), Sm2.encrypt(kp.publicKey(), msg)));
        assertNotEquals(hx(Sm2.encrypt(kp.publicKey(), msg)), hx(Sm2.encrypt(kp.publicKey(), msg)));
    }

    /** SubjectPublicKeyInfo: round trip, and the JDK-independent BC provider reads it as an EC key on sm2p256v1. */
    @Test
    void subjectPublicKeyInfo() throws Exception {
        byte[] spki = Sm2.encodePublicKey(Q);
        // SEQUENCE { SEQUENCE { id-ecPublicKey, sm2p256v1 }, BIT STRING 00 04 x y }
        assertEquals("3059301306072A8648CE3D020106082A811CCF5501822D03420004" + hx(Q).substring(2), hx(spki));
        assertArrayEquals(Q, Sm2.decodePublicKey(spki));
        java.security.PublicKey jca = java.security.KeyFactory.getInstance("EC",
                new org.bouncycastle.jce.provider.BouncyCastleProvider()).generatePublic(
                        new java.security.spec.X509EncodedKeySpec(spki));
        assertArrayEquals(Q, ((org.bouncycastle.jce.interfaces.ECPublicKey) jca).getQ().getEncoded(false));
        // a P-256 key is refused
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        byte[] p256 = g.generateKeyPair().getPublic().getEncoded();
        assertThrows(IllegalArgumentException.class, () -> Sm2.decodePublicKey(p256));
        assertThrows(IllegalArgumentException.class, () -> Sm2.decodePublicKey(h("3000")));
    }

    @Test
    void badKeysAndMessagesAreRejected() {
        byte[] compressed = new byte[33];
        compressed[0] = 0x02;
        System.arraycopy(Q, 1, compressed, 1, 32);
        assertFalse(Sm2.isValidPublicKey(compressed));
        byte[] offCurve = Q.clone();
        offCurve[64] ^= 0x01;
        assertFalse(Sm2.isValidPublicKey(offCurve));
        assertFalse(Sm2.isValidPublicKey(null));
        assertThrows(IllegalArgumentException.class, () -> Sm2.encrypt(offCurve, new byte[16]));
        assertThrows(IllegalArgumentException.class, () -> Sm2.encrypt(Q, new byte[0]));
        byte[] nMinus1 = org.bouncycastle.util.BigIntegers.asUnsignedByteArray(32, X9.getN().subtract(BigInteger.ONE));
        assertThrows(IllegalArgumentException.class, () -> Sm2.publicKeyOf(nMinus1));
        assertThrows(IllegalArgumentException.class, () -> Sm2.publicKeyOf(new byte[32]));
        assertThrows(IllegalArgumentException.class, () -> Sm2.sign(new byte[31], MESSAGE_DIGEST));
    }
}
