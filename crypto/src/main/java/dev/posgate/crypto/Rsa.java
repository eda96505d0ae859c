package dev.posgate.crypto;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Objects;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

/**
 * RSA for the K-flow and L-flow (protocol.md section 3), on the JDK's default providers
 * (SunRsaSign for keys, SunJCE for the cipher; CRT with blinding). No provider is registered.
 *
 * <ul>
 *   <li>RSA-OAEP (PKCS#1 v2.2 / RFC 8017 section 7.1) with SHA-256 as both the OAEP digest and
 *       the MGF1 digest, empty label unless one is given.</li>
 *   <li>PKCS#1 v1.5 block type 1 "private-key encryption" (RFC 8017 section 9.2 padding
 *       {@code 00 01 FF.. 00 ‖ data} without a DigestInfo), recovered with the public key.</li>
 *   <li>DER: public keys as X.509 SubjectPublicKeyInfo, private keys as PKCS#8 PrivateKeyInfo.</li>
 * </ul>
 * Failed decryption/recovery throws {@link CryptoException} with a fixed message (no padding
 * oracle detail).
 */
public final class Rsa {
    private static final String OAEP = "RSA/ECB/OAEPPadding";
    private static final String PKCS1 = "RSA/ECB/PKCS1Padding";

    private Rsa() {
    }

    /** Generates an RSA key pair with public exponent 65537; {@code bits} in 1024..16384. */
    public static KeyPair generate(int bits, SecureRandom random) {
        if (bits < 1024 || bits > 16384) {
            throw new IllegalArgumentException("RSA modulus must be 1024..16384 bits, got " + bits);
        }
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(new RSAKeyGenParameterSpec(bits, RSAKeyGenParameterSpec.F4),
                    random == null ? new SecureRandom() : random);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new CryptoException("RSA key generation failed", e);
        }
    }

    /** RSA-OAEP (SHA-256, MGF1-SHA-256, empty label) encryption; at most k - 66 bytes. */
    public static byte[] oaepEncrypt(PublicKey key, byte[] data) {
        return oaepEncrypt(key, data, new byte[0]);
    }

    /** RSA-OAEP (SHA-256, MGF1-SHA-256) encryption with a label. */
    public static byte[] oaepEncrypt(PublicKey key, byte[] data, byte[] label) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(data, "data");
        int max = modulusBytes(key) - 2 * 32 - 2;
        if (data.length > max) {
            throw new IllegalArgumentException("OAEP message too long: " + data.length + " > " + max);
        }
        return run(OAEP, Cipher.ENCRYPT_MODE, key, oaepSpec(label), data, "RSA-OAEP encryption failed");
    }

    /** RSA-OAEP (SHA-256, MGF1-SHA-256, empty label) decryption. */
    public static byte[] oaepDecrypt(PrivateKey key, byte[] ciphertext) {
        return oaepDecrypt(key, ciphertext, new byte[0]);
    }

    /** RSA-OAEP (SHA-256, MGF1-SHA-256) decryption with a label. */
    public static byte[] oaepDecrypt(PrivateKey key, byte[] ciphertext, byte[] label) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(ciphertext, "ciphertext");
        checkCiphertextLength(key, ciphertext);
        return run(OAEP, Cipher.DECRYPT_MODE, key, oaepSpec(label), ciphertext, "RSA-OAEP decryption failed");
    }

    /**
     * PKCS#1 v1.5 type-1 padding ({@code 00 01 FF..FF 00 ‖ data}, no DigestInfo) then the RSA
     * private-key operation; at most k - 11 bytes of data. Deterministic.
     */
    public static byte[] privateEncryptPkcs1Type1(PrivateKey key, byte[] data) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(data, "data");
        int max = modulusBytes(key) - 11;
        if (data.length > max) {
            throw new IllegalArgumentException("PKCS#1 type-1 data too long: " + data.length + " > " + max);
        }
        return run(PKCS1, Cipher.ENCRYPT_MODE, key, null, data, "RSA private encryption failed");
    }

    /** Inverse of {@link #privateEncryptPkcs1Type1}: public-key operation, then strict type-1 unpadding. */
    public static byte[] publicRecoverPkcs1Type1(PublicKey key, byte[] signature) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(signature, "signature");
        checkCiphertextLength(key, signature);
        return run(PKCS1, Cipher.DECRYPT_MODE, key, null, signature, "RSA PKCS#1 type-1 recovery failed");
    }

    /** X.509 SubjectPublicKeyInfo DER of an RSA public key. */
    public static byte[] encodePublicKey(PublicKey key) {
        RSAPublicKey k = rsaPublic(key);
        if (!"X.509".equals(k.getFormat()) || k.getEncoded() == null) {
            throw new IllegalArgumentException("not an encodable RSA public key");
        }
        return k.getEncoded();
    }

    /** Parses X.509 SubjectPublicKeyInfo DER holding an RSA public key. */
    public static RSAPublicKey decodePublicKey(byte[] der) {
        Objects.requireNonNull(der, "der");
        try {
            return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
        } catch (InvalidKeySpecException | ClassCastException e) {
            throw new IllegalArgumentException("not an RSA SubjectPublicKeyInfo", e);
        } catch (GeneralSecurityException e) {
            throw new CryptoException("RSA key factory unavailable", e);
        }
    }

    /** PKCS#8 PrivateKeyInfo DER of an RSA private key. */
    public static byte[] encodePrivateKey(PrivateKey key) {
        Objects.requireNonNull(key, "key");
        if (!(key instanceof RSAPrivateKey) || !"PKCS#8".equals(key.getFormat()) || key.getEncoded() == null) {
            throw new IllegalArgumentException("not an encodable RSA private key");
        }
        return key.getEncoded();
    }

    /** Parses PKCS#8 PrivateKeyInfo DER holding an RSA private key. */
    public static RSAPrivateKey decodePrivateKey(byte[] der) {
        Objects.requireNonNull(der, "der");
        try {
            return (RSAPrivateKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (InvalidKeySpecException | ClassCastException e) {
            throw new IllegalArgumentException("not an RSA PKCS#8 private key", e);
        } catch (GeneralSecurityException e) {
            throw new CryptoException("RSA key factory unavailable", e);
        }
    }

    /** The public key of a CRT private key (modulus and public exponent are part of PKCS#8 RSA keys). */
    public static RSAPublicKey publicKeyOf(PrivateKey key) {
        if (!(key instanceof RSAPrivateCrtKey)) {
            throw new IllegalArgumentException("public key derivable only from an RSA CRT private key");
        }
        RSAPrivateCrtKey k = (RSAPrivateCrtKey) key;
        try {
            return (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(k.getModulus(), k.getPublicExponent()));
        } catch (GeneralSecurityException e) {
            throw new CryptoException("RSA key factory failed", e);
        }
    }

    /** Modulus length in bytes (k), which is the length of every ciphertext/signature. */
    public static int modulusBytes(Key key) {
        if (!(key instanceof RSAKey)) {
            throw new IllegalArgumentException("not an RSA key");
        }
        return (((RSAKey) key).getModulus().bitLength() + 7) / 8;
    }

    private static RSAPublicKey rsaPublic(PublicKey key) {
        Objects.requireNonNull(key, "key");
        if (!(key instanceof RSAPublicKey)) {
            throw new IllegalArgumentException("not an RSA public key");
        }
        return (RSAPublicKey) key;
    }

    private static OAEPParameterSpec oaepSpec(byte[] label) {
        Objects.requireNonNull(label, "label");
        return new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, new PSource.PSpecified(label));
    }

    private static void checkCiphertextLength(Key key, byte[] c) {
        if (c.length != modulusBytes(key)) {
            throw new CryptoException("RSA input length " + c.length + " differs from modulus length");
        }
    }

    private static byte[] run(String transformation, int mode, Key key, OAEPParameterSpec spec, byte[] in,
            String failure) {
        Cipher c;
        try {
            c = Cipher.getInstance(transformation);
        } catch (GeneralSecurityException e) {
            throw new CryptoException(transformation + " unavailable", e);
        }
        try {
            if (spec == null) {
                c.init(mode, key);
            } else {
                c.init(mode, key, spec);
            }
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("unusable RSA key: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new CryptoException(failure, e);
        }
        try {
            return c.doFinal(in);
        } catch (BadPaddingException | IllegalBlockSizeException e) {
            throw new CryptoException(failure);
        }
    }
}
