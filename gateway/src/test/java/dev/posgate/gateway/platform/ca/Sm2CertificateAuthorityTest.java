package dev.posgate.gateway.platform.ca;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.crypto.RandomSource;
import dev.posgate.crypto.Sm2;
import dev.posgate.hsm.Hsm;
import dev.posgate.hsm.sim.HsmCommandProcessor;
import dev.posgate.hsm.sim.InProcessHsm;
import dev.posgate.hsm.sim.Lmk;
import dev.posgate.protocol.pki.CertificateRejectedException;
import dev.posgate.protocol.pki.CertificateRole;
import dev.posgate.protocol.pki.CertificateVerifier;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.gm.GMNamedCurves;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithID;
import org.bouncycastle.crypto.signers.SM2Signer;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SM2 root of the development CA: key pair by K1, certificates signed by K3, verified by
 * {@link CertificateVerifier} and independently by BouncyCastle's {@link SM2Signer} called directly
 * over the TBS bytes (default user id) and by BouncyCastle's own X.509 SM3withSM2 verifier.
 */
class Sm2CertificateAuthorityTest {
    private static final byte[] DEFAULT_ID = "1234567812345678".getBytes(StandardCharsets.US_ASCII);
    private final Vertx vertx = Vertx.vertx();
    private final Lmk lmk = Lmk.generate(RandomSource.secure());
    private final Hsm hsm = InProcessHsm.create(new HsmCommandProcessor(lmk, false, Set.of()));
    @TempDir
    Path dir;

    @AfterEach
    void close() throws Exception {
        await(vertx.close());
    }

    @Test
    void aCertificateIssuedUnderTheSm2RootVerifiesHereAndWithBouncyCastleDirectly() throws Exception {
        Sm2CertificateAuthority ca = await(Sm2CertificateAuthority.loadOrCreate(vertx, hsm, dir, "sm2-root", "posgate SM2 CA", 10));
        Sm2.KeyPair kms = Sm2.generate(new java.security.SecureRandom());
        X509Certificate cert = await(ca.issue("KMS", kms.publicKey(), CertificateRole.KMS, 730));

        // the project's verifier, over the JDK-parsed certificate
        CertificateVerifier v = CertificateVerifier.trusting(ca.root());
        v.verify(cert.getEncoded(), CertificateRole.KMS, Instant.now());
        assertTrue(CertificateVerifier.isSm2(cert));
        assertArrayEquals(kms.publicKey(), CertificateVerifier.sm2PublicKey(cert));
        assertEquals("1.2.156.10197.1.501", cert.getSigAlgOID());
        assertEquals(CertificateRejectedException.Reason.WRONG_ROLE,
                assertThrows(CertificateRejectedException.class, () -> v.verify(cert, CertificateRole.KEY_LOADER, Instant.now())).reason());

        // BouncyCastle's SM2Signer called directly over the TBS bytes, the root's point from its certificate
        Certificate root = Certificate.getInstance(ca.root().getEncoded());
        Certificate leaf = Certificate.getInstance(cert.getEncoded());
        assertEquals(GMObjectIdentifiers.sm2sign_with_sm3, leaf.getSignatureAlgorithm().getAlgorithm());
        assertNull(leaf.getSignatureAlgorithm().getParameters());
        SubjectPublicKeyInfo leafKey = leaf.getSubjectPublicKeyInfo();
        assertEquals(X9ObjectIdentifiers.id_ecPublicKey, leafKey.getAlgorithm().getAlgorithm());
        assertEquals(GMObjectIdentifiers.sm2p256v1, ASN1Primitive.fromByteArray(leafKey.getAlgorithm().getParameters().toASN1Primitive().getEncoded()));
        assertTrue(bcVerifies(root.getSubjectPublicKeyInfo(), leaf.getTBSCertificate().getEncoded("DER"), leaf.getSignature().getOctets()));
        assertTrue(bcVerifies(root.getSubjectPublicKeyInfo(), root.getTBSCertificate().getEncoded("DER"), root.getSignature().getOctets()),
                "the root is self-signed SM3withSM2");
        byte[] tampered = leaf.getTBSCertificate().getEncoded("DER");
        tampered[tampered.length - 40] ^= 1;
        assertFalse(bcVerifies(root.getSubjectPublicKeyInfo(), tampered, leaf.getSignature().getOctets()));

        // and BouncyCastle's X.509 verifier for SM3withSM2 (its provider, not ours)
        assertTrue(new X509CertificateHolder(cert.getEncoded()).isSignatureValid(
                new JcaContentVerifierProviderBuilder().setProvider(new BouncyCastleProvider()).build(new X509CertificateHolder(ca.root().getEncoded()))));
    }

    @Test
    void theRootIsCreatedOnceItsKeyOnlyUnderTheLmkAndForeignOrTamperedCertificatesAreRefused() throws Exception {
        Sm2CertificateAuthority first = await(Sm2CertificateAuthority.loadOrCreate(vertx, hsm, dir, "sm2-root", "posgate SM2 CA", 10));
        Sm2CertificateAuthority again = await(Sm2CertificateAuthority.loadOrCreate(vertx, hsm, dir, "sm2-root", "posgate SM2 CA", 10));
        assertArrayEquals(first.root().getEncoded(), again.root().getEncoded());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("sm2-root.key"))));
        assertArrayEquals(first.root().getEncoded(), Files.readAllBytes(dir.resolve("sm2-root.crt")));
        // the loaded root still signs (the blob is the HSM's, under this LMK)
        X509Certificate card = await(again.issue("op", Sm2.generate(new java.security.SecureRandom()).publicKey(), CertificateRole.OPERATOR, 30));
        CertificateVerifier.trusting(first.root()).verify(card, CertificateRole.OPERATOR, Instant.now());

        // another SM2 root, and the RSA root, do not accept it
        Sm2CertificateAuthority other = await(Sm2CertificateAuthority.loadOrCreate(vertx, hsm, dir, "other", "posgate SM2 CA", 10));
        assertEquals(CertificateRejectedException.Reason.BAD_SIGNATURE, assertThrows(CertificateRejectedException.class,
                () -> CertificateVerifier.trusting(other.root()).verify(card, CertificateRole.OPERATOR, Instant.now())).reason());
        CertificateAuthority rsa = CertificateAuthority.createRoot("posgate SM2 CA", 1);
        assertEquals(CertificateRejectedException.Reason.BAD_SIGNATURE, assertThrows(CertificateRejectedException.class,
                () -> CertificateVerifier.trusting(rsa.root()).verify(card, CertificateRole.OPERATOR, Instant.now())).reason());
        // an RSA certificate under an SM2 root of the same name does not verify either
        X509Certificate rsaCard = rsa.issue("op", CertificateAuthority.rsa2048().getPublic(), CertificateRole.OPERATOR, 30);
        assertEquals(CertificateRejectedException.Reason.BAD_SIGNATURE, assertThrows(CertificateRejectedException.class,
                () -> CertificateVerifier.trusting(first.root()).verify(rsaCard, CertificateRole.OPERATOR, Instant.now())).reason());
        // one bit of the signature flipped
        byte[] der = card.getEncoded();
        der[der.length - 5] ^= 1;
        assertEquals(CertificateRejectedException.Reason.BAD_SIGNATURE, assertThrows(CertificateRejectedException.class,
                () -> CertificateVerifier.trusting(first.root()).verify(der, CertificateRole.OPERATOR, Instant.now())).reason());
    }

    private static boolean bcVerifies(SubjectPublicKeyInfo issuer, byte[] tbs, byte[] derSignature) {
        X9ECParameters x9 = GMNamedCurves.getByName("sm2p256v1");
        ECDomainParameters domain = new ECDomainParameters(x9.getCurve(), x9.getG(), x9.getN(), x9.getH());
        ECPublicKeyParameters key = new ECPublicKeyParameters(x9.getCurve().decodePoint(issuer.getPublicKeyData().getOctets()), domain);
        SM2Signer signer = new SM2Signer(); // default: SM3, DER (StandardDSAEncoding)
        signer.init(false, new ParametersWithID(key, DEFAULT_ID));
        signer.update(tbs, 0, tbs.length);
        return signer.verifySignature(derSignature);
    }
}
