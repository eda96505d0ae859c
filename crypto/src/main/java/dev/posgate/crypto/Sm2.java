package dev.posgate.crypto;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.gm.GMNamedCurves;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.SM2Engine;
import org.bouncycastle.crypto.generators.SM2KeyPairGenerator;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithID;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.PlainDSAEncoding;
import org.bouncycastle.crypto.signers.SM2Signer;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;

/**
 * SM2 (GB/T 32918-2016, GM/T 0003-2012) on the recommended curve {@code sm2p256v1}, on
 * BouncyCastle's lightweight {@link SM2Signer} and {@link SM2Engine}; no JCA provider.
 *
 * <p>Keys and results are byte strings, the form the HSM and the terminal exchange:
 * <ul>
 *   <li>private key: the scalar d, 32 bytes big-endian, 1 &le; d &le; n-2 (d = n-1 has no
 *       signature inverse (1+d)<sup>-1</sup>);</li>
 *   <li>public key: the uncompressed point {@code 04 ‖ x ‖ y}, 65 bytes (GB/T 32918.1 section 4.2.9);
 *       compressed points are refused — one encoding;</li>
 *   <li>signature (SM3withSM2, GB/T 32918.2): {@code r ‖ s}, 64 bytes, e = SM3(Z<sub>A</sub> ‖ M)
 *       with Z<sub>A</sub> over the user id, by default {@value #DEFAULT_USER_ID}
 *       (GM/T 0009-2012 section 10);</li>
 *   <li>public-key encryption (GB/T 32918.4): {@code C1 ‖ C3 ‖ C2} (C1 the uncompressed
 *       point, C3 = SM3(x2 ‖ M ‖ y2), C2 = M XOR KDF), {@value #CIPHERTEXT_OVERHEAD} bytes
 *       longer than the message.</li>
 *   <li>certificates: {@link #encodePublicKey} / {@link #decodePublicKey} give the X.509
 *       SubjectPublicKeyInfo (id-ecPublicKey, named curve sm2p256v1 1.2.156.10197.1.301,
 *       GM/T 0015), {@link #signatureToDer} the DER signature value.</li>
 * </ul>
 * Each call builds its own signer or engine: thread-safe. A failed decryption throws
 * {@link CryptoException} with a fixed message; a signature that does not verify is {@code false}.
 */
public final class Sm2 {
    /** The default user id of GM/T 0009-2012 (ASCII "1234567812345678"). */
    public static final String DEFAULT_USER_ID = "1234567812345678";
    public static final int PRIVATE_KEY = 32;
    public static final int PUBLIC_KEY = 65;
    public static final int SIGNATURE = 64;
    /** Ciphertext length minus message length: C1 (65) and C3 (32). */
    public static final int CIPHERTEXT_OVERHEAD = PUBLIC_KEY + 32;

    private static final X9ECParameters CURVE = GMNamedCurves.getByName("sm2p256v1");
    private static final ECDomainParameters DOMAIN = new ECDomainParameters(CURVE);
    private static final byte[] DEFAULT_ID = DEFAULT_USER_ID.getBytes(StandardCharsets.US_ASCII);
    private static final ASN1ObjectIdentifier CURVE_OID = GMObjectIdentifiers.sm2p256v1;
    private static final AlgorithmIdentifier SPKI_ALGORITHM =
            new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, CURVE_OID);

    private Sm2() {
    }

    /** An SM2 key pair as bytes: d (32) and its uncompressed public point (65). */
    public static final class KeyPair {
        private final byte[] privateKey;
        private final byte[] publicKey;

        private KeyPair(byte[] privateKey, byte[] publicKey) {
            this.privateKey = privateKey;
            this.publicKey = publicKey;
        }

        /** d, 32 bytes (a copy). */
        public byte[] privateKey() {
            return privateKey.clone();
        }

        /** {@code 04 ‖ x ‖ y}, 65 bytes (a copy). */
        public byte[] publicKey() {
            return publicKey.clone();
        }
    }

    /** A fresh key pair; {@code random} null means the shared {@link SecureRandom}. */
    public static KeyPair generate(SecureRandom random) {
        SM2KeyPairGenerator g = new SM2KeyPairGenerator(); // d in [1, n-2]
        g.init(new ECKeyGenerationParameters(DOMAIN, orDefault(random)));
        AsymmetricCipherKeyPair kp = g.generateKeyPair();
        BigInteger d = ((ECPrivateKeyParameters) kp.getPrivate()).getD();
        ECPoint q = ((ECPublicKeyParameters) kp.getPublic()).getQ();
        return new KeyPair(BigIntegers.asUnsignedByteArray(PRIVATE_KEY, d), q.getEncoded(false));
    }

    /** The uncompressed public point [d]G of a private key. */
    public static byte[] publicKeyOf(byte[] privateKey) {
        BigInteger d = privateScalar(privateKey);
        return DOMAIN.getG().multiply(d).normalize().getEncoded(false);
    }

    /** SM3withSM2 signature {@code r ‖ s} of {@code message} under the default user id. */
    public static byte[] sign(byte[] privateKey, byte[] message) {
        return sign(privateKey, DEFAULT_ID, message, null);
    }

    /**
     * SM3withSM2 signature {@code r ‖ s} of {@code message} under {@code userId} (at most 8191
     * bytes); {@code random} (null = the shared {@link SecureRandom}) supplies the nonce k.
     */
    public static byte[] sign(byte[] privateKey, byte[] userId, byte[] message, SecureRandom random) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(message, "message");
        ECPrivateKeyParameters key = new ECPrivateKeyParameters(privateScalar(privateKey), DOMAIN);
        SM2Signer signer = new SM2Signer(PlainDSAEncoding.INSTANCE);
        signer.init(true, new ParametersWithID(new ParametersWithRandom(key, orDefault(random)), userId));
        signer.update(message, 0, message.length);
        try {
            return signer.generateSignature();
        } catch (org.bouncycastle.crypto.CryptoException e) {
            throw new CryptoException("SM2 signing failed", e);
        }
    }

    /** True if {@code signature} ({@code r ‖ s}) is a valid SM3withSM2 signature under the default user id. */
    public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        return verify(publicKey, DEFAULT_ID, message, signature);
    }

    /** True if {@code signature} ({@code r ‖ s}) is a valid SM3withSM2 signature under {@code userId}. */
    public static boolean verify(byte[] publicKey, byte[] userId, byte[] message, byte[] signature) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(message, "message");
        ECPublicKeyParameters key = new ECPublicKeyParameters(publicPoint(publicKey), DOMAIN);
        if (signature == null || signature.length != SIGNATURE) {
            return false;
        }
        SM2Signer verifier = new SM2Signer(PlainDSAEncoding.INSTANCE);
        verifier.init(false, new ParametersWithID(key, userId));
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(signature);
    }

    /** SM2 encryption {@code C1 ‖ C3 ‖ C2} of a non-empty message with the shared {@link SecureRandom}. */
    public static byte[] encrypt(byte[] publicKey, byte[] data) {
        return encrypt(publicKey, data, null);
    }

    /** SM2 encryption {@code C1 ‖ C3 ‖ C2}; {@code random} (null = shared) supplies the ephemeral k. */
    public static byte[] encrypt(byte[] publicKey, byte[] data, SecureRandom random) {
        Objects.requireNonNull(data, "data");
        if (data.length == 0) {
            // GB/T 32918.4 needs klen > 0: an empty KDF output is "all zero" and k is redrawn forever
            throw new IllegalArgumentException("SM2 message must not be empty");
        }
        ECPublicKeyParameters key = new ECPublicKeyParameters(publicPoint(publicKey), DOMAIN);
        SM2Engine engine = new SM2Engine(SM2Engine.Mode.C1C3C2);
        engine.init(true, new ParametersWithRandom(key, orDefault(random)));
        try {
            return engine.processBlock(data, 0, data.length);
        } catch (InvalidCipherTextException e) {
            throw new CryptoException("SM2 encryption failed", e);
        }
    }

    /** The message of an SM2 ciphertext {@code C1 ‖ C3 ‖ C2}; {@link CryptoException} if it does not decrypt. */
    public static byte[] decrypt(byte[] privateKey, byte[] ciphertext) {
        Objects.requireNonNull(ciphertext, "ciphertext");
        ECPrivateKeyParameters key = new ECPrivateKeyParameters(privateScalar(privateKey), DOMAIN);
        if (ciphertext.length <= CIPHERTEXT_OVERHEAD || ciphertext[0] != 0x04) {
            throw new CryptoException("SM2 decryption failed");
        }
        SM2Engine engine = new SM2Engine(SM2Engine.Mode.C1C3C2);
        engine.init(false, key);
        try {
            return engine.processBlock(ciphertext, 0, ciphertext.length);
        } catch (InvalidCipherTextException | IllegalArgumentException e) {
            // IllegalArgumentException: C1 is not a point of the curve
            throw new CryptoException("SM2 decryption failed");
        }
    }

    /**
     * The DER form {@code SEQUENCE { r INTEGER, s INTEGER }} of an {@code r ‖ s} signature, as
     * X.509 certificates signed SM3withSM2 carry it (GM/T 0009-2012 SM2Signature).
     */
    public static byte[] signatureToDer(byte[] signature) {
        Objects.requireNonNull(signature, "signature");
        BigInteger n = DOMAIN.getN();
        try {
            BigInteger[] rs = checkRange(PlainDSAEncoding.INSTANCE.decode(n, signature));
            return StandardDSAEncoding.INSTANCE.encode(n, rs[0], rs[1]);
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a 64-byte SM2 signature r ‖ s with 0 < r, s < n", e);
        }
    }

    /** The {@code r ‖ s} form (64 bytes) of a DER SM2 signature; strict DER, 0 &lt; r, s &lt; n. */
    public static byte[] signatureFromDer(byte[] der) {
        Objects.requireNonNull(der, "der");
        BigInteger n = DOMAIN.getN();
        try {
            BigInteger[] rs = checkRange(StandardDSAEncoding.INSTANCE.decode(n, der));
            return PlainDSAEncoding.INSTANCE.encode(n, rs[0], rs[1]);
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a DER SM2 signature", e);
        }
    }

    /** X.509 SubjectPublicKeyInfo DER of an uncompressed public point (for certificates). */
    public static byte[] encodePublicKey(byte[] publicKey) {
        publicPoint(publicKey);
        try {
            return new SubjectPublicKeyInfo(SPKI_ALGORITHM, publicKey).getEncoded("DER");
        } catch (java.io.IOException e) {
            throw new CryptoException("SubjectPublicKeyInfo encoding failed", e);
        }
    }

    /**
     * The uncompressed public point of an X.509 SubjectPublicKeyInfo, which must name
     * id-ecPublicKey with the curve sm2p256v1 and hold a valid uncompressed point.
     */
    public static byte[] decodePublicKey(byte[] spki) {
        Objects.requireNonNull(spki, "spki");
        SubjectPublicKeyInfo info;
        try {
            info = SubjectPublicKeyInfo.getInstance(ASN1Primitive.fromByteArray(spki));
        } catch (java.io.IOException | IllegalArgumentException | ClassCastException e) {
            throw new IllegalArgumentException("not a SubjectPublicKeyInfo", e);
        }
        if (!SPKI_ALGORITHM.equals(info.getAlgorithm())) {
            throw new IllegalArgumentException("not an SM2 (sm2p256v1) public key: " + info.getAlgorithm().getAlgorithm());
        }
        byte[] q = info.getPublicKeyData().getOctets();
        publicPoint(q);
        return q;
    }

    /** True if {@code publicKey} is a 65-byte uncompressed point of sm2p256v1 (not infinity). */
    public static boolean isValidPublicKey(byte[] publicKey) {
        try {
            publicPoint(publicKey);
            return true;
        } catch (IllegalArgumentException | NullPointerException e) {
            return false;
        }
    }

    /** r and s of a signature lie in [1, n-1] (GB/T 32918.2 verification step B1/B2). */
    private static BigInteger[] checkRange(BigInteger[] rs) {
        for (BigInteger v : rs) {
            if (v.signum() <= 0 || v.compareTo(DOMAIN.getN()) >= 0) {
                throw new IllegalArgumentException("signature value outside [1, n-1]");
            }
        }
        return rs;
    }

    private static BigInteger privateScalar(byte[] privateKey) {
        Objects.requireNonNull(privateKey, "privateKey");
        if (privateKey.length != PRIVATE_KEY) {
            throw new IllegalArgumentException("SM2 private key must be 32 bytes, got " + privateKey.length);
        }
        BigInteger d = new BigInteger(1, privateKey);
        if (d.signum() == 0 || d.compareTo(DOMAIN.getN().subtract(BigInteger.ONE)) >= 0) {
            throw new IllegalArgumentException("SM2 private key outside [1, n-2]");
        }
        return d;
    }

    private static ECPoint publicPoint(byte[] publicKey) {
        Objects.requireNonNull(publicKey, "publicKey");
        if (publicKey.length != PUBLIC_KEY || publicKey[0] != 0x04) {
            throw new IllegalArgumentException("SM2 public key must be an uncompressed point (04 ‖ x ‖ y, 65 bytes)");
        }
        ECPoint q = DOMAIN.getCurve().decodePoint(Arrays.copyOf(publicKey, PUBLIC_KEY)); // checks the curve equation
        if (q.isInfinity() || !q.isValid()) {
            throw new IllegalArgumentException("SM2 public key is not a valid point of sm2p256v1");
        }
        return q;
    }

    private static SecureRandom orDefault(SecureRandom random) {
        return random != null ? random : Shared.RANDOM;
    }

    /** Lazily created shared SecureRandom (thread-safe). */
    private static final class Shared {
        static final SecureRandom RANDOM = new SecureRandom();
    }
}
