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

    /** The K-flow issues TDES TMKs: an SM4 terminal's K2 is refused 58 and audited (SM2 K-flow: issue 17 item 4). */
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

        JsonObject auth = Eventually.await(f.vertx.createHttpClient()
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
        int status = Eventually.await(f.vertx.createHttpClient()
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
        assertTrue(f.count("select count(*) from audit_log where action = 'kms.batch.refuse'") >= 4);
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
