package dev.posgate.gateway.kms;

import static dev.posgate.testing.Eventually.await;

import dev.posgate.gateway.platform.ca.CaStore;
import dev.posgate.gateway.platform.ca.CertificateAuthority;
import dev.posgate.gateway.support.TerminalConnection;
import dev.posgate.gateway.support.TestGateway;
import dev.posgate.iso8583.tms.TmsMessage;
import dev.posgate.terminal.kms.BatchUploader;
import dev.posgate.terminal.kms.Card;
import dev.posgate.terminal.kms.OperatorTerminal;
import dev.posgate.terminal.kms.SensorReadings;
import dev.posgate.terminal.kms.SelfCheck;
import dev.posgate.terminal.kms.TerminalOutput;
import dev.posgate.terminal.kms.TkGenerationGuard;
import dev.posgate.terminal.kms.TransmissionKeyVault;
import dev.posgate.terminal.net.TerminalLink;
import dev.posgate.terminal.pinpad.PinPad;
import dev.posgate.crypto.RandomSource;
import dev.posgate.protocol.pki.CertificateRole;
import dev.posgate.protocol.pki.CertificateVerifier;
import dev.posgate.gateway.platform.db.AuditLog;
import dev.posgate.gateway.platform.db.NewTerminal;
import dev.posgate.gateway.platform.db.Terminal;
import dev.posgate.gateway.platform.db.TerminalRepository;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import dev.posgate.gateway.kms.store.LoadingStatement;

/** A factory, an operator terminal and terminals around one test gateway. */
final class KmsFixture {
    final TestGateway gateway;
    final Vertx vertx = Vertx.vertx();
    /** The tests' admin API client, held for the fixture's life (closed with its Vert.x). */
    final io.vertx.core.http.HttpClient http = vertx.createHttpClient();
    final CaStore ca;
    final CertificateAuthority root;
    final CertificateVerifier rootVerifier;
    final Card operator;
    final Card administrator;
    final Path cards;

    KmsFixture(TestGateway gateway) throws Exception {
        this.gateway = gateway;
        this.ca = new CaStore(KmsModule.caDir(gateway.app().config()));
        this.root = ca.root();
        this.rootVerifier = CertificateVerifier.trusting(root.root());
        this.cards = Files.createTempDirectory(Path.of("target"), "cards-");
        this.operator = card(root, CertificateRole.OPERATOR, "operator-1");
        this.administrator = card(root, CertificateRole.ADMINISTRATOR, "admin-1");
    }

    Card card(CertificateAuthority issuer, CertificateRole role, String holder) throws Exception {
        Path p = cards.resolve(holder + ".p12");
        CaStore.issueCard(issuer, role, holder, 30, p, CaStore.DEV_PASSWORD);
        return Card.load(p, CaStore.DEV_PASSWORD);
    }

    /** One simulated terminal: PIN pad, TK vault and generation guard with healthy sensors. */
    static final class Device {
        final String sn;
        final PinPad pinPad = new PinPad();
        final TransmissionKeyVault vault = new TransmissionKeyVault(pinPad);
        SensorReadings readings = new SensorReadings(true, 5.0, 25);
        final TkGenerationGuard guard = new TkGenerationGuard(vault, () -> readings, SelfCheck.passing(),
                TkGenerationGuard.SafeRanges.defaults(), RandomSource.secure());

        Device(String sn) {
            this.sn = sn;
        }
    }

    X509Certificate kmsCertificate() throws Exception {
        TerminalLink link = link();
        try {
            return await(dev.posgate.terminal.kms.KmsClient.certificate(link, "FACTORY", rootVerifier));
        } finally {
            link.close();
        }
    }

    /** Factory: the device generates its TK for the KMS certificate. */
    TerminalOutput factory(Device d, X509Certificate kms) throws Exception {
        return new TerminalOutput(d.sn, null, d.guard.generate(kms.getEncoded(), rootVerifier, Instant.now()));
    }

    BatchUploader.Result upload(String order, List<TerminalOutput> outputs) throws Exception {
        OperatorTerminal ot = new OperatorTerminal(rootVerifier, order);
        outputs.forEach(ot::collect);
        return upload(ot.signedBatch(operator, administrator, Instant.now()));
    }

    /** A device of serial {@code sn} made at the factory and its TK uploaded (order PO-sn), ready for K2. */
    Device uploaded(String sn, X509Certificate kmsCert) throws Exception {
        Device d = new Device(sn);
        BatchUploader.Result r = upload("PO-" + sn, List.of(factory(d, kmsCert)));
        org.junit.jupiter.api.Assertions.assertEquals(200, r.status(), r.body().encode());
        return d;
    }

    BatchUploader.Result upload(byte[] batch) throws Exception {
        return await(BatchUploader.upload(vertx, "127.0.0.1", gateway.adminPort(), gateway.app().adminToken(), batch));
    }

    TerminalLink link() throws Exception {
        return await(TerminalLink.connect(vertx, "127.0.0.1", gateway.port(), Duration.ofSeconds(10)));
    }

    /** A link to the key-loading listener (the gateway must be started with {@code loader.port}). */
    TerminalLink loaderLink() throws Exception {
        return await(TerminalLink.connect(vertx, "127.0.0.1", gateway.app().loadingPort(), Duration.ofSeconds(10)));
    }

    TerminalConnection connectLoader() throws Exception {
        return TerminalConnection.open("127.0.0.1", gateway.app().loadingPort());
    }

    private static final java.util.concurrent.atomic.AtomicInteger TIDS = new java.util.concurrent.atomic.AtomicInteger();

    /** Registers {@code sn} as a terminal (a fresh TID), as the acquirer does before a key loading. */
    void register(String sn) throws Exception {
        await(new TerminalRepository(gateway.app().database().pool(), new AuditLog(gateway.app().database().pool()))
                .register(new NewTerminal(String.format("LD%06d", TIDS.incrementAndGet()), "898310048990001", sn, null,
                        "ACME", "P100", Terminal.KeyScheme.TMK, Terminal.MacAlgorithm.ECB), "test"));
    }

    /** Registers {@code sn} as a terminal with the SM4 key profile (issue 17). */
    void registerSm4(String sn) throws Exception {
        await(new TerminalRepository(gateway.app().database().pool(), new AuditLog(gateway.app().database().pool()))
                .register(new NewTerminal(String.format("LD%06d", TIDS.incrementAndGet()), "898310048990001", sn, null,
                        "ACME", "P100", Terminal.KeyScheme.TMK, Terminal.MacAlgorithm.ECB, Terminal.MakLength.DOUBLE,
                        Terminal.KeyAlgorithm.SM4), "test"));
    }

    /** An admin API answer: status and JSON body. */
    record Answer(int status, JsonObject body) {}

    /** {@code card} opens a loading authorisation for {@code sn} (ttl null: the default). */
    Answer openAuthorisation(Card card, LoadingStatement statement) throws Exception {
        return admin("POST", "/api/kms/loading-authorisations", statement.sign(card.privateKey(), card.certificate()));
    }

    Answer approveAuthorisation(Card card, UUID id, String sn) throws Exception {
        return admin("POST", "/api/kms/loading-authorisations/" + id + "/approval",
                LoadingStatement.approve(id, sn, Instant.now()).sign(card.privateKey(), card.certificate()));
    }

    /** Opened by the operator card, approved by the administrator card: what one L2 for {@code sn} needs. */
    UUID authorise(String sn) throws Exception {
        LoadingStatement open = LoadingStatement.open(sn, null, Instant.now());
        Answer opened = openAuthorisation(operator, open);
        if (opened.status() != 201) throw new AssertionError("open: " + opened);
        Answer approved = approveAuthorisation(administrator, open.id(), sn);
        if (approved.status() != 200) throw new AssertionError("approve: " + approved);
        return open.id();
    }

    Answer admin(String method, String path, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + gateway.app().adminToken())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        HttpResponse<String> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body().isEmpty() ? new JsonObject() : new JsonObject(r.body()));
    }

    TmsMessage exchange(TerminalConnection c, TmsMessage request) throws Exception {
        return TmsMessage.unpack(c.exchange(request.pack()));
    }

    long count(String sql, Object... params) throws Exception {
        return await(gateway.app().database().pool().preparedQuery(sql).execute(Tuple.wrap(params)))
                .iterator().next().getLong(0);
    }

    void close() throws Exception {
        await(vertx.close());
        gateway.close();
    }
}
