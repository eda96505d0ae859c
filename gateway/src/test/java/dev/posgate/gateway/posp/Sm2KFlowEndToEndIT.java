package dev.posgate.gateway.posp;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.crypto.RandomSource;
import dev.posgate.gateway.kms.KmsModule;
import dev.posgate.gateway.platform.ca.CaStore;
import dev.posgate.gateway.platform.ca.CertificateAuthority;
import dev.posgate.gateway.platform.db.Terminal;
import dev.posgate.gateway.support.AdminClient;
import dev.posgate.gateway.support.TestPostgres;
import dev.posgate.protocol.kms.TransmissionKeyDevice;
import dev.posgate.protocol.pki.CertificateRole;
import dev.posgate.protocol.pki.CertificateVerifier;
import dev.posgate.protocol.posp.SignOnMode;
import dev.posgate.terminal.kms.BatchUploader;
import dev.posgate.terminal.kms.Card;
import dev.posgate.terminal.kms.KmsClient;
import dev.posgate.terminal.kms.OperatorTerminal;
import dev.posgate.terminal.kms.SelfCheck;
import dev.posgate.terminal.kms.SensorReadings;
import dev.posgate.terminal.kms.TerminalOutput;
import dev.posgate.terminal.kms.TkGenerationGuard;
import dev.posgate.terminal.kms.TransmissionKeyVault;
import dev.posgate.terminal.net.TerminalLink;
import dev.posgate.terminal.pinpad.KeyRole;
import dev.posgate.terminal.pinpad.PinPad;
import dev.posgate.terminal.pos.PinPadKeys;
import dev.posgate.terminal.pos.PosClient;
import dev.posgate.testing.Sm4Reference;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.bouncycastle.asn1.gm.GMNamedCurves;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.engines.SM2Engine;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithID;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.SM2Signer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 17 item 4 (KMS half), end to end over TCP: gateway, PostgreSQL, the bundled software HSM,
 * the host simulator. Two SM4 terminals get their TMK by the SM2 K-flow (docs/kms.md, "K-flow with
 * SM2") — one with the simulated PIN pad (pos-terminal), one whose TK block the test makes with
 * BouncyCastle's {@link SM2Engine} (C1C3C2) and whose proofs and TMK the test computes with
 * {@link SM4Engine} — then sign on and buy; a TDES terminal does its RSA K-flow through the same
 * gateway in the same test and buys too. The SM2 KMS certificate is checked with {@link SM2Signer}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Sm2KFlowEndToEndIT {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final String PAN = "6222021234567890123";
    private static final String MID = "898310048990001";
    private static final String PIN = "123456"; // the host simulator's default PIN
    private PospFixture world;
    private AdminClient admin;
    private final Vertx vertx = Vertx.vertx();

    @BeforeAll
    void start() throws Exception {
        world = PospFixture.start(3000, PospFixture.newLmkFile(), TestPostgres.newDatabaseUrl(), Map.of());
        admin = new AdminClient(world.gateway);
    }

    @AfterAll
    void stop() throws Exception {
        await(vertx.close());
        world.close();
    }

    @Test
    void sm4TerminalsDownloadTheirTmkWithSm2ThenSignOnAndBuyNextToAnRsaKFlowTerminal() throws Exception {
        Path caDir = KmsModule.caDir(world.gateway.app().config());
        CaStore store = new CaStore(caDir);
        CertificateAuthority rsaRoot = store.root();
        CertificateVerifier rsaVerifier = CertificateVerifier.trusting(rsaRoot.root());
        X509Certificate sm2RootCert = CaStore.readCertificate(caDir.resolve(KmsModule.SM2_ROOT + ".crt"));
        CertificateVerifier sm2Verifier = CertificateVerifier.trusting(sm2RootCert);

        // K1: both KMS certificates, each verified against its own root by the terminal side
        X509Certificate rsaKms;
        X509Certificate smKms;
        TerminalLink factory = link();
        try {
            rsaKms = await(KmsClient.certificate(factory, "FACTORY", rsaVerifier));
            smKms = await(KmsClient.certificate(factory, "FACTORY", sm2Verifier, true));
        } finally {
            factory.close();
        }
        assertEquals("1.2.156.10197.1.501", smKms.getSigAlgOID());
        assertTrue(sm2Verifies(sm2RootCert, smKms), "SM3withSM2 under the SM2 root, checked with SM2Signer directly");
        byte[] kmsPoint = Certificate.getInstance(smKms.getEncoded()).getSubjectPublicKeyInfo().getPublicKeyData().getOctets();

        // factory: the simulated SM4 PIN pad, a hand-made SM4 device (BouncyCastle only) and a TDES PIN pad
        Device smPad = new Device();
        byte[] smPadBlock = smPad.guard.generate(smKms.getEncoded(), sm2Verifier, Instant.now());
        assertEquals(226, smPadBlock.length, "SM2(TEK) ‖ SM2(AUK), two C1C3C2 of 113 bytes");
        for (int off : new int[] {0, 113}) {
            assertTrue(curve().getCurve().decodePoint(Arrays.copyOfRange(smPadBlock, off, off + 65)).isValid(), "C1 on sm2p256v1");
        }
        BcSm4Device bc = new BcSm4Device();
        byte[] bcBlock = bc.block(kmsPoint);
        Device tdesPad = new Device();
        byte[] tdesBlock = tdesPad.guard.generate(rsaKms.getEncoded(), rsaVerifier, Instant.now());
        assertEquals(256, tdesBlock.length, "RSA-OAEP under the 2048-bit KMS key");

        Path cards = Files.createTempDirectory(Path.of("target"), "sm2-cards-");
        CaStore.issueCard(rsaRoot, CertificateRole.OPERATOR, "operator-sm", 30, cards.resolve("op.p12"), CaStore.DEV_PASSWORD);
        CaStore.issueCard(rsaRoot, CertificateRole.ADMINISTRATOR, "admin-sm", 30, cards.resolve("ad.p12"), CaStore.DEV_PASSWORD);
        OperatorTerminal ot = new OperatorTerminal(rsaVerifier, "PO-SM2");
        ot.collect(new TerminalOutput("SN-SMK-1", null, smPadBlock));
        ot.collect(new TerminalOutput("SN-SMK-2", null, bcBlock));
        ot.collect(new TerminalOutput("SN-RSA-1", null, tdesBlock));
        byte[] batch = ot.signedBatch(Card.load(cards.resolve("op.p12"), CaStore.DEV_PASSWORD),
                Card.load(cards.resolve("ad.p12"), CaStore.DEV_PASSWORD), Instant.now());
        BatchUploader.Result uploaded = await(BatchUploader.upload(vertx, "127.0.0.1", world.gateway.adminPort(),
                world.gateway.app().adminToken(), batch));
        assertEquals(200, uploaded.status(), uploaded.body().encode());

        // the acquirer registers them: two SM4 terminals, one TDES
        assertEquals(201, admin.post("/api/terminals", new JsonObject().put("tid", "SMK00001").put("mid", MID).put("sn", "SN-SMK-1")
                .put("vendor", "ACME").put("model", "P100").put("keyScheme", "TMK").put("keyAlgorithm", "SM4")).statusCode());
        assertEquals(201, admin.post("/api/terminals", new JsonObject().put("tid", "SMK00002").put("mid", MID).put("sn", "SN-SMK-2")
                .put("vendor", "ACME").put("model", "P100").put("keyScheme", "TMK").put("keyAlgorithm", "SM4")).statusCode());
        world.register("RSAK0001", "SN-RSA-1", Terminal.KeyScheme.TMK, Terminal.MacAlgorithm.ECB);

        // remote TMK download: K2 → K3 → K4
        TerminalLink k = link();
        byte[] kcv1;
        byte[] kcv2;
        byte[] kcv3;
        try {
            kcv1 = await(KmsClient.downloadTmk(k, "SN-SMK-1", null, 1, smPad.vault, true));
            kcv2 = await(KmsClient.downloadTmk(k, "SN-SMK-2", null, 1, bc, true));
            kcv3 = await(KmsClient.downloadTmk(k, "SN-RSA-1", null, 1, tdesPad.vault, false));
        } finally {
            k.close();
        }
        assertEquals(HEX.formatHex(kcv1), activeTmkKcv("SN-SMK-1"));
        assertEquals(HEX.formatHex(kcv2), activeTmkKcv("SN-SMK-2"));
        assertEquals(HEX.formatHex(kcv3), activeTmkKcv("SN-RSA-1"));
        assertArrayEquals(Arrays.copyOf(Sm4Reference.ecbEncrypt(bc.tmk, new byte[16]), 4), kcv2, "the SM4 TMK's SM4 KCV");
        assertEquals("SM4", keyAlgorithmOfActiveTmk("SN-SMK-2"));
        assertNotEquals("SM4", keyAlgorithmOfActiveTmk("SN-RSA-1"));

        // sign-on and purchase: SM4 keys under the SM4 TMK from the K-flow, SM4 MAC and PIN block
        PosClient sm1 = world.client("SMK00001", new PinPadKeys(smPad.pinPad, 1));
        assertTrue(await(sm1.signOn(SignOnMode.DOUBLE)).keysAccepted(), "SM4 keys decrypt to their SM4 KCVs under the downloaded TMK");
        PosClient.Reply r1 = await(sm1.send(sm1.purchase(PAN, 2_000, PIN)));
        assertEquals("00", r1.code());
        assertEquals(Boolean.TRUE, r1.macValid());

        PinPad bcPad = new PinPad();
        bcPad.writeSm4(1, KeyRole.TMK, bc.tmk);
        PosClient sm2 = world.client("SMK00002", new PinPadKeys(bcPad, 1));
        assertTrue(await(sm2.signOn(SignOnMode.DOUBLE)).keysAccepted());
        PosClient.Reply r2 = await(sm2.send(sm2.purchase(PAN, 2_100, PIN)));
        assertEquals("00", r2.code());
        assertEquals(Boolean.TRUE, r2.macValid());

        PosClient tdes = world.tmkClient("RSAK0001", tdesPad.pinPad);
        assertTrue(await(tdes.signOn(SignOnMode.DOUBLE_WITH_TDK)).keysAccepted());
        PosClient.Reply r3 = await(tdes.send(tdes.purchase(PAN, 1_000, PIN)));
        assertEquals("00", r3.code());
        assertEquals(Boolean.TRUE, r3.macValid());
    }

    private TerminalLink link() throws Exception {
        return await(TerminalLink.connect(vertx, "127.0.0.1", world.gateway.port(), Duration.ofSeconds(10)));
    }

    private String activeTmkKcv(String sn) throws Exception {
        return await(world.db().preparedQuery("select kcv from key_record where owner_type = 'TERMINAL' and owner_id = $1"
                + " and key_type = 'TMK' and state = 'ACTIVE'").execute(Tuple.of(sn))).iterator().next().getString(0).toUpperCase();
    }

    private String keyAlgorithmOfActiveTmk(String sn) throws Exception {
        String k = await(world.db().preparedQuery("select lmk_value from key_record where owner_type = 'TERMINAL' and owner_id = $1"
                + " and key_type = 'TMK' and state = 'ACTIVE'").execute(Tuple.of(sn))).iterator().next().getString(0);
        return k.startsWith("P") ? "SM4" : "TDES";
    }

    /** A PIN pad with healthy sensors and its TK vault (pos-terminal). */
    private static final class Device {
        final PinPad pinPad = new PinPad();
        final TransmissionKeyVault vault = new TransmissionKeyVault(pinPad);
        final TkGenerationGuard guard = new TkGenerationGuard(vault, () -> new SensorReadings(true, 5.0, 25), SelfCheck.passing(),
                TkGenerationGuard.SafeRanges.defaults(), RandomSource.secure());
    }

    /** An SM4 terminal computed with BouncyCastle alone: TK block by SM2Engine, proofs and TMK by SM4Engine. */
    private static final class BcSm4Device implements TransmissionKeyDevice {
        final byte[] tek = RandomSource.secure().next(16);
        final byte[] auk = RandomSource.secure().next(16);
        byte[] tmk;

        byte[] block(byte[] kmsPoint) {
            SM2Engine engine = new SM2Engine(SM2Engine.Mode.C1C3C2);
            ECDomainParameters domain = curve();
            engine.init(true, new ParametersWithRandom(new ECPublicKeyParameters(domain.getCurve().decodePoint(kmsPoint), domain),
                    new SecureRandom()));
            try {
                byte[] t = engine.processBlock(tek, 0, 16);
                byte[] a = engine.processBlock(auk, 0, 16);
                byte[] out = Arrays.copyOf(t, t.length + a.length);
                System.arraycopy(a, 0, out, t.length, a.length);
                return out;
            } catch (org.bouncycastle.crypto.InvalidCipherTextException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public boolean kmsProofMatches(byte[] rnd1, byte[] proof) {
            assertEquals(16, rnd1.length);
            return Arrays.equals(Sm4Reference.ecbEncrypt(xor(auk, 0x4B), rnd1), proof);
        }

        @Override
        public byte[] terminalProof(byte[] rnd2) {
            assertEquals(16, rnd2.length);
            return Sm4Reference.ecbEncrypt(xor(auk, 0x54), rnd2);
        }

        @Override
        public boolean installTmk(int keyIndex, byte[] tmkUnderTek, byte[] kcv) {
            byte[] clear = Sm4Reference.ecbDecrypt(tek, tmkUnderTek);
            if (!Arrays.equals(Arrays.copyOf(Sm4Reference.ecbEncrypt(clear, new byte[16]), kcv.length), kcv)) return false;
            tmk = clear;
            return true;
        }
    }

    private static boolean sm2Verifies(X509Certificate issuer, X509Certificate cert) throws Exception {
        Certificate leaf = Certificate.getInstance(cert.getEncoded());
        byte[] point = Certificate.getInstance(issuer.getEncoded()).getSubjectPublicKeyInfo().getPublicKeyData().getOctets();
        ECDomainParameters domain = curve();
        SM2Signer signer = new SM2Signer();
        signer.init(false, new ParametersWithID(new ECPublicKeyParameters(domain.getCurve().decodePoint(point), domain),
                "1234567812345678".getBytes(StandardCharsets.US_ASCII)));
        byte[] tbs = leaf.getTBSCertificate().getEncoded("DER");
        signer.update(tbs, 0, tbs.length);
        return signer.verifySignature(leaf.getSignature().getOctets());
    }

    private static ECDomainParameters curve() {
        X9ECParameters x9 = GMNamedCurves.getByName("sm2p256v1");
        return new ECDomainParameters(x9.getCurve(), x9.getG(), x9.getN(), x9.getH());
    }

    private static byte[] xor(byte[] key, int v) {
        byte[] k = key.clone();
        for (int i = 0; i < k.length; i++) k[i] ^= (byte) v;
        return k;
    }
}
