package dev.posgate.gateway.crash;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.crypto.Hex;
import dev.posgate.crypto.RandomSource;
import dev.posgate.gateway.platform.config.GatewayConfig;
import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.kms.KmsModule;
import dev.posgate.gateway.platform.ca.CaStore;
import dev.posgate.gateway.platform.ca.CertificateAuthority;
import dev.posgate.gateway.support.TerminalConnection;
import dev.posgate.iso8583.tms.TmsMessage;
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
import dev.posgate.terminal.pinpad.PinPad;
import dev.posgate.terminal.pos.PosClient;
import dev.posgate.testing.Eventually;
import dev.posgate.protocol.kms.KmsTerminalSession;
import dev.posgate.protocol.pki.CertificateRole;
import dev.posgate.protocol.pki.CertificateVerifier;
import io.vertx.sqlclient.Row;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Remote TMK download (K1–K4, docs/kms.md) with the gateway SIGKILLed between K3 and K4, and
 * after K4's activation committed but before the terminal read its answer (a K4 killed before it
 * was processed leaves the state of the first case). Afterwards the terminal has exactly one
 * ACTIVE TMK (old or new, never both or neither), and it can download a fresh TMK and sign on.
 */
class TmkDownloadCrashIT {
    private static CrashWorld world;
    private static CertificateVerifier rootVerifier;
    private static X509Certificate kmsCert;
    private static Card operator;
    private static Card administrator;

    @BeforeAll
    static void start() throws Exception {
        world = CrashWorld.start("tmk", Map.of(Setting.KMS_RSA_BITS, 2048), false);
        CaStore ca = new CaStore(KmsModule.caDir(GatewayConfig.defaults().with(Setting.DATA_DIR, world.dataDir())));
        CertificateAuthority root = ca.root();
        rootVerifier = CertificateVerifier.trusting(root.root());
        operator = card(root, CertificateRole.OPERATOR, "operator-1");
        administrator = card(root, CertificateRole.ADMINISTRATOR, "admin-1");
        TerminalLink link = world.link();
        kmsCert = await(KmsClient.certificate(link, "FACTORY", rootVerifier));
        await(link.close());
    }

    @AfterAll
    static void stop() throws Exception {
        if (world != null) {
            System.out.println("TmkDownloadCrashIT restart-to-ready: " + world.restarts);
            world.close();
        }
    }

    private static Card card(CertificateAuthority issuer, CertificateRole role, String holder) throws Exception {
        Path p = world.dir.resolve(holder + ".p12");
        CaStore.issueCard(issuer, role, holder, 30, p, CaStore.DEV_PASSWORD);
        return Card.load(p, CaStore.DEV_PASSWORD);
    }

    /** A terminal out of the factory: TK generated in its PIN pad, uploaded in a signed batch, then a first TMK downloaded. */
    private record Device(String sn, PinPad pinPad, TransmissionKeyVault vault, String firstKcv) {}

    private static Device provisioned(String sn, String tid) throws Exception {
        PinPad pad = new PinPad();
        TransmissionKeyVault vault = new TransmissionKeyVault(pad);
        TkGenerationGuard guard = new TkGenerationGuard(vault, () -> new SensorReadings(true, 5.0, 25), SelfCheck.passing(),
                TkGenerationGuard.SafeRanges.defaults(), RandomSource.secure());
        OperatorTerminal ot = new OperatorTerminal(rootVerifier, "PO-" + sn);
        ot.collect(new TerminalOutput(sn, null, guard.generate(kmsCert.getEncoded(), rootVerifier, Instant.now())));
        BatchUploader.Result r = await(BatchUploader.upload(world.vertx, "127.0.0.1", world.adminPort(), world.adminToken,
                ot.signedBatch(operator, administrator, Instant.now())));
        assertEquals(200, r.status(), r.body().encode());
        world.register(tid, sn);
        TerminalLink link = world.link();
        String first = Hex.encode(await(KmsClient.downloadTmk(link, sn, null, 1, vault)));
        await(link.close());
        assertEquals(first, activeTmks(sn).get(0));
        return new Device(sn, pad, vault, first);
    }

    private static List<String> activeTmks(String sn) throws Exception {
        return tmks(sn, "ACTIVE");
    }

    private static List<String> tmks(String sn, String state) throws Exception {
        List<String> kcvs = new ArrayList<>();
        for (Row r : world.query("select kcv from key_record where owner_type = 'TERMINAL' and owner_id = $1 and key_type = 'TMK'"
                + " and key_index = 1 and state = $2 order by version", sn, state)) {
            kcvs.add(r.getString(0));
        }
        return kcvs;
    }

    private static TmsMessage exchange(TerminalConnection c, TmsMessage request) throws Exception {
        return TmsMessage.unpack(c.exchange(request.pack()));
    }

    @Test
    void killedAfterK3TheOldTmkStaysActiveAndTheNewOneStaysPending() throws Exception {
        Device d = provisioned("SN-CRASH-K3", "TCRASH01");
        String issued;
        try (TerminalConnection c = world.connect()) {
            KmsTerminalSession s = new KmsTerminalSession(d.sn(), null, 1, d.vault(), RandomSource.secure());
            TmsMessage k3 = s.onK2(exchange(c, s.k2()));
            s.onK3(exchange(c, k3)); // the PIN pad installed the new TMK; K4 is never sent
            issued = Hex.encode(s.kcv());
            assertEquals(List.of(issued), tmks(d.sn(), "PENDING"));
            world.killGateway();
        }
        world.restartGateway();

        assertEquals(List.of(d.firstKcv()), activeTmks(d.sn()), "exactly one ACTIVE TMK, the old one");
        assertEquals(List.of(issued), tmks(d.sn(), "PENDING"), "the unconfirmed TMK stays PENDING, never used");
        assertFreshDownloadAndSignOn(d, "TCRASH01");
    }

    @Test
    void killedWithTheK4AnswerUnreadTheSwitchIsWhole() throws Exception {
        Device d = provisioned("SN-CRASH-K4", "TCRASH02");
        String issued;
        try (TerminalConnection c = world.connect()) {
            KmsTerminalSession s = new KmsTerminalSession(d.sn(), null, 1, d.vault(), RandomSource.secure());
            TmsMessage k4 = s.onK3(exchange(c, s.onK2(exchange(c, s.k2()))));
            issued = Hex.encode(s.kcv());
            c.send(k4.pack()); // written; its answer is never read
            // kill once the activation committed: the terminal never learns the outcome
            String committed = issued;
            Eventually.until("the activation committed", () -> activeTmks(d.sn()).equals(List.of(committed)));
            world.killGateway();
        }
        world.restartGateway();

        assertEquals(List.of(issued), activeTmks(d.sn()), "exactly one ACTIVE TMK, the confirmed one");
        assertEquals(List.of(d.firstKcv()), tmks(d.sn(), "RETIRED"), "the old one retired in the same transaction");
        assertEquals(List.of(), tmks(d.sn(), "PENDING"));
        assertFreshDownloadAndSignOn(d, "TCRASH02");
    }

    /** The restarted gateway runs the whole K-flow for the terminal, which then signs on under the new TMK. */
    private static void assertFreshDownloadAndSignOn(Device d, String tid) throws Exception {
        TerminalLink link = world.link();
        String fresh = Hex.encode(await(KmsClient.downloadTmk(link, d.sn(), null, 1, d.vault())));
        await(link.close());
        assertNotEquals(d.firstKcv(), fresh);
        assertEquals(List.of(fresh), activeTmks(d.sn()), "the fresh TMK is the one ACTIVE TMK");

        PosClient pos = world.pos(tid, d.pinPad());
        PosClient.SignOnResult r = await(pos.signOn(SignOnMode.DOUBLE));
        assertEquals("00", r.code());
        assertTrue(r.keysAccepted(), "the working keys decrypt under the TMK in the PIN pad");
        assertEquals(1, world.count("select count(*) from key_record where owner_id = $1 and key_type = 'PIK' and state = 'ACTIVE'", d.sn()));
    }
}
