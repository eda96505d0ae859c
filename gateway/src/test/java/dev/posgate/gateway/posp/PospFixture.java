package dev.posgate.gateway.posp;

import static dev.posgate.testing.Eventually.await;

import dev.posgate.crypto.KeyComponents;
import dev.posgate.crypto.Parity;
import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.platform.db.AuditLog;
import dev.posgate.gateway.platform.db.KeyRecord;
import dev.posgate.gateway.platform.db.KeyRepository;
import dev.posgate.gateway.platform.db.NewTerminal;
import dev.posgate.gateway.platform.db.Terminal;
import dev.posgate.gateway.platform.db.TerminalRepository;
import dev.posgate.gateway.support.TestGateway;
import dev.posgate.gateway.support.TestPostgres;
import dev.posgate.hostsim.HostRules;
import dev.posgate.hostsim.HostSimulator;
import dev.posgate.hsm.Hsm;
import dev.posgate.hsm.KeyScheme;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.KeyWithKcv;
import dev.posgate.hsm.RemoteHsm;
import dev.posgate.hsm.pool.HsmPool;
import dev.posgate.hsm.pool.HsmPoolConfig;
import dev.posgate.hsm.sim.HsmSimConfig;
import dev.posgate.hsm.sim.HsmSimulator;
import dev.posgate.terminal.net.TerminalLink;
import dev.posgate.terminal.pinpad.KeyRole;
import dev.posgate.terminal.pinpad.PinPad;
import dev.posgate.terminal.pos.PinPadKeys;
import dev.posgate.terminal.pos.PosClient;
import dev.posgate.terminal.pos.WorkingKeyHolder;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The POSP test world, all real and over TCP: a gateway (its own PostgreSQL database, its bundled
 * software HSM), the upstream host simulator with its own HSM session (a second software HSM
 * loaded with the same LMK file, as an acquirer and its host share zone keys), and terminals
 * driven by the pos-terminal client. Keys are provisioned through the HSM: the clear TMK exists
 * only in the test's PIN pad, made from known components as a key ceremony would.
 */
public final class PospFixture implements AutoCloseable {
    public static final byte[] TMK_1 = HexFormat.of().parseHex("0123456789ABCDEFFEDCBA9876543210");
    public static final byte[] TMK_2 = HexFormat.of().parseHex("1C1C1C1C1C1C1C1C2A2A2A2A2A2A2A2A");
    /** Components of the zone ZPK (formed in the host's HSM), so a test can decrypt field 52 as the host got it. */
    public static final byte[] ZPK_1 = HexFormat.of().parseHex("23232323232323234545454545454545");
    public static final byte[] ZPK_2 = HexFormat.of().parseHex("5B5B5B5B5B5B5B5B6D6D6D6D6D6D6D6D");
    static final byte[] STATION_2 = HexFormat.of().parseHex("4C4C4C4C4C4C4C4C7A7A7A7A7A7A7A7A");

    public final Vertx vertx = Vertx.vertx();
    public final Path lmkFile;
    final String dbUrl;
    final HsmSimulator hostHsmServer;
    final HsmPool hostHsmPool;
    final Hsm hostHsm;
    final KeyWithKcv zpk;
    final KeyWithKcv zak;
    final KeyWithKcv zek;
    public final HostSimulator host;
    private final Map<Setting, Object> gatewaySettings;
    public TestGateway gateway;

    private PospFixture(long upstreamTimeoutMs, Path lmkFile, String dbUrl, Map<Setting, Object> gatewaySettings,
            long hostLatencyMs) throws Exception {
        this.lmkFile = lmkFile;
        this.dbUrl = dbUrl;
        this.gatewaySettings = Map.copyOf(gatewaySettings);
        hostHsmServer = await(HsmSimulator.start(vertx, HsmSimConfig.builder().host("127.0.0.1").port(0)
                .lmkFile(lmkFile).development(true).allowClearComponents(true).build())); // the host's PIN verification key
        hostHsmPool = new HsmPool(vertx, HsmPoolConfig.builder().name("host-hsm")
                .host("127.0.0.1", hostHsmServer.port()).connectionsPerHost(1).headerLength(4).build());
        await(hostHsmPool.start());
        hostHsm = new RemoteHsm(hostHsmPool);
        zpk = await(hostHsm.formKeyFromComponents(KeyType.ZPK, KeyScheme.U, ZPK_1, ZPK_2));
        zak = await(hostHsm.generateKey(KeyType.ZAK));
        zek = await(hostHsm.generateKey(KeyType.ZEK));
        host = await(HostSimulator.start(vertx, hostHsm, HostRules.defaults(), zpk.key(), zak.key(), zek.key(), hostLatencyMs,
                "127.0.0.1", 0));
        this.upstreamTimeoutMs = upstreamTimeoutMs;
        startGateway();
        storeKey(KeyRecord.OwnerType.ZONE, "upstream", "ZPK", 0, zpk);
        storeKey(KeyRecord.OwnerType.ZONE, "upstream", "ZAK", 0, zak);
        storeKey(KeyRecord.OwnerType.ZONE, "upstream", "ZEK", 0, zek);
    }

    private final long upstreamTimeoutMs;

    static PospFixture start(long upstreamTimeoutMs) throws Exception {
        return start(upstreamTimeoutMs, newLmkFile(), TestPostgres.newDatabaseUrl(), Map.of());
    }

    /**
     * A world on the given database and LMK file, the gateway started with {@code gatewaySettings}
     * on top of the fixture's own (fault tests point it at a database or an HSM they can stop).
     */
    public static PospFixture start(long upstreamTimeoutMs, Path lmkFile, String dbUrl, Map<Setting, Object> gatewaySettings)
            throws Exception {
        return start(upstreamTimeoutMs, lmkFile, dbUrl, gatewaySettings, 0);
    }

    /** The same, the host simulator waiting {@code hostLatencyMs} before each answer. */
    public static PospFixture start(long upstreamTimeoutMs, Path lmkFile, String dbUrl, Map<Setting, Object> gatewaySettings,
            long hostLatencyMs) throws Exception {
        return new PospFixture(upstreamTimeoutMs, lmkFile, dbUrl, gatewaySettings, hostLatencyMs);
    }

    /** A path for an LMK file, created by the first software HSM started on it. */
    public static Path newLmkFile() throws Exception {
        return Files.createTempDirectory(Path.of("target"), "posp-lmk-").resolve("lmk.hex");
    }

    /** Starts (or restarts) the gateway on the same database and LMK. */
    public void startGateway() throws Exception {
        gateway = TestGateway.start(nodeSettings());
    }

    /**
     * Another gateway node on the same database, LMK and host (a second node behind the terminals'
     * load balancer); the caller closes it.
     */
    public TestGateway startAnotherNode() throws Exception {
        return startAnotherNode(Map.of());
    }

    /** The same, with {@code settings} on top of the node's own. */
    public TestGateway startAnotherNode(Map<Setting, Object> settings) throws Exception {
        Map<Setting, Object> s = nodeSettings();
        s.putAll(settings);
        return TestGateway.start(s);
    }

    /** A new connection to {@code node}, for {@link PosClient#relink}: the same terminal, now on that node. */
    public TerminalLink linkTo(TestGateway node) throws Exception {
        return linkTo(node, Duration.ofSeconds(10));
    }

    /** The same, waiting up to {@code timeout} for each answer (a terminal whose answer is held back on purpose). */
    public TerminalLink linkTo(TestGateway node, Duration timeout) throws Exception {
        return await(TerminalLink.connect(vertx, "127.0.0.1", node.port(), timeout));
    }

    private Map<Setting, Object> nodeSettings() {
        Map<Setting, Object> s = new HashMap<>();
        s.put(Setting.DB_URL, dbUrl);
        s.put(Setting.HSM_LMK_FILE, lmkFile.toString());
        s.put(Setting.UPSTREAM_HOST, "127.0.0.1:" + host.port());
        s.put(Setting.UPSTREAM_CONNECTIONS, 2);
        s.put(Setting.UPSTREAM_TIMEOUT, (int) upstreamTimeoutMs);
        s.put(Setting.UPSTREAM_REVERSAL_RETRY, 1);
        // terminals' TMKs are formed from known components (ZW), as a key ceremony would
        s.put(Setting.HSM_SIM_CLEAR_COMPONENTS, true);
        if (PAYSHIELD_RUN) {
            // issue 16: the POSP suite against the software HSM in the payshield profile (standard commands only)
            s.put(Setting.HSM_PROFILE, "payshield");
            // the TMS stays on: it speaks protocol version 2 in this profile (docs/tms.md "Session keys")
            s.put(Setting.FEATURES_DISABLED, "kms,psam,sm4");
        }
        s.putAll(gatewaySettings);
        return s;
    }

    public void stopGateway() throws Exception {
        gateway.close();
        gateway = null;
    }

    public Pool db() {
        return gateway.app().database().pool();
    }

    /**
     * Changes a terminal's sign-on state behind the gateway's back ({@code sql} on its database)
     * and waits until the gateway has heard of it (NOTIFY posp_terminal_session): its copy of the
     * session in memory is dropped before the test's next request.
     */
    public void changeSignOnState(String sql, io.vertx.sqlclient.Tuple params) throws Exception {
        double before = dev.posgate.gateway.support.Metrics.value(gateway, "posgate_posp_session_invalidations_heard_total");
        await(db().preparedQuery(sql).execute(params));
        dev.posgate.testing.Eventually.until("the gateway heard that the sign-on state changed",
                () -> dev.posgate.gateway.support.Metrics.value(gateway, "posgate_posp_session_invalidations_heard_total") > before);
    }

    public Hsm hsm() {
        return gateway.app().hsmLink().hsm();
    }

    KeyRepository keys() {
        return new KeyRepository(db());
    }

    void storeKey(KeyRecord.OwnerType owner, String ownerId, String type, int index, KeyWithKcv k) throws Exception {
        await(db().withConnection(c -> keys().store(c, owner, ownerId, type, index, k.key().toWire(), k.kcv().hex(),
                KeyRecord.State.ACTIVE)));
    }

    /** Registers a terminal with the given key scheme. */
    void register(String tid, String sn, Terminal.KeyScheme scheme) throws Exception {
        register(tid, sn, scheme, Terminal.MacAlgorithm.ECB);
    }

    void register(String tid, String sn, Terminal.KeyScheme scheme, Terminal.MacAlgorithm mac) throws Exception {
        await(new TerminalRepository(db(), new AuditLog(db())).register(new NewTerminal(tid, "898310048990001", sn, null,
                "ACME", "P100", scheme, mac), "test"));
    }

    /** Registers a TMK terminal of merchant {@code mid} (a real terminal's TID/MID pair), its TMK as below. */
    PinPad registerTmkTerminal(String tid, String mid, String sn) throws Exception {
        await(new TerminalRepository(db(), new AuditLog(db())).register(new NewTerminal(tid, mid, sn, null,
                "ACME", "P100", Terminal.KeyScheme.TMK, Terminal.MacAlgorithm.ECB), "test"));
        return tmkInto(sn);
    }

    /**
     * The system property that runs the POSP end-to-end tests with the gateway and its bundled HSM in
     * the payshield HSM profile ({@code -Dposgate.it.hsm.profile=payshield}; docs/hsm-protocol.md 11.2).
     */
    public static final String PROFILE_PROPERTY = "posgate.it.hsm.profile";
    static final boolean PAYSHIELD_RUN = "payshield".equalsIgnoreCase(System.getProperty(PROFILE_PROPERTY, ""));

    /**
     * The fixture's TMK formed for {@code sn} (slot 1), and a new PIN pad holding it in clear. Formed
     * in the gateway's HSM from clear components (ZW); with a gateway in the payshield profile, which
     * has no ZW, in the host's HSM on the same LMK, as an acquirer's console ceremony would.
     */
    PinPad tmkInto(String sn) throws Exception {
        Hsm former = hsm() instanceof RemoteHsm r && r.profile() == dev.posgate.hsm.HsmProfile.PAYSHIELD ? hostHsm : hsm();
        storeKey(KeyRecord.OwnerType.TERMINAL, sn, "TMK", 1, await(former.formKeyFromComponents(KeyType.TMK, KeyScheme.U, TMK_1, TMK_2)));
        PinPad pad = new PinPad();
        pad.write(1, KeyRole.TMK, Parity.adjustOdd(KeyComponents.combine(TMK_1, TMK_2)));
        return pad;
    }

    /** Registers a TMK terminal whose TMK (slot 1) is formed in the HSM and written into a new PIN pad. */
    public PinPad registerTmkTerminal(String tid, String sn) throws Exception {
        return registerTmkTerminal(tid, sn, Terminal.MacAlgorithm.ECB);
    }

    PinPad registerTmkTerminal(String tid, String sn, Terminal.MacAlgorithm mac) throws Exception {
        register(tid, sn, Terminal.KeyScheme.TMK, mac);
        return tmkInto(sn);
    }

    PosClient client(String tid, WorkingKeyHolder keys) throws Exception {
        return client(tid, keys, false);
    }

    PosClient client(String tid, WorkingKeyHolder keys, boolean x919) throws Exception {
        TerminalLink link = await(TerminalLink.connect(vertx, "127.0.0.1", gateway.port(), Duration.ofSeconds(10)));
        return new PosClient(link, tid, "898310048990001", keys, x919);
    }

    public PosClient tmkClient(String tid, PinPad pad) throws Exception {
        return client(tid, new PinPadKeys(pad, 1));
    }

    /**
     * One default world ({@link #start(long) start(3000)}) per test class, closed after the class:
     * {@code @ExtendWith(PospFixture.PerClass.class)} on a {@code @TestInstance(PER_CLASS)} test
     * whose constructor takes a {@code PospFixture}.
     */
    public static final class PerClass implements ParameterResolver, AfterAllCallback {
        private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(PerClass.class);

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == PospFixture.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context.getStore(NS).getOrComputeIfAbsent(PospFixture.class, k -> {
                try {
                    return start(3000);
                } catch (Exception e) {
                    throw new ParameterResolutionException("the POSP world did not start", e);
                }
            }, PospFixture.class);
        }

        @Override
        public void afterAll(ExtensionContext context) throws Exception {
            PospFixture world = context.getStore(NS).remove(PospFixture.class, PospFixture.class);
            if (world != null) world.close();
        }
    }

    @Override
    public void close() throws Exception {
        if (gateway != null) gateway.close();
        await(host.stop());
        await(hostHsmPool.close());
        await(hostHsmServer.stop());
        await(vertx.close());
    }
}
