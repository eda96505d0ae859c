package dev.posgate.gateway.kms;

import static org.junit.jupiter.api.Assertions.*;

import dev.posgate.crypto.Hex;
import dev.posgate.crypto.RandomSource;
import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.platform.db.KeyRecord;
import dev.posgate.gateway.platform.db.KeyRepository;
import dev.posgate.gateway.platform.ca.CaStore;
import dev.posgate.gateway.support.GatewayProcess;
import dev.posgate.gateway.support.Metrics;
import dev.posgate.gateway.support.TerminalConnection;
import dev.posgate.gateway.support.TestGateway;
import dev.posgate.iso8583.tlv.Tlv;
import dev.posgate.iso8583.tlv.Tags;
import dev.posgate.iso8583.tms.TmsCode;
import dev.posgate.iso8583.tms.TmsHeader;
import dev.posgate.iso8583.tms.TmsMessage;
import dev.posgate.terminal.kms.Card;
import dev.posgate.terminal.kms.KeyLoaderClient;
import dev.posgate.terminal.net.TerminalLink;
import dev.posgate.terminal.pinpad.KeyRole;
import dev.posgate.testing.Eventually;
import dev.posgate.protocol.loader.DeviceIdentity;
import dev.posgate.protocol.loader.LoaderTerminalSession;
import dev.posgate.protocol.pki.CertificateRole;
import dev.posgate.protocol.pki.CertificateVerifier;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import dev.posgate.gateway.kms.store.LoadingStatement;

/**
 * Issue 13, the key loader locked down, end to end over TCP (real PostgreSQL, the software HSM over
 * its wire protocol): the remote TMK takeover (an attacker who knows a serial sends L1/L2 with a
 * Rnd1 of its choosing and learns the TMK) is refused on the terminal port ({@code 12}), on the
 * key-loading port without an approved loading authorisation ({@code B4}) and for an
 * unregistered serial ({@code 97}); dual control is enforced at the admin API; an authorisation
 * serves one L2; device certificates are checked ({@code 63}). Every refusal stores no key.
 */
class KeyLoaderLockdownIT {
    private static KmsFixture f;
    private static CertificateVerifier acquirer;
    private static KeyRepository keys;

    @BeforeAll
    static void start() throws Exception {
        // an hour's window: "the 7th L2 within the window" must not depend on how fast the machine is
        f = new KmsFixture(TestGateway.start(Map.of(Setting.LOADER_PORT, GatewayProcess.freePort(), Setting.KEY_RATE_WINDOW, 3600)));
        acquirer = CertificateVerifier.trusting(f.ca.acquirer("ACQ001").root());
        keys = new KeyRepository(f.gateway.app().database().pool());
    }

    @AfterAll
    static void stop() throws Exception {
        if (f != null) f.close();
    }

    /** The attacker's L1 → L2 for {@code sn} on {@code c}: the L2 answer (a TMK under the attacker's Rnd1 if it were 00). */
    private static TmsMessage takeover(TerminalConnection c, String sn, DeviceIdentity device) throws Exception {
        LoaderTerminalSession s = new LoaderTerminalSession(sn, 1, acquirer, (i, rnd1, ctmk) -> new byte[4], RandomSource.secure(), device);
        TmsMessage l1 = f.exchange(c, s.l1());
        assertEquals("00", l1.header().status(), "L1 is answered: the loader certificate is public");
        return f.exchange(c, s.onL1(l1, Instant.now()));
    }

    private static long keysOf(String sn) throws Exception {
        return f.count("select count(*) from key_record where owner_id = $1", sn);
    }

    private static String state(UUID id) throws Exception {
        return Eventually.await(f.gateway.app().database().pool().preparedQuery("select state from loading_authorisation where id = $1")
                .execute(io.vertx.sqlclient.Tuple.of(id))).iterator().next().getString(0);
    }

    private static long audited(String sn, String action, String result) throws Exception {
        return f.count("select count(*) from audit_log where subject = $1 and action = $2 and result = $3", sn, action, result);
    }

    private static DeviceIdentity device(String sn, String named) throws Exception {
        Path p = f.cards.resolve("device-" + sn + "-" + UUID.randomUUID() + ".p12");
        CaStore.issueDevice(f.ca.manufacturer(), named, 30, p, CaStore.DEV_PASSWORD);
        Card c = Card.load(p, CaStore.DEV_PASSWORD);
        return new DeviceIdentity(c.certificate(), c.privateKey());
    }

    @Test
    void takeoverOnTheTerminalPortIsA12EvenWithAnApprovedAuthorisation() throws Exception {
        String sn = "SN-LD-TERMPORT";
        f.register(sn);
        UUID id = f.authorise(sn);
        try (TerminalConnection c = f.gateway.connect()) {
            assertEquals("12", takeover(c, sn, null).header().status());
            TmsMessage l3 = TmsMessage.of(TmsHeader.request(TmsCode.L3, 9, false), List.of(Tlv.ofAscii(Tags.SERIAL_NUMBER, sn),
                    Tlv.ofByte(Tags.PINPAD_KEY_INDEX, 1), Tlv.of(Tags.KCV, new byte[4])));
            assertEquals("12", f.exchange(c, l3).header().status());
        }
        assertEquals(0, keysOf(sn), "nothing stored");
        assertEquals("APPROVED", state(id), "the authorisation is not spent by the terminal port");
    }

    @Test
    void theLoadingPortServesTheKeyLoaderOnly() throws Exception {
        try (TerminalConnection c = f.connectLoader()) {
            TmsMessage k1 = TmsMessage.of(TmsHeader.request(TmsCode.K1, 1, false), List.of(Tlv.ofAscii(Tags.SERIAL_NUMBER, "SN-LD-K1")));
            assertEquals("12", f.exchange(c, k1).header().status());
            TmsMessage h1 = TmsMessage.of(TmsHeader.request(TmsCode.H1, 2, false), List.of(Tlv.ofAscii(Tags.SERIAL_NUMBER, "SN-LD-K1")));
            assertEquals("12", f.exchange(c, h1).header().status());
        }
    }

    @Test
    void takeoverOnTheLoadingPortWithoutAnAuthorisationIsB4() throws Exception {
        String sn = "SN-LD-NOAUTH";
        f.register(sn);
        try (TerminalConnection c = f.connectLoader()) {
            assertEquals("B4", takeover(c, sn, null).header().status());
        }
        assertEquals(0, keysOf(sn));
        assertEquals(1, audited(sn, "loader.l2.refuse", "B4"));
    }

    /** A stranger hammering L2 for one serial costs a database look-up six times per window, then nothing. */
    @Test
    void theSeventhL2ForASerialWithinTheWindowIsA12CountedNotAudited() throws Exception {
        String sn = "SN-LD-RATE";
        f.register(sn);
        double refusedBefore = Metrics.value(f.gateway, "posgate_rate_limited_total{flow=\"loader_l2\"}");
        for (int i = 1; i <= 6; i++) {
            try (TerminalConnection c = f.connectLoader()) {
                assertEquals("B4", takeover(c, sn, null).header().status(), "L2 " + i);
            }
        }
        for (int i = 7; i <= 8; i++) {
            try (TerminalConnection c = f.connectLoader()) {
                assertEquals("12", takeover(c, sn, null).header().status(), "L2 " + i);
            }
        }
        assertEquals(refusedBefore + 2, Metrics.value(f.gateway, "posgate_rate_limited_total{flow=\"loader_l2\"}"));
        assertEquals(0, f.count("select count(*) from audit_log where subject = $1 and result = '12'", sn), "the rate's refusals are not audited");
        assertEquals(0, keysOf(sn));
        String other = "SN-LD-RATE-OTHER";
        f.register(other);
        try (TerminalConnection c = f.connectLoader()) {
            assertEquals("B4", takeover(c, other, null).header().status(), "another serial is not held back");
        }
    }

    @Test
    void unregisteredSerialIs97AndNothingIsStoredInAdvance() throws Exception {
        String sn = "SN-LD-UNREG";
        UUID id = f.authorise(sn);
        try (TerminalConnection c = f.connectLoader()) {
            assertEquals("97", takeover(c, sn, null).header().status());
        }
        assertEquals(0, keysOf(sn), "no ACTIVE or PENDING TMK stored for a serial not yet registered");
        assertEquals("APPROVED", state(id));
        assertEquals(1, audited(sn, "loader.l2.refuse", "97"));
    }

    @Test
    void openedButUnapprovedAuthorisationIsB4() throws Exception {
        String sn = "SN-LD-OPENONLY";
        f.register(sn);
        LoadingStatement open = LoadingStatement.open(sn, null, Instant.now());
        assertEquals(201, f.openAuthorisation(f.operator, open).status());
        try (TerminalConnection c = f.connectLoader()) {
            assertEquals("B4", takeover(c, sn, null).header().status());
        }
        assertEquals(0, keysOf(sn));
        assertEquals("OPEN", state(open.id()));
    }

    @Test
    void approvalByTheOpenerIsRefusedAtTheApi() throws Exception {
        String sn = "SN-LD-SAMEOP";
        f.register(sn);
        LoadingStatement open = LoadingStatement.open(sn, null, Instant.now());
        assertEquals(201, f.openAuthorisation(f.operator, open).status());
        assertEquals(403, f.approveAuthorisation(f.operator, open.id(), sn).status(), "the same card");
        Card sameHolder = f.card(f.root, CertificateRole.ADMINISTRATOR, "operator-1");
        assertEquals(403, f.approveAuthorisation(sameHolder, open.id(), sn).status(), "another card of the same holder");
        Card foreign = f.card(f.ca.acquirer("ACQ777"), CertificateRole.OPERATOR, "stranger");
        assertEquals(403, f.approveAuthorisation(foreign, open.id(), sn).status(), "a card of another CA");
        assertEquals("OPEN", state(open.id()));
        try (TerminalConnection c = f.connectLoader()) {
            assertEquals("B4", takeover(c, sn, null).header().status());
        }
        assertEquals(0, keysOf(sn));
        assertEquals(3, f.count("select count(*) from audit_log where action = 'loader.authorisation.refuse' and detail->>'id' = $1",
                open.id().toString()));
    }

    @Test
    void anApprovedAuthorisationServesOneL2() throws Exception {
        KmsFixture.Device d = new KmsFixture.Device("SN-LD-ONCE");
        f.register(d.sn);
        UUID id = f.authorise(d.sn);
        TerminalLink link = f.loaderLink();
        byte[] kcv = Eventually.await(KeyLoaderClient.loadTmk(link, d.sn, 1, acquirer, d.pinPad));
        link.close();
        assertArrayEquals(kcv, d.pinPad.kcv(1, KeyRole.TMK, 4));
        assertEquals(Hex.encode(kcv), Eventually.await(keys.active(KeyRecord.OwnerType.TERMINAL, d.sn, "TMK", 1))
                .map(KeyRecord::kcv).orElseThrow());
        assertEquals("CONSUMED", state(id));
        try (TerminalConnection c = f.connectLoader()) {
            assertEquals("B4", takeover(c, d.sn, null).header().status(), "single use");
        }
        assertEquals(1, keysOf(d.sn));
        for (String action : List.of("loader.authorisation.open", "loader.authorisation.approve", "loader.authorisation.consume",
                "loader.tmk.issue", "loader.tmk.activate")) {
            assertEquals(1, f.count("select count(*) from audit_log where subject = $1 and action = $2", d.sn, action), action);
        }
        assertEquals(1, audited(d.sn, "loader.l2.refuse", "B4"));
    }

    @Test
    void twoL2sRacingForOneAuthorisationIssueOneTmk() throws Exception {
        String sn = "SN-LD-RACE";
        f.register(sn);
        UUID id = f.authorise(sn);
        try (TerminalConnection a = f.connectLoader(); TerminalConnection b = f.connectLoader()) {
            LoaderTerminalSession sa = new LoaderTerminalSession(sn, 1, acquirer, (i, r, c) -> new byte[4], RandomSource.secure());
            LoaderTerminalSession sb = new LoaderTerminalSession(sn, 1, acquirer, (i, r, c) -> new byte[4], RandomSource.secure());
            TmsMessage l2a = sa.onL1(f.exchange(a, sa.l1()), Instant.now());
            TmsMessage l2b = sb.onL1(f.exchange(b, sb.l1()), Instant.now());
            a.send(l2a.pack());
            b.send(l2b.pack());
            List<String> codes = new java.util.ArrayList<>(List.of(TmsMessage.unpack(a.receive()).header().status(),
                    TmsMessage.unpack(b.receive()).header().status()));
            java.util.Collections.sort(codes);
            assertEquals(List.of("00", "B4"), codes);
        }
        assertEquals(1, keysOf(sn), "one PENDING TMK");
        assertEquals("CONSUMED", state(id));
    }

    @Test
    void expiredAuthorisationIsB4() throws Exception {
        String sn = "SN-LD-EXPIRED";
        f.register(sn);
        UUID id = f.authorise(sn);
        // the authorisation's time has passed: moved in the database rather than waited for
        Eventually.await(f.gateway.app().database().pool()
                .preparedQuery("update loading_authorisation set expires_at = now() - interval '1 second' where id = $1")
                .execute(io.vertx.sqlclient.Tuple.of(id)));
        try (TerminalConnection c = f.connectLoader()) {
            assertEquals("B4", takeover(c, sn, null).header().status());
        }
        assertEquals(0, keysOf(sn));
        assertEquals(1, f.count("select count(*) from audit_log where subject = $1 and action = 'loader.l2.refuse' "
                + "and detail->>'reason' like '%expired%'", sn));
        assertEquals(409, f.approveAuthorisation(f.administrator, id, sn).status(), "not approvable twice");
    }

    @Test
    void anAuthorisationLongerThanTheMaximumIsRefused() throws Exception {
        LoadingStatement open = LoadingStatement.open("SN-LD-TTL", 14401, Instant.now());
        assertEquals(400, f.openAuthorisation(f.operator, open).status());
        assertEquals(0, f.count("select count(*) from loading_authorisation where id = $1", open.id()));
    }

    @Test
    void statementsThatAreNotOneCardsSignatureAreRefused() throws Exception {
        assertEquals(400, f.admin("POST", "/api/kms/loading-authorisations", new byte[] {0x30, 0x03, 0x02, 0x01, 0x00}).status());
        LoadingStatement open = LoadingStatement.open("SN-LD-TWO", null, Instant.now());
        byte[] twoSigners = dev.posgate.terminal.kms.TkBatch.sign(open.content(), List.of(f.operator, f.administrator));
        assertEquals(403, f.admin("POST", "/api/kms/loading-authorisations", twoSigners).status(), "one statement, one card");
        LoadingStatement stale = new LoadingStatement(LoadingStatement.OPEN, UUID.randomUUID(), "SN-LD-TWO",
                Instant.now().minusSeconds(3600), null);
        assertEquals(403, f.openAuthorisation(f.operator, stale).status(), "dated an hour ago");
        LoadingStatement approveAsOpen = LoadingStatement.approve(UUID.randomUUID(), "SN-LD-TWO", Instant.now());
        assertEquals(400, f.openAuthorisation(f.operator, approveAsOpen).status(), "an approval is not an opening");
        assertEquals(400, f.openAuthorisation(f.operator, LoadingStatement.open("SN-LD-TWO\u0000", null, Instant.now())).status(),
                "NUL in the serial");
        assertEquals(400, f.openAuthorisation(f.operator, LoadingStatement.open("SN\r\nFORGED", null, Instant.now())).status(),
                "CR/LF in the serial");
        java.net.http.HttpResponse<String> noToken = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build()
                .send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + f.gateway.adminPort()
                                + "/api/kms/loading-authorisations"))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(
                                LoadingStatement.open("SN-LD-TWO", null, Instant.now()).sign(f.operator.privateKey(), f.operator.certificate())))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(401, noToken.statusCode(), "a card's signature does not replace the bearer token");
        assertEquals(0, f.count("select count(*) from loading_authorisation where sn = 'SN-LD-TWO'"));
    }

    @Test
    void revokedAuthorisationIsB4() throws Exception {
        String sn = "SN-LD-REVOKED";
        f.register(sn);
        UUID id = f.authorise(sn);
        assertEquals(200, f.admin("POST", "/api/kms/loading-authorisations/" + id + "/revocation", null).status());
        try (TerminalConnection c = f.connectLoader()) {
            assertEquals("B4", takeover(c, sn, null).header().status());
        }
        assertEquals(0, keysOf(sn));
        KmsFixture.Answer list = f.admin("GET", "/api/kms/loading-authorisations?sn=" + sn, null);
        assertEquals("REVOKED", list.body().getJsonArray("authorisations").getJsonObject(0).getString("state"));
    }

    @Test
    void deviceCertificateNamingAnotherSerialIs63() throws Exception {
        String sn = "SN-LD-DEV-OTHER";
        f.register(sn);
        UUID id = f.authorise(sn);
        try (TerminalConnection c = f.connectLoader()) {
            assertEquals("63", takeover(c, sn, device(sn, "SN-LD-DEV-SOMEONE")).header().status());
        }
        assertEquals(0, keysOf(sn));
        assertEquals("APPROVED", state(id), "a refused proof does not spend the authorisation");
        assertEquals(1, audited(sn, "loader.l2.refuse", "63"));
    }

    @Test
    void deviceSignatureByAnotherKeyIs63() throws Exception {
        String sn = "SN-LD-DEV-SIG";
        f.register(sn);
        f.authorise(sn);
        DeviceIdentity genuine = device(sn, sn);
        DeviceIdentity forged = new DeviceIdentity(genuine.certificate(), device(sn, sn).privateKey());
        try (TerminalConnection c = f.connectLoader()) {
            assertEquals("63", takeover(c, sn, forged).header().status());
        }
        assertEquals(0, keysOf(sn));
    }

    @Test
    void deviceCertificateOfAnUntrustedManufacturerIs63() throws Exception {
        String sn = "SN-LD-DEV-CA";
        f.register(sn);
        f.authorise(sn);
        Path p = f.cards.resolve("device-untrusted.p12");
        CaStore.issueDevice(f.ca.acquirer("ACQ-FAKE-MFR"), sn, 30, p, CaStore.DEV_PASSWORD);
        Card c = Card.load(p, CaStore.DEV_PASSWORD);
        try (TerminalConnection conn = f.connectLoader()) {
            assertEquals("63", takeover(conn, sn, new DeviceIdentity(c.certificate(), c.privateKey())).header().status());
        }
        assertEquals(0, keysOf(sn));
    }

    @Test
    void validDeviceCertificateLoadsTheTmk() throws Exception {
        KmsFixture.Device d = new KmsFixture.Device("SN-LD-DEV-OK");
        f.register(d.sn);
        f.authorise(d.sn);
        TerminalLink link = f.loaderLink();
        byte[] kcv = Eventually.await(KeyLoaderClient.loadTmk(link, d.sn, 1, acquirer, d.pinPad, device(d.sn, d.sn)));
        link.close();
        assertArrayEquals(kcv, d.pinPad.kcv(1, KeyRole.TMK, 4));
        assertEquals(Hex.encode(kcv), Eventually.await(keys.active(KeyRecord.OwnerType.TERMINAL, d.sn, "TMK", 1))
                .map(KeyRecord::kcv).orElseThrow());
    }

    @Test
    void requiredDeviceCertificateAbsentIs63AndPresentLoads() throws Exception {
        KmsFixture g = new KmsFixture(TestGateway.start(Map.of(Setting.LOADER_PORT, GatewayProcess.freePort(),
                Setting.LOADER_DEVICE_CERTIFICATE, "required")));
        try {
            KmsFixture.Device d = new KmsFixture.Device("SN-LD-REQ");
            g.register(d.sn);
            UUID id = g.authorise(d.sn);
            CertificateVerifier acq = CertificateVerifier.trusting(g.ca.acquirer("ACQ001").root());
            try (TerminalConnection c = g.connectLoader()) {
                LoaderTerminalSession s = new LoaderTerminalSession(d.sn, 1, acq, KeyLoaderClient.slot(d.pinPad), RandomSource.secure());
                assertEquals("63", g.exchange(c, s.onL1(g.exchange(c, s.l1()), Instant.now())).header().status());
            }
            assertEquals(0, g.count("select count(*) from key_record where owner_id = $1", d.sn));
            assertEquals(1, g.count("select count(*) from loading_authorisation where id = $1 and state = 'APPROVED'", id));
            Path p = g.cards.resolve("device-req.p12");
            CaStore.issueDevice(g.ca.manufacturer(), d.sn, 30, p, CaStore.DEV_PASSWORD);
            Card card = Card.load(p, CaStore.DEV_PASSWORD);
            TerminalLink link = g.loaderLink();
            byte[] kcv = Eventually.await(KeyLoaderClient.loadTmk(link, d.sn, 1, acq, d.pinPad,
                    new DeviceIdentity(card.certificate(), card.privateKey())));
            link.close();
            assertArrayEquals(kcv, d.pinPad.kcv(1, KeyRole.TMK, 4));
        } finally {
            g.close();
        }
    }
}
