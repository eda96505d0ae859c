package dev.posgate.gateway.kms;

import static org.junit.jupiter.api.Assertions.*;

import dev.posgate.crypto.Hex;
import dev.posgate.crypto.RandomSource;
import dev.posgate.crypto.Rsa;
import dev.posgate.gateway.platform.db.KeyRecord;
import dev.posgate.gateway.platform.db.KeyRepository;
import dev.posgate.gateway.platform.ca.CaStore;
import dev.posgate.gateway.platform.ca.CertificateAuthority;
import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.support.GatewayProcess;
import dev.posgate.gateway.support.Metrics;
import dev.posgate.gateway.support.TerminalConnection;
import dev.posgate.gateway.support.TestGateway;
import dev.posgate.iso8583.tlv.Tags;
import dev.posgate.iso8583.tlv.Tlv;
import dev.posgate.iso8583.tms.TmsCode;
import dev.posgate.iso8583.tms.TmsHeader;
import dev.posgate.iso8583.tms.TmsMessage;
import dev.posgate.terminal.kms.BatchUploader;
import dev.posgate.terminal.kms.Card;
import dev.posgate.terminal.kms.KeyLoaderClient;
import dev.posgate.terminal.kms.KmsClient;
import dev.posgate.terminal.kms.KmsTerminalCli;
import dev.posgate.terminal.kms.TerminalOutput;
import dev.posgate.terminal.kms.TkBatch;
import dev.posgate.terminal.kms.TkGenerationRefusedException;
import dev.posgate.terminal.net.TerminalLink;
import dev.posgate.terminal.pinpad.KeyRole;
import dev.posgate.testing.Eventually;
import dev.posgate.protocol.kms.FlowRefusedException;
import dev.posgate.protocol.kms.KmsTerminalSession;
import dev.posgate.protocol.kms.TransmissionKeyDevice;
import dev.posgate.protocol.loader.LoaderTerminalSession;
import dev.posgate.protocol.pki.CertificateRole;
import dev.posgate.protocol.pki.CertificateVerifier;
import dev.posgate.terminal.kms.SensorReadings;
import dev.posgate.testing.Sm4Reference;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The TMK life cycle end to end over TCP (gateway, real PostgreSQL, software HSM over its wire
 * protocol): factory TK generation → operator batch upload → K1–K4 / L1–L3 → the TMK in the PIN
 * pad has the KCV the KMS stored; and every refusal with its code and no partial state.
 */
class KmsEndToEndIT {
    private static KmsFixture f;
    private static X509Certificate kmsCert;
    private static KeyRepository keys;

    @BeforeAll
    static void start() throws Exception {
        f = new KmsFixture(TestGateway.start(Map.of(Setting.LOADER_PORT, GatewayProcess.freePort())));
        kmsCert = f.kmsCertificate();
        keys = new KeyRepository(f.gateway.app().database().pool());
    }

    @AfterAll
    static void stop() throws Exception {
        if (f != null) f.close();
    }

    private static KmsFixture.Device uploaded(String sn) throws Exception {
        return f.uploaded(sn, kmsCert);
    }

    private static String activeKcv(String sn, int index) throws Exception {
        return Eventually.await(keys.active(KeyRecord.OwnerType.TERMINAL, sn, "TMK", index)).map(KeyRecord::kcv).orElse(null);
    }

    @Test
    void factoryUploadThenTmkDownloadPutsTheStoredKcvInThePinPad() throws Exception {
        KmsFixture.Device a = new KmsFixture.Device("SN-K-A");
        KmsFixture.Device b = new KmsFixture.Device("SN-K-B");
        BatchUploader.Result r = f.upload("PO-1", List.of(f.factory(a, kmsCert), f.factory(b, kmsCert)));
        assertEquals(200, r.status(), r.body().encode());
        assertEquals(List.of("00", "00"), r.body().getJsonArray("results").stream().map(o -> ((JsonObject) o).getString("code")).toList());
        assertTrue(a.guard.generationDisabled(), "TK generation is one-time");

        TerminalLink link = f.link();
        byte[] kcv = Eventually.await(KmsClient.downloadTmk(link, a.sn, null, 1, a.vault));
        link.close();
        assertArrayEquals(kcv, a.pinPad.kcv(1, KeyRole.TMK, 4));
        assertEquals(Hex.encode(kcv), activeKcv(a.sn, 1));
        assertTrue(f.count("select count(*) from audit_log where subject = $1 and action = 'kms.tmk.activate'", a.sn) == 1);
    }

    @Test
    void previousTmkStaysActiveUntilK4ConfirmsTheNewOne() throws Exception {
        KmsFixture.Device d = uploaded("SN-K-SWITCH");
        TerminalLink link = f.link();
        byte[] first = Eventually.await(KmsClient.downloadTmk(link, d.sn, null, 1, d.vault));
        link.close();
        try (TerminalConnection c = f.gateway.connect()) {
            KmsTerminalSession s = new KmsTerminalSession(d.sn, null, 1, d.vault, RandomSource.secure());
            TmsMessage k3 = s.onK2(f.exchange(c, s.k2()));
            TmsMessage k4 = s.onK3(f.exchange(c, k3));
            assertEquals(Hex.encode(first), activeKcv(d.sn, 1), "old TMK still active before K4");
            assertEquals(1, f.count("select count(*) from key_record where owner_id = $1 and state = 'PENDING'", d.sn));
            s.onK4(f.exchange(c, k4));
            assertEquals(Hex.encode(s.kcv()), activeKcv(d.sn, 1));
            assertFalse(Hex.encode(first).equals(Hex.encode(s.kcv())));
            assertEquals(1, f.count("select count(*) from key_record where owner_id = $1 and state = 'RETIRED'", d.sn));
        }
    }

    @Test
    void keyLoaderPutsTheStoredKcvInThePinPad() throws Exception {
        KmsFixture.Device d = new KmsFixture.Device("SN-L-A");
        f.register(d.sn);
        f.authorise(d.sn);
        CertificateVerifier acquirer = CertificateVerifier.trusting(f.ca.acquirer("ACQ001").root());
        TerminalLink link = f.loaderLink();
        byte[] kcv = Eventually.await(KeyLoaderClient.loadTmk(link, d.sn, 2, acquirer, d.pinPad));
        link.close();
        assertArrayEquals(kcv, d.pinPad.kcv(2, KeyRole.TMK, 4));
        assertEquals(Hex.encode(kcv), activeKcv(d.sn, 2));
    }

    /**
     * L-flow with SM2 (docs/kms.md): an SM4 terminal loads its TMK from the SM2 key loader (certificate
     * under the acquirer's SM2 root); once through the pos-terminal client, once by hand with
     * BouncyCastle only — SM2Engine (C1C3C2) for DF27, SM2Signer over Ctmk ‖ Rnd2 of DF28 with the
     * loader's point, SM4Engine for the TMK and its KCV. A TDES terminal's L-flow with DF07 = 02 is 58.
     */
    @Test
    void anSm4TerminalLoadsItsTmkFromTheSm2KeyLoader() throws Exception {
        Path caDir = KmsModule.caDir(f.gateway.app().config());
        X509Certificate sm2Acquirer = CaStore.readCertificate(caDir.resolve(KmsModule.sm2AcquirerRoot("ACQ001") + ".crt"));
        CertificateVerifier acquirer = CertificateVerifier.trusting(sm2Acquirer);

        KmsFixture.Device d = new KmsFixture.Device("SN-L-SM4");
        f.registerSm4(d.sn);
        f.authorise(d.sn);
        TerminalLink link = f.loaderLink();
        byte[] kcv = Eventually.await(KeyLoaderClient.loadSm4Tmk(link, d.sn, 1, acquirer, d.pinPad));
        link.close();
        assertEquals(Hex.encode(kcv), activeKcv(d.sn, 1));
        assertTrue(f.count("select count(*) from key_record where owner_id = $1 and state = 'ACTIVE' and lmk_value like 'P%'", d.sn) == 1,
                "an SM4 TMK");

        // by hand, BouncyCastle only
        f.authorise(d.sn);
        byte[] rnd1 = RandomSource.secure().next(16);
        byte[] rnd2 = RandomSource.secure().next(8);
        try (TerminalConnection c = f.connectLoader()) {
            TmsMessage l1 = TmsMessage.of(TmsHeader.request(TmsCode.L1, 1, false),
                    List.of(Tlv.ofAscii(Tags.SERIAL_NUMBER, d.sn), Tlv.ofByte(Tags.KEY_FAMILY, 2)));
            byte[] der = f.exchange(c, l1).require(Tags.CERTIFICATE).value();
            X509Certificate loaderCert = acquirer.verify(der, CertificateRole.KEY_LOADER, Instant.now());
            byte[] point = org.bouncycastle.asn1.x509.Certificate.getInstance(loaderCert.getEncoded()).getSubjectPublicKeyInfo()
                    .getPublicKeyData().getOctets();
            org.bouncycastle.asn1.x9.X9ECParameters x9 = org.bouncycastle.asn1.gm.GMNamedCurves.getByName("sm2p256v1");
            org.bouncycastle.crypto.params.ECDomainParameters domain = new org.bouncycastle.crypto.params.ECDomainParameters(
                    x9.getCurve(), x9.getG(), x9.getN(), x9.getH());
            org.bouncycastle.crypto.params.ECPublicKeyParameters pk = new org.bouncycastle.crypto.params.ECPublicKeyParameters(
                    x9.getCurve().decodePoint(point), domain);
            org.bouncycastle.crypto.engines.SM2Engine engine = new org.bouncycastle.crypto.engines.SM2Engine(
                    org.bouncycastle.crypto.engines.SM2Engine.Mode.C1C3C2);
            engine.init(true, new org.bouncycastle.crypto.params.ParametersWithRandom(pk, new java.security.SecureRandom()));
            byte[] plain = java.util.Arrays.copyOf(rnd1, 24);
            System.arraycopy(rnd2, 0, plain, 16, 8);
            TmsMessage l2 = TmsMessage.of(TmsHeader.request(TmsCode.L2, 2, false), List.of(Tlv.ofAscii(Tags.SERIAL_NUMBER, d.sn),
                    Tlv.ofByte(Tags.PINPAD_KEY_INDEX, 2), Tlv.of(Tags.RSA_PU_RND, engine.processBlock(plain, 0, 24)),
                    Tlv.ofByte(Tags.KEY_FAMILY, 2)));
            TmsMessage answer = f.exchange(c, l2);
            assertEquals("00", answer.header().status());
            byte[] signed = answer.require(Tags.RSA_PRK_CTMK).value();
            assertEquals(88, signed.length, "Ctmk(16) ‖ Rnd2(8) ‖ r ‖ s (64)");
            assertArrayEquals(rnd2, java.util.Arrays.copyOfRange(signed, 16, 24));
            org.bouncycastle.crypto.signers.SM2Signer signer = new org.bouncycastle.crypto.signers.SM2Signer(
                    org.bouncycastle.crypto.signers.PlainDSAEncoding.INSTANCE);
            signer.init(false, new org.bouncycastle.crypto.params.ParametersWithID(pk, "1234567812345678".getBytes()));
            signer.update(signed, 0, 24);
            assertTrue(signer.verifySignature(java.util.Arrays.copyOfRange(signed, 24, 88)), "SM3withSM2 by the loader key");
            byte[] tmk = Sm4Reference.ecbDecrypt(rnd1, java.util.Arrays.copyOf(signed, 16));
            byte[] check = Sm4Reference.ecbEncrypt(tmk, new byte[16]);
            TmsMessage l3 = TmsMessage.of(TmsHeader.request(TmsCode.L3, 3, false), List.of(Tlv.ofAscii(Tags.SERIAL_NUMBER, d.sn),
                    Tlv.ofByte(Tags.PINPAD_KEY_INDEX, 2), Tlv.of(Tags.KCV, java.util.Arrays.copyOf(check, 4))));
            assertEquals("00", f.exchange(c, l3).header().status(), "the SM4 KCV of the TMK decrypted with SM4Engine is the stored one");
        }

        // a TDES terminal asking for the SM family: 58
        KmsFixture.Device t = new KmsFixture.Device("SN-L-TDES-SM");
        f.register(t.sn);
        f.authorise(t.sn);
        TerminalLink link2 = f.loaderLink();
        Throwable e = Eventually.failure(KeyLoaderClient.loadSm4Tmk(link2, t.sn, 1, acquirer, t.pinPad));
        link2.close();
        assertEquals("58", ((FlowRefusedException) e).status());
    }

    @Test
    void keyLoaderOfAnotherAcquirerIsRefusedByTheTerminal() throws Exception {
        KmsFixture.Device d = new KmsFixture.Device("SN-L-B");
        CertificateVerifier otherAcquirer = CertificateVerifier.trusting(f.ca.acquirer("ACQ999").root());
        TerminalLink link = f.loaderLink();
        Throwable e = Eventually.failure(KeyLoaderClient.loadTmk(link, d.sn, 2, otherAcquirer, d.pinPad));
        link.close();
        assertEquals("63", ((FlowRefusedException) e).status());
        assertFalse(d.pinPad.has(2, KeyRole.TMK));
        assertEquals(0, f.count("select count(*) from key_record where owner_id = $1", d.sn));
    }

    @Test
    void replayedLoaderBlockFailsTheRnd2CheckAndInstallsNothing() throws Exception {
        KmsFixture.Device d = new KmsFixture.Device("SN-L-REPLAY");
        f.register(d.sn);
        f.authorise(d.sn);
        f.authorise(d.sn);
        CertificateVerifier acquirer = CertificateVerifier.trusting(f.ca.acquirer("ACQ001").root());
        TmsMessage recorded;
        try (TerminalConnection c = f.connectLoader()) {
            LoaderTerminalSession s = new LoaderTerminalSession(d.sn, 3, acquirer, KeyLoaderClient.slot(d.pinPad), RandomSource.secure());
            recorded = f.exchange(c, s.onL1(f.exchange(c, s.l1()), Instant.now()));
            assertEquals("00", recorded.header().status());
        }
        try (TerminalConnection c = f.connectLoader()) {
            LoaderTerminalSession s = new LoaderTerminalSession(d.sn, 3, acquirer, KeyLoaderClient.slot(d.pinPad), RandomSource.secure());
            f.exchange(c, s.onL1(f.exchange(c, s.l1()), Instant.now()));
            FlowRefusedException e = assertThrows(FlowRefusedException.class, () -> s.onL2(recorded));
            assertEquals("63", e.status());
        }
        assertFalse(d.pinPad.has(3, KeyRole.TMK));
        assertNull(activeKcv(d.sn, 3), "nothing confirmed, nothing active");
    }

    @Test
    void terminalCommandLineRunsFactoryOperatorBatchDownloadAndKeyLoad() throws Exception {
        Path work = java.nio.file.Files.createTempDirectory(Path.of("target"), "kms-cli-");
        String gw = "127.0.0.1:" + f.gateway.port();
        String root = f.ca.dir().resolve("root.crt").toString();
        assertEquals(0, KmsTerminalCli.run("factory", "--gateway", gw, "--root", root, "--sn", "SN-CLI",
                "--device-dir", work.resolve("dev").toString(), "--out", work.resolve("out").toString()));
        assertEquals(0, KmsTerminalCli.run("operator-batch", "--root", root,
                "--operator", f.cards.resolve("operator-1.p12").toString(),
                "--administrator", f.cards.resolve("admin-1.p12").toString(), "--order", "PO-CLI",
                "--out", work.resolve("batch.p7m").toString(),
                "--upload", "http://127.0.0.1:" + f.gateway.adminPort(), "--token", f.gateway.app().adminToken(),
                work.resolve("out/SN-CLI.tk.json").toString()));
        assertEquals(0, KmsTerminalCli.run("tmk-download", "--gateway", gw, "--sn", "SN-CLI", "--index", "1",
                "--device-dir", work.resolve("dev").toString()));
        f.register("SN-CLI");
        String adminUrl = "http://127.0.0.1:" + f.gateway.adminPort();
        String token = f.gateway.app().adminToken();
        dev.posgate.gateway.cli.CliRun opened = dev.posgate.gateway.cli.CliRun.of("loading", "open", "--json", "--admin", adminUrl, "--token", token,
                "--card", f.cards.resolve("operator-1.p12").toString(), "--sn", "SN-CLI");
        assertEquals(0, opened.exit(), opened.toString());
        String out = opened.out();
        String id = new JsonObject(out).getString("id");
        assertEquals(0, dev.posgate.gateway.cli.Main.run("loading", "approve", "--admin", adminUrl, "--token", token,
                "--card", f.cards.resolve("admin-1.p12").toString(), "--id", id, "--sn", "SN-CLI"));
        assertEquals(0, dev.posgate.gateway.cli.Main.run("ca", "issue-device", "--ca-dir", f.ca.dir().toString(), "--sn", "SN-CLI",
                "--out", work.resolve("SN-CLI.device.p12").toString()));
        assertEquals(0, KmsTerminalCli.run("key-load", "--gateway", "127.0.0.1:" + f.gateway.app().loadingPort(), "--sn", "SN-CLI", "--index", "2",
                "--device-cert", work.resolve("SN-CLI.device.p12").toString(),
                "--acquirer-root", f.ca.dir().resolve("acquirer-ACQ001.crt").toString()));
        assertNotNull(activeKcv("SN-CLI", 1));
        assertNotNull(activeKcv("SN-CLI", 2));
        assertEquals(1, f.count("select count(*) from audit_log where subject = 'SN-CLI' and action = 'loader.authorisation.consume' "
                + "and detail->>'deviceCertificate' is not null"), "the device certificate was checked");
        assertEquals(2, KmsTerminalCli.run("factory", "--gateway", gw, "--root", root, "--sn", "SN-CLI-HOT", "--celsius", "90",
                "--device-dir", work.resolve("dev").toString(), "--out", work.resolve("out").toString()));
        assertFalse(java.nio.file.Files.exists(work.resolve("out/SN-CLI-HOT.tk.json")));
    }

    @Test
    void externalPinPadSerialMustMatchTheUploadedOne() throws Exception {
        KmsFixture.Device d = new KmsFixture.Device("SN-PP");
        TerminalOutput out = f.factory(d, kmsCert);
        assertEquals(200, f.upload("PO-PP", List.of(new TerminalOutput(d.sn, "PINPAD-7", out.tkBlock()))).status());
        try (TerminalConnection c = f.gateway.connect()) {
            KmsTerminalSession s = new KmsTerminalSession(d.sn, "PINPAD-8", 1, d.vault, RandomSource.secure());
            assertEquals("63", f.exchange(c, s.k2()).header().status());
        }
        TerminalLink link = f.link();
        byte[] kcv = Eventually.await(KmsClient.downloadTmk(link, d.sn, "PINPAD-7", 1, d.vault));
        link.close();
        assertEquals(Hex.encode(kcv), activeKcv(d.sn, 1));
    }

    @Test
    void aSecondGatewayOnTheSameDatabaseServesTheSameKmsIdentity() throws Exception {
        dev.posgate.gateway.app.GatewayApp second = Eventually.await(dev.posgate.gateway.app.GatewayApp.start(
                f.gateway.app().config().with(Setting.LOADER_PORT, 0))); // the first one holds the loading port
        try (TerminalConnection c = TerminalConnection.open("127.0.0.1", second.port())) {
            TmsMessage k1 = TmsMessage.of(TmsHeader.request(TmsCode.K1, 1, false), List.of(Tlv.ofAscii(Tags.SERIAL_NUMBER, "ANY")));
            assertArrayEquals(kmsCert.getEncoded(), f.exchange(c, k1).require(Tags.CERTIFICATE).value());
        } finally {
            Eventually.await(second.stop());
        }
        assertEquals(1, f.count("select count(*) from audit_log where action = 'kms.identity.create' and subject = 'KMS'"));
    }

    @Test
    void k4WithAnotherKcvIsA63AndLeavesTheTmkPending() throws Exception {
        KmsFixture.Device d = uploaded("SN-K4-KCV");
        try (TerminalConnection c = f.gateway.connect()) {
            KmsTerminalSession s = new KmsTerminalSession(d.sn, null, 1, d.vault, RandomSource.secure());
            s.onK3(f.exchange(c, s.onK2(f.exchange(c, s.k2()))));
            TmsMessage k4 = TmsMessage.of(TmsHeader.request(TmsCode.K4, 9, false), List.of(Tlv.ofAscii(Tags.SERIAL_NUMBER, d.sn),
                    Tlv.ofByte(Tags.PINPAD_KEY_INDEX, 1), Tlv.of(Tags.KCV, new byte[4])));
            assertEquals("63", f.exchange(c, k4).header().status());
        }
        assertNull(activeKcv(d.sn, 1));
        assertEquals(1, f.count("select count(*) from key_record where owner_id = $1 and state = 'PENDING'", d.sn));
        assertEquals(1, f.count("select count(*) from audit_log where subject = $1 and action = 'kms.tmk.kcv_mismatch'", d.sn));
    }

    @Test
    void previousTmkStaysActiveUntilL3ConfirmsTheNewOne() throws Exception {
        KmsFixture.Device d = new KmsFixture.Device("SN-L-SWITCH");
        f.register(d.sn);
        f.authorise(d.sn);
        f.authorise(d.sn);
        CertificateVerifier acquirer = CertificateVerifier.trusting(f.ca.acquirer("ACQ001").root());
        TerminalLink link = f.loaderLink();
        byte[] first = Eventually.await(KeyLoaderClient.loadTmk(link, d.sn, 1, acquirer, d.pinPad));
        link.close();
        try (TerminalConnection c = f.connectLoader()) {
            LoaderTerminalSession s = new LoaderTerminalSession(d.sn, 1, acquirer, KeyLoaderClient.slot(d.pinPad), RandomSource.secure());
            TmsMessage l3 = s.onL2(f.exchange(c, s.onL1(f.exchange(c, s.l1()), Instant.now())));
            assertEquals(Hex.encode(first), activeKcv(d.sn, 1), "old TMK still active before L3");
            s.onL3(f.exchange(c, l3));
            assertEquals(Hex.encode(s.kcv()), activeKcv(d.sn, 1));
            assertArrayEquals(s.kcv(), d.pinPad.kcv(1, KeyRole.TMK, 4));
        }
    }

    @Test
    void unknownSerialGetsB1() throws Exception {
        KmsFixture.Device d = new KmsFixture.Device("SN-UNKNOWN");
        d.guard.generate(kmsCert.getEncoded(), f.rootVerifier, Instant.now());
        try (TerminalConnection c = f.gateway.connect()) {
            KmsTerminalSession s = new KmsTerminalSession(d.sn, null, 1, d.vault, RandomSource.secure());
            assertEquals("B1", f.exchange(c, s.k2()).header().status());
        }
    }

    /**
     * K1 with DF07 = 02 gives the SM2 KMS certificate: SM3withSM2 under the SM2 root the gateway
     * created on first run ({@code sm2-root.crt}), checked by {@link CertificateVerifier} and by
     * BouncyCastle's SM2Signer called directly over the TBS bytes; DF07 absent or 01 still gives
     * the RSA one, any other value is a format error.
     */
    @Test
    void k1WithTheSmFamilyGivesTheSm2KmsCertificateSignedSm3WithSm2() throws Exception {
        Path sm2RootFile = KmsModule.caDir(f.gateway.app().config()).resolve(KmsModule.SM2_ROOT + ".crt");
        X509Certificate sm2Root = CaStore.readCertificate(sm2RootFile);
        byte[] der;
        try (TerminalConnection c = f.gateway.connect()) {
            der = f.exchange(c, new KmsTerminalSession("SN-SM2-K1", null, 1, null, null).k1(true)).require(Tags.CERTIFICATE).value();
            assertArrayEquals(kmsCert.getEncoded(), f.exchange(c, new KmsTerminalSession("SN-SM2-K1", null, 1, null, null).k1(false))
                    .require(Tags.CERTIFICATE).value());
            TmsMessage bad = TmsMessage.of(TmsHeader.request(TmsCode.K1, 9, false),
                    List.of(Tlv.ofAscii(Tags.SERIAL_NUMBER, "SN-SM2-K1"), Tlv.ofByte(Tags.KEY_FAMILY, 3)));
            assertEquals("30", f.exchange(c, bad).header().status());
        }
        X509Certificate cert = CertificateVerifier.trusting(sm2Root).verify(der, CertificateRole.KMS, Instant.now());
        assertEquals("1.2.156.10197.1.501", cert.getSigAlgOID());
        assertTrue(CertificateVerifier.isSm2(cert));
        assertThrows(dev.posgate.protocol.pki.CertificateRejectedException.class,
                () -> CertificateVerifier.trusting(f.root.root()).verify(der, CertificateRole.KMS, Instant.now()));

        org.bouncycastle.asn1.x509.Certificate leaf = org.bouncycastle.asn1.x509.Certificate.getInstance(der);
        org.bouncycastle.asn1.x509.Certificate root = org.bouncycastle.asn1.x509.Certificate.getInstance(sm2Root.getEncoded());
        org.bouncycastle.asn1.x9.X9ECParameters x9 = org.bouncycastle.asn1.gm.GMNamedCurves.getByName("sm2p256v1");
        org.bouncycastle.crypto.params.ECPublicKeyParameters rootKey = new org.bouncycastle.crypto.params.ECPublicKeyParameters(
                x9.getCurve().decodePoint(root.getSubjectPublicKeyInfo().getPublicKeyData().getOctets()),
                new org.bouncycastle.crypto.params.ECDomainParameters(x9.getCurve(), x9.getG(), x9.getN(), x9.getH()));
        org.bouncycastle.crypto.signers.SM2Signer signer = new org.bouncycastle.crypto.signers.SM2Signer();
        signer.init(false, new org.bouncycastle.crypto.params.ParametersWithID(rootKey, "1234567812345678".getBytes()));
        byte[] tbs = leaf.getTBSCertificate().getEncoded("DER");
        signer.update(tbs, 0, tbs.length);
        assertTrue(signer.verifySignature(leaf.getSignature().getOctets()));
        assertEquals(1, f.count("select count(*) from audit_log where action = 'kms.identity.create' and subject = '"
                + KmsModule.SM2_KMS_IDENTITY + "'"));
    }

    /** An SM4 terminal's K2 without DF07 = 02 (the RSA/TDES family) is refused 58 and audited (its K-flow is the SM2 one). */
    @Test
    void anSm4TerminalsK2IsRefused58() throws Exception {
        KmsFixture.Device d = f.uploaded("SN-SM4-K2", kmsCert);
        f.registerSm4(d.sn);
        try (TerminalConnection c = f.gateway.connect()) {
            KmsTerminalSession s = new KmsTerminalSession(d.sn, null, 1, d.vault, RandomSource.secure());
            assertEquals("58", f.exchange(c, s.k2()).header().status());
        }
        assertEquals(1L, Eventually.await(f.gateway.app().database().pool().preparedQuery("select count(*) from audit_log"
                + " where action = 'kms.k2.refuse' and subject = $1 and detail->>'code' = '58'")
                .execute(io.vertx.sqlclient.Tuple.of(d.sn))).iterator().next().getLong(0));
    }

    @Test
    void secondTkForASerialIsRefusedUnlessARepairIsAuthorised() throws Exception {
        KmsFixture.Device d = uploaded("SN-DUP");
        KmsFixture.Device repaired = new KmsFixture.Device("SN-DUP");
        KmsFixture.Device fresh = new KmsFixture.Device("SN-DUP-OTHER");
        TerminalOutput repairedOutput = f.factory(repaired, kmsCert);
        BatchUploader.Result r = f.upload("PO-DUP", List.of(f.factory(fresh, kmsCert), repairedOutput));
        assertEquals(409, r.status());
        assertEquals("B2", r.body().getJsonArray("results").getJsonObject(1).getString("code"));
        assertEquals(0, f.count("select count(*) from kms_transmission_key where sn = $1", fresh.sn), "all or nothing");

        JsonObject auth = Eventually.await(f.http
                .request(io.vertx.core.http.HttpMethod.POST, f.gateway.adminPort(), "127.0.0.1", "/api/kms/repairs")
                .compose(req -> req.putHeader("Authorization", "Bearer " + f.gateway.app().adminToken())
                        .send(new JsonObject().put("sn", d.sn).put("authorisedBy", "admin-1").put("reason", "PIN pad replaced").encode()))
                .compose(resp -> resp.body()).map(b -> b.toJsonObject()));
        assertNotNull(auth.getLong("id"));
        BatchUploader.Result again = f.upload("PO-REPAIR", List.of(repairedOutput));
        assertEquals(200, again.status(), again.body().encode());
        assertEquals(1, f.count("select count(*) from audit_log where subject = $1 and action = 'kms.tk.replace'", d.sn));
        assertEquals(2, f.count("select version from kms_transmission_key where sn = $1", d.sn));

        // the repaired PIN pad's TK is the one the KMS now uses
        TerminalLink link = f.link();
        byte[] kcv = Eventually.await(KmsClient.downloadTmk(link, d.sn, null, 1, repaired.vault));
        link.close();
        assertEquals(Hex.encode(kcv), activeKcv(d.sn, 1));
    }

    @Test
    void tkBlockWithABadHashIsRefusedAndNothingIsStored() throws Exception {
        KmsFixture.Device good = new KmsFixture.Device("SN-HASH-OK");
        byte[] forged = new byte[40];
        new java.security.SecureRandom().nextBytes(forged);
        byte[] block = Rsa.oaepEncrypt(kmsCert.getPublicKey(), forged);
        BatchUploader.Result r = f.upload("PO-HASH", List.of(f.factory(good, kmsCert), new TerminalOutput("SN-HASH-BAD", null, block)));
        assertEquals(409, r.status());
        assertEquals("63", r.body().getJsonArray("results").getJsonObject(1).getString("code"));
        assertEquals(0, f.count("select count(*) from kms_transmission_key where sn in ('SN-HASH-OK', 'SN-HASH-BAD')"));
    }

    @Test
    void batchSignedByTheOperatorOnlyIsRefused() throws Exception {
        KmsFixture.Device d = new KmsFixture.Device("SN-ONE-SIG");
        byte[] batch = TkBatch.sign(TkBatch.content("PO-ONE", List.of(f.factory(d, kmsCert))), List.of(f.operator));
        BatchUploader.Result r = f.upload(batch);
        assertEquals(403, r.status());
        assertEquals("63", r.body().getString("code"));
        assertEquals(0, f.count("select count(*) from kms_transmission_key where sn = $1", d.sn));
    }

    @Test
    void expiredRevokedOrForeignCardsAreRefused() throws Exception {
        KmsFixture.Device d = new KmsFixture.Device("SN-CARDS");
        byte[] content = TkBatch.content("PO-CARDS", List.of(f.factory(d, kmsCert)));

        KeyPair kp = CertificateAuthority.rsa2048();
        Instant past = Instant.now().minusSeconds(10 * 86400);
        Card expired = new Card(kp.getPrivate(), f.root.issue("operator-old", kp.getPublic(), CertificateRole.OPERATOR,
                past, past.plusSeconds(86400)));
        assertRefused(TkBatch.sign(content, List.of(expired, f.administrator)), "EXPIRED");

        Card foreign = f.card(CertificateAuthority.createRoot("someone else's CA", 1), CertificateRole.OPERATOR, "operator-x");
        assertRefused(TkBatch.sign(content, List.of(foreign, f.administrator)), "NOT_FROM_ROOT");

        Card revokedAdmin = f.card(f.root, CertificateRole.ADMINISTRATOR, "admin-revoked");
        int status = Eventually.await(f.http
                .request(io.vertx.core.http.HttpMethod.POST, f.gateway.adminPort(), "127.0.0.1", "/api/kms/revocations")
                .compose(req -> req.putHeader("Authorization", "Bearer " + f.gateway.app().adminToken())
                        .send(new JsonObject().put("serial", CertificateVerifier.serial(revokedAdmin.certificate()))
                                .put("reason", "card lost").encode()))
                .map(resp -> resp.statusCode()));
        assertEquals(201, status);
        assertRefused(TkBatch.sign(content, List.of(f.operator, revokedAdmin)), "REVOKED");

        // an operator card cannot stand in for the administrator card
        Card secondOperator = f.card(f.root, CertificateRole.OPERATOR, "operator-2");
        assertRefused(TkBatch.sign(content, List.of(f.operator, secondOperator)), "more than one OPERATOR");

        assertEquals(0, f.count("select count(*) from kms_transmission_key where sn = $1", d.sn));
        // the refusal's audit row is written after the answer (fire and forget): wait for it
        Eventually.until("four batch refusals audited", () -> f.count("select count(*) from audit_log where action = 'kms.batch.refuse'") >= 4);
    }

    private static void assertRefused(byte[] batch, String reason) throws Exception {
        BatchUploader.Result r = f.upload(batch);
        assertEquals(403, r.status(), r.body().encode());
        assertEquals("63", r.body().getString("code"));
        assertTrue(r.body().getString("error").contains(reason), r.body().encode());
    }

    @Test
    void wrongAukIsA63AndIssuesNoTmk() throws Exception {
        KmsFixture.Device d = uploaded("SN-AUK");
        TransmissionKeyDevice wrongOnRnd2 = new TransmissionKeyDevice() {
            @Override
            public boolean kmsProofMatches(byte[] rnd1, byte[] proof) {
                return d.vault.kmsProofMatches(rnd1, proof);
            }

            @Override
            public byte[] terminalProof(byte[] rnd2) {
                return new byte[8];
            }

            @Override
            public boolean installTmk(int keyIndex, byte[] tmkUnderTek, byte[] kcv) {
                return d.vault.installTmk(keyIndex, tmkUnderTek, kcv);
            }
        };
        try (TerminalConnection c = f.gateway.connect()) {
            KmsTerminalSession s = new KmsTerminalSession(d.sn, null, 1, wrongOnRnd2, RandomSource.secure());
            TmsMessage k3 = s.onK2(f.exchange(c, s.k2()));
            assertEquals("63", f.exchange(c, k3).header().status());
            assertTrue(c.closedByPeer(3000), "a failed authentication ends the session");
        }
        assertEquals(0, f.count("select count(*) from key_record where owner_id = $1", d.sn));
    }

    @Test
    void replayedRnd1IsA63() throws Exception {
        KmsFixture.Device d = uploaded("SN-REPLAY");
        RandomSource fixed = n -> new byte[n];
        try (TerminalConnection c = f.gateway.connect()) {
            KmsTerminalSession s = new KmsTerminalSession(d.sn, null, 1, d.vault, fixed);
            assertEquals("00", f.exchange(c, s.k2()).header().status());
        }
        double before = Metrics.value(f.gateway, "posgate_replays_refused_total{window=\"kms_random\"}");
        try (TerminalConnection c = f.gateway.connect()) {
            KmsTerminalSession s = new KmsTerminalSession(d.sn, null, 1, d.vault, fixed);
            assertEquals("63", f.exchange(c, s.k2()).header().status());
        }
        assertEquals(before + 1,
                Metrics.value(f.gateway, "posgate_replays_refused_total{window=\"kms_random\"}"));
    }

    @Test
    void k3WithoutK2IsA12() throws Exception {
        try (TerminalConnection c = f.gateway.connect()) {
            TmsMessage k3 = TmsMessage.of(TmsHeader.request(TmsCode.K3, 1, false),
                    List.of(Tlv.ofAscii(Tags.SERIAL_NUMBER, "SN-K-A"), Tlv.of(Tags.E_AUK_RND2, new byte[8])));
            assertEquals("12", f.exchange(c, k3).header().status());
            TmsMessage k4 = TmsMessage.of(TmsHeader.request(TmsCode.K4, 2, false), List.of(Tlv.ofAscii(Tags.SERIAL_NUMBER, "SN-K-A"),
                    Tlv.ofByte(Tags.PINPAD_KEY_INDEX, 1), Tlv.of(Tags.KCV, new byte[4])));
            assertEquals("12", f.exchange(c, k4).header().status());
            TmsMessage l2 = TmsMessage.of(TmsHeader.request(TmsCode.L2, 3, false), List.of(Tlv.ofAscii(Tags.SERIAL_NUMBER, "SN-K-A"),
                    Tlv.ofByte(Tags.PINPAD_KEY_INDEX, 1), Tlv.of(Tags.RSA_PU_RND, new byte[256])));
            assertEquals("12", f.exchange(c, l2).header().status());
            TmsMessage longSerial = TmsMessage.of(TmsHeader.request(TmsCode.K1, 4, false),
                    List.of(Tlv.ofAscii(Tags.SERIAL_NUMBER, "S".repeat(33))));
            assertEquals("30", f.exchange(c, longSerial).header().status());
            TmsMessage noSerial = TmsMessage.of(TmsHeader.request(TmsCode.L1, 5, false), List.of());
            assertEquals("30", f.exchange(c, noSerial).header().status());
        }
    }

    @Test
    void sensorAnomalyAtTheFactoryProducesNoTk() throws Exception {
        KmsFixture.Device open = new KmsFixture.Device("SN-SENSOR");
        open.readings = new SensorReadings(false, 5.0, 25);
        assertThrows(TkGenerationRefusedException.class, () -> f.factory(open, kmsCert));
        open.readings = new SensorReadings(true, 3.9, 25);
        assertThrows(TkGenerationRefusedException.class, () -> f.factory(open, kmsCert));
        open.readings = new SensorReadings(true, 5.0, 80);
        assertThrows(TkGenerationRefusedException.class, () -> f.factory(open, kmsCert));
        assertFalse(open.vault.present());
        assertFalse(open.guard.generationDisabled());

        open.readings = new SensorReadings(true, 5.0, 25);
        f.factory(open, kmsCert);
        assertTrue(open.vault.present());
        assertThrows(TkGenerationRefusedException.class, () -> f.factory(open, kmsCert), "one-time");
        open.guard.onCoverOpened();
        assertFalse(open.vault.present(), "cover opening erases the TK");
    }
}
